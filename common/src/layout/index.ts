export * from './engine';
export * from './stableLayout';
