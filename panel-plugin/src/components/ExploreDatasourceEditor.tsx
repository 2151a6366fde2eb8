// The Explore links option: a picker of the instance's Prometheus datasources (the option stores the uid; empty
// means Grafana's default datasource), rather than a uid typed by hand.
import React from 'react';
import type { StandardEditorProps } from '@grafana/data';
import { DataSourcePicker } from '@grafana/runtime';

export function ExploreDatasourceEditor({ value, onChange }: StandardEditorProps<string>) {
  return (
    <DataSourcePicker
      type="prometheus"
      current={value || null}
      noDefault
      placeholder="Default datasource"
      onChange={(ds) => onChange(ds.uid)}
      onClear={() => onChange('')}
    />
  );
}
