// DataFrames for unit tests, built without @grafana/data (its CommonJS build does not load under jest here).
import type { DataFrame, FieldType } from '@grafana/data';

export function frame(
  name: string | undefined,
  fields: Record<string, unknown[]>,
  meta?: DataFrame['meta'],
): DataFrame {
  const list = Object.entries(fields).map(([n, values]) => ({
    name: n,
    type: 'other' as FieldType,
    config: {},
    values,
  }));
  return { name, meta, fields: list, length: list[0]?.values.length ?? 0 };
}
