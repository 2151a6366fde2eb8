// The plugin host: a page that plays the part of a Grafana dashboard for a panel plugin and our datasource. It
// loads their module.js as Grafana does (loader.ts: SystemJS and its AMD extra), runs the datasource's query
// (through the proxy server, which plays Grafana's data proxy in front of a real Prometheus) for the picked time
// range, and renders the panel with the result, its options and field config completed as Grafana's dashboard
// does, next to a time picker and an ordinary time-series panel sharing the crosshair.
//
// URL parameters: panel (a panel plugin id; ours by default), from, to (ms; no `to`, or `now`, follows the clock),
// refresh (the refresh picker: 5s, 10s, 30s or 1m; off by default), tz (utc, browser or an IANA zone),
// source (datasource | frames), options (panel options JSON), fieldConfig (panel field config JSON), query
// (datasource query JSON), jsonData (datasource settings JSON, over the server's), var-<name> (variables; repeat
// for several values, $__all for All), varopts-<name> (the options All stands for), varall-<name> (custom all value).
import {
  applyFieldOverrides,
  createTheme,
  dateTime,
  EventBusSrv,
  LoadingState,
  rangeUtil,
  ThemeContext,
  toDataFrame,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type PanelData,
  type PanelPlugin,
  type DataSourcePlugin,
  type DataSourceApi,
  type DataQuery,
  type TimeRange,
  type AbsoluteTimeRange,
  type AnnotationQuery,
  type FieldConfigSource,
  type InterpolateFunction,
} from '@grafana/data';
import { getTemplateSrv, locationService } from '@grafana/runtime';
import { RefreshPicker, TimeRangePicker } from '@grafana/ui';
import React, { useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { from as fromAsync, lastValueFrom, isObservable } from 'rxjs';
import type { HostApi, HostInput } from './api';
import { variablesFromSearch, type HostVariable } from './interpolate';
import { loadPluginModule } from './loader';
import { fieldConfigWithDefaults, optionsWithDefaults } from './panelDefaults';
import { installRegistries } from './registries';
import { followOf, reevaluate, refreshMs, REFRESH_INTERVALS, type Follow } from './refresh';
import { installServices } from './services';
import { SeriesPanel } from './SeriesPanel';

interface HostPlugin {
  id: string;
  type: 'panel' | 'datasource';
  url: string;
  meta: Record<string, unknown>;
}

const params = new URLSearchParams(window.location.search);
const json = <T,>(name: string, fallback: T): T => {
  const v = params.get(name);
  return v ? (JSON.parse(v) as T) : fallback;
};
const DS_UID = 'timescope';
/** our panel, rendered unless ?panel= names another */
const OUR_PANEL = 'timescope-servicegraph-panel';
const PROXY = `/api/datasources/proxy/uid/${DS_UID}`;
const theme = createTheme({ colors: { mode: 'dark' } });
const eventBus = new EventBusSrv();

const api: HostApi = {
  ready: false,
  queries: 0,
  range: {
    from: Number(params.get('from') ?? Date.now() - 3600_000),
    to: params.get('to') === null || params.get('to') === 'now' ? Date.now() : Number(params.get('to')),
  },
  refresh: params.get('refresh') ?? '',
  timeZone: params.get('tz') ?? 'utc',
  setFrames: () => undefined,
  setRange: () => undefined,
};
window.timescopeHost = api;

function toRange(r: { from: number; to: number }): TimeRange {
  const from = dateTime(r.from);
  const to = dateTime(r.to);
  return { from, to, raw: { from, to } };
}

function variables(): Record<string, HostVariable> {
  return variablesFromSearch(locationService.getSearch());
}

/** The variables as the last query's record shows them: name to value(s). */
function varValues(vars: Record<string, HostVariable>): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v.values.join(',')]));
}

/** The fields Grafana keeps of an annotation query's result (AnnotationEvent) before it hands them to panels. */
const ANNOTATION_FIELDS = ['time', 'timeEnd', 'title', 'text', 'tags', 'id'];

/**
 * The deploy annotations as a dashboard's annotation query on our datasource gives them to panels: the query
 * prepared by the datasource's annotation support, run through query(), reduced to Grafana's annotation fields.
 */
async function deployAnnotations(ds: DataSourceApi, range: { from: number; to: number }): Promise<DataFrame[]> {
  const prepare = ds.annotations?.prepareQuery;
  if (!prepare) return [];
  const anno: AnnotationQuery = { name: 'Deploys', enable: true, iconColor: 'blue', target: { refId: 'Anno' } };
  const target = prepare(anno);
  if (!target) return [];
  const res = await runQuery(ds, range, 'utc', target);
  return (res.data ?? []).map((d: unknown) => {
    const frame = toDataFrame(d);
    const fields = frame.fields.filter((f) => ANNOTATION_FIELDS.includes(f.name));
    return { ...frame, fields };
  });
}

async function seriesPoints(range: { from: number; to: number }): Promise<Array<[number, number]>> {
  const expr = params.get('series') ?? 'count({__name__=~"timescope_.+_info"})';
  const step = Math.max(15, Math.round((range.to - range.from) / 1000 / 300));
  const q = new URLSearchParams({
    query: expr,
    start: String(range.from / 1000),
    end: String(range.to / 1000),
    step: `${step}`,
  });
  const r = await fetch(`${PROXY}/api/v1/query_range?${q}`);
  if (!r.ok) return [];
  const body = (await r.json()) as { data?: { result?: Array<{ values: Array<[number, string]> }> } };
  return (body.data?.result?.[0]?.values ?? []).map(([t, v]) => [t * 1000, Number(v)]);
}

async function runQuery(
  ds: DataSourceApi,
  range: { from: number; to: number },
  tz: string,
  target: DataQuery = { refId: 'A', ...json<Record<string, unknown>>('query', {}) },
): Promise<DataQueryResponse> {
  const timeRange = toRange(range);
  const { interval, intervalMs } = rangeUtil.calculateInterval(timeRange, 1000, '15s');
  const request: DataQueryRequest = {
    requestId: `host-${api.queries}`,
    interval,
    intervalMs,
    maxDataPoints: 1000,
    range: timeRange,
    rangeRaw: timeRange.raw,
    scopedVars: {},
    targets: [target],
    timezone: tz,
    app: 'dashboard',
    startTime: Date.now(),
  };
  const out = ds.query(request);
  return isObservable(out) ? lastValueFrom(out) : lastValueFrom(fromAsync(out));
}

function Dashboard(props: { panel: PanelPlugin; ds?: DataSourceApi; note?: string }) {
  const [range, setRange] = useState(api.range);
  const [follow, setFollow] = useState<Follow>(followOf(params.get('from'), params.get('to')));
  const [refresh, setRefresh] = useState(refreshMs(api.refresh) ? api.refresh : '');
  /** An absolute range (a pan, a zoom, the panel's or a test's pick) no longer follows the clock. */
  const setAbsolute = (r: { from: number; to: number }): void => {
    setFollow('none');
    setRange(r);
  };
  const [tz, setTz] = useState(api.timeZone);
  const [vars, setVars] = useState(variables);
  const [input, setInput] = useState<HostInput | null>(null);
  const [result, setResult] = useState<{ frames: DataFrame[]; annotations: DataFrame[]; error?: DataQueryError }>();
  const [points, setPoints] = useState<Array<[number, number]>>([]);
  const [loading, setLoading] = useState(false);
  const loadingRef = useRef(false);
  loadingRef.current = loading;

  useEffect(() => {
    api.setFrames = (i) => setInput(i);
    api.setRange = (from, to) => {
      setFollow('none');
      setRange({ from, to });
    };
    const sub = locationService.getLocationObservable().subscribe(() => setVars(variables()));
    return () => sub.unsubscribe();
  }, []);
  useEffect(() => {
    api.range = range;
    api.timeZone = tz;
    api.refresh = refresh;
  }, [range, tz, refresh]);

  // The refresh picker: every interval the range is evaluated again (a range ending now moves with the clock).
  useEffect(() => {
    const ms = refreshMs(refresh);
    if (!ms) return;
    // a tick while the last query still runs is skipped: on a slow machine a query longer than the interval would
    // otherwise be cancelled by the next one, again and again, and the panel would never get data
    const timer = setInterval(() => {
      if (!loadingRef.current) setRange((r) => reevaluate(r, follow, Date.now()));
    }, ms);
    return () => clearInterval(timer);
  }, [refresh, follow]);

  // Frames given by a test.
  useEffect(() => {
    if (!input) return;
    setResult({
      frames: input.frames.map((f) => toDataFrame(f)),
      annotations: (input.annotations ?? []).map((f) => toDataFrame(f)),
      error: input.error ? { message: input.error } : undefined,
    });
    setPoints(input.series ?? []);
    api.queries++;
  }, [input]);

  // The datasource's query, re-run when the range or a variable changes.
  useEffect(() => {
    const ds = props.ds;
    if (!ds) return;
    let cancelled = false;
    const t0 = performance.now();
    setLoading(true);
    Promise.all([
      runQuery(ds, range, tz),
      deployAnnotations(ds, range).catch(() => []),
      seriesPoints(range).catch(() => []),
    ]).then(
      ([res, annotations, pts]) => {
        if (cancelled) return;
        const frames = (res.data ?? []).map((d: unknown) => toDataFrame(d));
        const error = res.errors?.[0] ?? res.error;
        setResult({ frames, annotations, error });
        setPoints(pts);
        setLoading(false);
        api.queries++;
        api.lastQuery = {
          ms: performance.now() - t0,
          frames: frames.length,
          error: error?.message,
          vars: varValues(vars),
        };
      },
      (e: { message?: string; data?: { message?: string } }) => {
        if (cancelled) return;
        const message = e?.data?.message ?? e?.message ?? String(e);
        setResult({ frames: [], annotations: [], error: { message } });
        setLoading(false);
        api.queries++;
        api.lastQuery = { ms: performance.now() - t0, frames: 0, error: message, vars: varValues(vars) };
      },
    );
    return () => {
      cancelled = true;
    };
  }, [props.ds, range, tz, vars]);

  const timeRange = useMemo(() => toRange(range), [range]);
  // as Grafana's panel does: the template service (dashboard and built-in variables); a new function when they change
  const replaceVariables = useMemo(
    (): InterpolateFunction => (s, scoped, fmt) => getTemplateSrv().replace(s, scoped, fmt),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new function whenever the variables change, as Grafana's
    [vars],
  );
  // Grafana's dashboard completes the saved options and field config with the plugin's defaults
  const options = useMemo(
    () => optionsWithDefaults(props.panel, json<Record<string, unknown>>('options', {})),
    [props.panel],
  );
  const fieldConfig = useMemo(
    () => fieldConfigWithDefaults(props.panel, json<Partial<FieldConfigSource>>('fieldConfig', {})),
    [props.panel],
  );
  // ...and the query runner applies the field config to every frame before the panel gets it
  const series = useMemo(
    () =>
      applyFieldOverrides({
        data: result?.frames ?? [],
        fieldConfig,
        fieldConfigRegistry: props.panel.fieldConfigRegistry,
        replaceVariables,
        theme,
        timeZone: tz,
      }),
    [result, fieldConfig, props.panel, replaceVariables, tz],
  );
  const data: PanelData = useMemo(
    () => ({
      state: result?.error ? LoadingState.Error : loading ? LoadingState.Loading : LoadingState.Done,
      series,
      annotations: result?.annotations ?? [],
      errors: result?.error ? [result.error] : undefined,
      timeRange,
    }),
    [result, series, loading, timeRange],
  );
  const Panel = props.panel.panel;
  const span = range.to - range.from;
  const onAbsolute = (r: AbsoluteTimeRange) => setAbsolute({ from: Math.round(r.from), to: Math.round(r.to) });
  if (!Panel) return <div>the panel plugin has no panel component</div>;
  return (
    <div style={{ padding: 8, display: 'flex', flexDirection: 'column', gap: 8 }}>
      <div
        style={{ display: 'flex', gap: 8, alignItems: 'center' }}
        data-testid="host-toolbar"
        // the range in epoch ms, for scripts; the picker shows it to people
        data-range-ms={`${range.from} ${range.to}`}
      >
        <strong>Timescope plugin host</strong>
        <TimeRangePicker
          value={timeRange}
          timeZone={tz}
          onChange={(r) => {
            // a relative pick ("Last 5 minutes": raw from now-5m to now) follows the clock, as in Grafana
            const relative = (v: unknown) => typeof v === 'string' && v.startsWith('now');
            setFollow(relative(r.raw.to) ? (relative(r.raw.from) ? 'span' : 'to') : 'none');
            setRange({ from: r.from.valueOf(), to: r.to.valueOf() });
          }}
          onChangeTimeZone={setTz}
          onMoveBackward={() => setAbsolute({ from: range.from - span / 2, to: range.to - span / 2 })}
          onMoveForward={() => setAbsolute({ from: range.from + span / 2, to: range.to + span / 2 })}
          onZoom={() => setAbsolute({ from: range.from - span / 2, to: range.to + span / 2 })}
        />
        <RefreshPicker
          intervals={REFRESH_INTERVALS}
          value={refresh}
          onIntervalChanged={setRefresh}
          onRefresh={() => setRange((r) => reevaluate(r, follow, Date.now()))}
          isLoading={loading}
        />
      </div>
      {props.note && (
        <div data-testid="host-note" style={{ opacity: 0.8, fontSize: 12 }}>
          {props.note}
        </div>
      )}
      <div style={{ border: '1px solid #8884' }}>
        <Panel
          id={1}
          data={data}
          timeRange={timeRange}
          timeZone={tz}
          options={options}
          fieldConfig={fieldConfig}
          transparent={false}
          width={1180}
          height={600}
          renderCounter={api.queries}
          title="Service graph"
          eventBus={eventBus}
          onOptionsChange={() => undefined}
          onFieldConfigChange={() => undefined}
          replaceVariables={replaceVariables}
          onChangeTimeRange={onAbsolute}
        />
      </div>
      <SeriesPanel
        points={points}
        from={range.from}
        to={range.to}
        width={1180}
        height={140}
        eventBus={eventBus}
        title="Nodes present"
      />
    </div>
  );
}

async function main(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  try {
    installRegistries();
    installServices({ get: variables, range: () => toRange(api.range) });
    const plugins = (await (await fetch('/api/host/plugins')).json()) as HostPlugin[];
    const { note } = (await (await fetch('/api/host/note')).json()) as { note: string };
    const panelId = params.get('panel') ?? OUR_PANEL;
    const panelInfo = plugins.find((p) => p.type === 'panel' && p.id === panelId);
    if (!panelInfo) {
      const known = plugins.filter((p) => p.type === 'panel').map((p) => p.id);
      throw new Error(`no panel plugin ${panelId} (served: ${known.join(', ') || 'none'}; run scripts/build.sh)`);
    }
    const panel = (await loadPluginModule<{ plugin: PanelPlugin }>(panelInfo.url)).plugin;
    let ds: DataSourceApi | undefined;
    const dsInfo = plugins.find((p) => p.type === 'datasource');
    if ((params.get('source') ?? 'datasource') === 'datasource') {
      if (!dsInfo) throw new Error('no datasource plugin built (run scripts/build.sh)');
      const dsPlugin = (await loadPluginModule<{ plugin: DataSourcePlugin<DataSourceApi> }>(dsInfo.url)).plugin;
      const server = (await (await fetch('/api/host/datasource')).json()) as { jsonData: Record<string, unknown> };
      const settings = {
        ...server,
        id: 1,
        uid: DS_UID,
        type: dsInfo.id,
        name: 'Timescope',
        url: PROXY,
        access: 'proxy',
        jsonData: { ...server.jsonData, ...json<Record<string, unknown>>('jsonData', {}) },
        meta: dsInfo.meta,
        readOnly: true,
      } as unknown as DataSourceInstanceSettings;
      ds = new dsPlugin.DataSourceClass(settings) as DataSourceApi;
    }
    root.render(
      <ThemeContext.Provider value={theme}>
        <div
          style={{ background: theme.colors.background.primary, color: theme.colors.text.primary, minHeight: '100vh' }}
        >
          <Dashboard panel={panel} ds={ds} note={note} />
        </div>
      </ThemeContext.Provider>,
    );
    api.ready = true;
  } catch (e) {
    api.error = (e as Error).message;
    root.render(<pre data-testid="host-error">{(e as Error).message}</pre>);
  }
}

void main();
