import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { TopologyDataSource } from './datasource';
import type { TopologyOptions, TopologyQuery } from './types';

export const plugin = new DataSourcePlugin<TopologyDataSource, TopologyQuery, TopologyOptions>(TopologyDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
