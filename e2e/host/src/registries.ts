// Grafana's app fills two registries of @grafana/data at start-up (public/app/core/components/OptionsUI/registry of
// grafana/grafana); a plugin's option builders and the field config code look names up in them and throw when
// they are empty. The host has no options pane, so the editors are placeholders; the standard field config
// properties are Grafana's (same ids, the processors @grafana/data exports, the same defaults and scope).
import {
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  FieldType,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  ThresholdsMode,
  valueMappingsOverrideProcessor,
  type Field,
  type FieldConfigPropertyItem,
  type StandardEditorsRegistryItem,
} from '@grafana/data';

/** The option editor ids Grafana registers (what PanelOptionsEditorBuilder and the field config items ask for). */
const EDITOR_IDS = [
  'text',
  'number',
  'slider',
  'boolean',
  'radio',
  'select',
  'multi-select',
  'unit',
  'color',
  'field-name',
  'dashboard-uid',
  'strings',
  'timezone',
  'stats-picker',
  'links',
  'fieldColor',
  'mappings',
  'thresholds',
];

const NoEditor = () => null;

type Process = FieldConfigPropertyItem['process'];
const anyField = () => true;
const numbers = (f: Field) => f.type === FieldType.number;

/** id, how a value is processed, which fields it applies to, its default, and the editor it is shown with. */
const STANDARD: Array<[string, Process, (f: Field) => boolean, unknown, string]> = [
  ['unit', stringOverrideProcessor, anyField, undefined, 'unit'],
  ['min', numberOverrideProcessor, numbers, undefined, 'number'],
  ['max', numberOverrideProcessor, numbers, undefined, 'number'],
  ['decimals', numberOverrideProcessor, numbers, undefined, 'number'],
  ['displayName', displayNameOverrideProcessor, anyField, undefined, 'text'],
  ['color', identityOverrideProcessor, anyField, undefined, 'fieldColor'],
  ['noValue', stringOverrideProcessor, anyField, undefined, 'text'],
  ['links', dataLinksOverrideProcessor, anyField, undefined, 'links'],
  ['mappings', valueMappingsOverrideProcessor, (f) => f.type !== FieldType.time, [], 'mappings'],
  [
    'thresholds',
    thresholdsOverrideProcessor,
    anyField,
    {
      mode: ThresholdsMode.Absolute,
      steps: [
        { value: -Infinity, color: 'green' },
        { value: 80, color: 'red' },
      ],
    },
    'thresholds',
  ],
];

let done = false;

export function installRegistries(): void {
  if (done) return;
  done = true;
  standardEditorsRegistry.setInit(() =>
    EDITOR_IDS.map((id) => ({ id, name: id, editor: NoEditor }) as unknown as StandardEditorsRegistryItem),
  );
  standardFieldConfigEditorRegistry.setInit(() =>
    STANDARD.map(
      ([id, process, shouldApply, defaultValue, editor]) =>
        ({
          id,
          path: id,
          name: id,
          process,
          shouldApply,
          defaultValue,
          settings: id === 'color' ? { byValueSupport: true, preferThresholdsMode: true } : {},
          editor: standardEditorsRegistry.get(editor).editor,
          override: standardEditorsRegistry.get(editor).editor,
          category: ['Standard options'],
        }) as FieldConfigPropertyItem,
    ),
  );
}
