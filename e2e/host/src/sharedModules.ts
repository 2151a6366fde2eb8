// The modules Grafana's frontend hands to plugins by bare name (sharedDependenciesMap in
// public/app/features/plugins/loader/sharedDependencies.ts of grafana/grafana), restricted to the names both lines we
// support (12.3 and 13.2) share; e2e/host/README.md lists them with what the host leaves out and why.
// lodash and moment are wrapped with __useDefault as Grafana does, so an AMD plugin gets the library itself.
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUiRaw from '@grafana/ui';
import * as i18next from 'i18next';
import jquery from 'jquery';
import lodash from 'lodash';
import moment from 'moment';
import * as prismjs from 'prismjs';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactInlineSvg from 'react-inlinesvg';
import * as ReactRedux from 'react-redux';
import * as ReactRouterDom from 'react-router-dom';
import * as ReactRouterV6 from 'react-router-dom-v5-compat';
import * as jsxRuntime from 'react/jsx-runtime';
import * as redux from 'redux';
import * as rxjs from 'rxjs';
import * as rxjsOperators from 'rxjs/operators';
import * as slate from 'slate';
import * as slatePlainSerializer from 'slate-plain-serializer';
import * as slateReact from 'slate-react';

// Grafana re-exports the plugin base classes from @grafana/ui too (its 6.4 to 6.5 migration).
const grafanaUi: Record<string, unknown> = {
  ...grafanaUiRaw,
  PanelPlugin: grafanaData.PanelPlugin,
  DataSourcePlugin: grafanaData.DataSourcePlugin,
  AppPlugin: grafanaData.AppPlugin,
  DataSourceApi: grafanaData.DataSourceApi,
};

// Grafana registers the flot plugins as empty modules: old plugins list them and get nothing.
const FLOT = ['crosshair', 'events', 'fillbelow', 'gauge', 'pie', 'selection', 'stack', 'stackpercent', 'time'];
const flot = Object.fromEntries(
  ['jquery.flot', ...FLOT.map((f) => `jquery.flot.${f}`)].map((n) => [n, { fakeDep: 1 }]),
);

export const sharedModules: Record<string, object> = {
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/slate-react': slateReact,
  '@grafana/ui': grafanaUi,
  emotion: emotionCss,
  i18next,
  jquery: { default: jquery, __useDefault: true },
  ...flot,
  lodash: { default: lodash, __useDefault: true },
  moment: { default: moment, __useDefault: true },
  prismjs,
  react: React,
  'react/jsx-runtime': jsxRuntime,
  'react-dom': ReactDOM,
  'react-inlinesvg': ReactInlineSvg,
  'react-redux': ReactRedux,
  'react-router-dom': ReactRouterDom,
  'react-router': ReactRouterV6,
  redux,
  rxjs,
  'rxjs/operators': rxjsOperators,
  slate,
  'slate-plain-serializer': slatePlainSerializer,
  'slate-react': slateReact,
};
