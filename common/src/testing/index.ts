// Test and demo utilities (real processes, real Prometheus). Not part of the plugins' bundles.
export * from './ports';
export * from './prometheus';
export * from './daemon';
export * from './victoriaMetrics';
export * from './vmalert';
export * from './agents';
export * from './random';
