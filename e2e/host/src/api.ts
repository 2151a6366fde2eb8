// What the plugin host page exposes to tests and benchmarks on window.timescopeHost (types only, no React, so
// Node-side tests and benchmarks can import them).

export interface HostInput {
  frames: unknown[];
  annotations?: unknown[];
  series?: Array<[number, number]>;
  /** a datasource error to show instead of frames */
  error?: string;
}

export interface HostApi {
  ready: boolean;
  error?: string;
  queries: number;
  /** the last datasource query: how long it took, its frames, its error, the dashboard variables it ran with */
  lastQuery?: { ms: number; frames: number; error?: string; vars: Record<string, string> };
  range: { from: number; to: number };
  /** the refresh picker's value ('' is Off) */
  refresh: string;
  timeZone: string;
  setFrames(input: HostInput): void;
  setRange(from: number, to: number): void;
}

declare global {
  interface Window {
    timescopeHost: HostApi;
  }
}
