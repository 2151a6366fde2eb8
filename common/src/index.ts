export * from './metrics';
export * from './frames';
export * from './promql';
export * from './views';
export * from './presenceRule';
export * from './annotations';
export * from './duration';
export * from './lookback';
