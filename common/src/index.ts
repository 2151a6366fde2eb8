export * from './metrics';
export * from './frames';
export * from './promql';
export * from './views';
export * from './presenceRule';
