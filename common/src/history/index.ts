// The history scenario tool: a deterministic 24-hour topology history, its OpenMetrics form, what a reader must
// rebuild from it, and a real Prometheus holding it. Node-only (not part of the plugins' bundles).
export * from './types';
export * from './scenario';
export * from './openMetrics';
export * from './expectations';
export * from './prometheus';
