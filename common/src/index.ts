export * from './metrics';
export * from './frames';
