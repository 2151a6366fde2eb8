// A small AMD loader playing Grafana's SystemJS: plugins' module.js call define(deps, factory) and get the
// host's single instances of React and Grafana's libraries.
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaSchema from '@grafana/schema';
import * as grafanaUi from '@grafana/ui';
import lodash from 'lodash';
import moment from 'moment';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';

export const sharedModules: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  'react-dom/client': ReactDOMClient,
  'react/jsx-runtime': jsxRuntime,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/schema': grafanaSchema,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  rxjs,
  'rxjs/operators': rxjsOperators,
  lodash,
  moment,
};

type Factory = (...deps: unknown[]) => unknown;
type Define = ((a: unknown, b?: unknown, c?: unknown) => void) & { amd: object };

let capture: ((exports: unknown) => void) | null = null;

function install(): void {
  const define = ((a: unknown, b?: unknown, c?: unknown) => {
    const [deps, factory] = typeof a === 'string' ? [b, c] : Array.isArray(a) ? [a, b] : [[], a];
    const missing = (deps as string[]).filter((d) => !(d in sharedModules));
    if (missing.length) throw new Error(`plugin needs modules the host does not provide: ${missing.join(', ')}`);
    const exports =
      typeof factory === 'function'
        ? (factory as Factory)(...(deps as string[]).map((d) => sharedModules[d]))
        : factory;
    capture?.(exports);
  }) as Define;
  define.amd = {};
  (window as unknown as { define: Define }).define = define;
}

/** Loads one plugin's module.js with a script tag (one at a time) and returns what its factory returned. */
export function loadPluginModule<T>(url: string): Promise<T> {
  install();
  return new Promise<T>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    capture = (exports) => {
      capture = null;
      resolve(exports as T);
    };
    script.onerror = () => reject(new Error(`failed to load ${url}`));
    script.onload = () => capture && reject(new Error(`${url} did not call define()`));
    document.head.appendChild(script);
  });
}
