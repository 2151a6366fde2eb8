import type { DataQuery, DataSourceJsonData } from '@grafana/data';
import type { TopologyOptions as CoreOptions, TopologyQueryModel } from './core/query';

export type { TopologySecureOptions } from './core/query';

/** jsonData of a datasource instance. */
export interface TopologyOptions extends DataSourceJsonData, CoreOptions {}

/** A panel's (or annotation's) query to this datasource. */
export interface TopologyQuery extends DataQuery, Omit<TopologyQueryModel, 'queryType'> {
  queryType?: 'topology' | 'deploys';
}
