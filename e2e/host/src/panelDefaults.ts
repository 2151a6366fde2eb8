// What Grafana's dashboard does to a panel's saved options and field config before the panel sees them
// (getPanelOptionsWithDefaults in public/app/features/dashboard/state/ of grafana/grafana): the plugin's option
// defaults under the saved options (arrays are replaced, not merged), the field config defaults under the saved
// ones, unknown field config properties and overrides dropped, a thresholds' base step at -Infinity.
import {
  ThresholdsMode,
  type ConfigOverrideRule,
  type FieldConfigOptionsRegistry,
  type FieldConfigSource,
  type PanelPlugin,
  type ThresholdsConfig,
} from '@grafana/data';
import { isArray, isPlainObject, mergeWith } from 'lodash';

type Json = Record<string, unknown>;

const replaceArrays = (_dst: unknown, src: unknown): unknown => (isArray(src) ? src : undefined);

/** Removes the leaves that no registered field config property covers. */
function dropUnknown(obj: Json, prefix: string, registry: FieldConfigOptionsRegistry): void {
  for (const key of Object.keys(obj)) {
    const path = `${prefix}${key}`;
    if (registry.getIfExists(path)) continue;
    const value = obj[key];
    if (isPlainObject(value)) dropUnknown(value as Json, `${path}.`, registry);
    else delete obj[key];
  }
}

function fixThresholds(t: ThresholdsConfig): void {
  t.mode ??= ThresholdsMode.Absolute;
  t.steps ??= [];
  // JSON stores the base step's -Infinity as null
  if (t.steps.length) t.steps[0].value = -Infinity;
}

export function optionsWithDefaults<T extends object>(plugin: PanelPlugin, saved: Partial<T> | undefined): T {
  return mergeWith({}, plugin.defaults, saved ?? {}, replaceArrays) as T;
}

export function fieldConfigWithDefaults(
  plugin: PanelPlugin,
  saved: Partial<FieldConfigSource> | undefined,
): FieldConfigSource {
  const registry = plugin.fieldConfigRegistry;
  const defaults = mergeWith({}, plugin.fieldConfigDefaults.defaults, saved?.defaults ?? {}, replaceArrays);
  dropUnknown(defaults as Json, '', registry);
  if (defaults.thresholds) fixThresholds(defaults.thresholds);
  const overrides: ConfigOverrideRule[] = (saved?.overrides ?? [])
    .map((o) => ({ ...o, properties: o.properties.filter((p) => registry.getIfExists(p.id) !== undefined) }))
    .filter((o) => o.properties.length > 0);
  for (const o of overrides)
    for (const p of o.properties) if (p.id === 'thresholds') fixThresholds(p.value as ThresholdsConfig);
  return { defaults, overrides };
}
