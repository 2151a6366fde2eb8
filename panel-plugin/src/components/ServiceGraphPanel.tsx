// The panel: reads the frames, lays out every node of the range once, and draws what is present at the instant
// chosen with the time-travel controls (Live / Paused / Travel), with diff, search, details and deploy markers.
import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { DataHoverClearEvent, DataHoverEvent, dateTimeFormat, LoadingState, type PanelProps } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { useTheme2 } from '@grafana/ui';
import { deployMarkers, deploysOfNode, type DeployMarker } from '../model/deploys';
import { DiffState, diffPresence, type Diff } from '../model/diff';
import { graphFromFrames } from '../model/frames';
import type { Graph } from '../model/graph';
import { presenceAll, presenceAt, type Presence } from '../model/presence';
import { presenceCurve } from '../model/presenceCurve';
import { matchNodes, parseSearch } from '../model/search';
import { aroundDeploy, clampInstant, instantAt, stepInstant, type RangeInfo } from '../model/timeTravel';
import { withDefaults, type Mode, type PanelOptions } from '../options';
import { buildRenderScene, labelPriority, neighbourhood } from '../render/styles';
import { DetailsPane, DETAILS_WIDTH } from './DetailsPane';
import { GraphCanvas } from './GraphCanvas';
import { STRIP_HEIGHT, TimelineStrip } from './TimelineStrip';
import { Toolbar, toolbarHeight } from './Toolbar';
import { useLayout } from './useLayout';

type Props = PanelProps<Partial<PanelOptions>>;

function hasTime(graph: Graph): boolean {
  return !!graph.timeline || graph.nodes.some((n) => n.firstSeen !== undefined || n.lastSeen !== undefined);
}

/** Without a timeline, our status field (against the start of the range) is the diff. */
function diffFromStatus(graph: Graph): Diff | undefined {
  if (!graph.nodes.some((n) => n.status)) return undefined;
  const code = (s: string) =>
    s === 'added' ? DiffState.added : s === 'removed' ? DiffState.removed : DiffState.unchanged;
  const nodes = Uint8Array.from(graph.nodes, (n) => code(n.status));
  const edges = Uint8Array.from(graph.edges, (e) => code(e.status));
  const count = (a: Uint8Array, v: number) => a.reduce((s, x) => s + (x === v ? 1 : 0), 0);
  return {
    nodes,
    edges,
    counts: {
      addedNodes: count(nodes, DiffState.added),
      removedNodes: count(nodes, DiffState.removed),
      addedEdges: count(edges, DiffState.added),
      removedEdges: count(edges, DiffState.removed),
    },
  };
}

function Message({ kind, children, notes }: { kind: string; children: React.ReactNode; notes?: string[] }) {
  const theme = useTheme2();
  return (
    <div
      data-testid="timescope-message"
      data-state={kind}
      role={kind === 'error' ? 'alert' : 'status'}
      style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', flex: 1, height: '100%', padding: 16 }}
    >
      <div style={{ maxWidth: 560, textAlign: 'center' }}>
        <div style={{ color: kind === 'error' ? theme.colors.error.text : undefined, fontSize: 14 }}>{children}</div>
        {notes?.map((n, i) => (
          <div key={i} style={{ color: theme.colors.text.secondary, marginTop: 6 }}>
            {n}
          </div>
        ))}
      </div>
    </div>
  );
}

/** The datasource's notices on the frames (e.g. "No pod nodes found in this time range"), once each. */
function noticesOf(series: PanelProps['data']['series']): string[] {
  const out = new Set<string>();
  for (const f of series) for (const n of f.meta?.notices ?? []) if (n.text) out.add(n.text);
  return [...out];
}

const DIFF_NAMES = ['', 'added', 'removed', 'unchanged'] as const;

export function ServiceGraphPanel(props: Props) {
  const { data, width, height, timeZone, eventBus } = props;
  const options = withDefaults(props.options);
  const theme = useTheme2();
  const from = props.timeRange.from.valueOf();
  const to = props.timeRange.to.valueOf();

  const graph = useMemo(
    () => graphFromFrames(data.series, { fromMs: from, toMs: to, stepMs: data.request?.intervalMs ?? 60_000 }),
    [data.series],
  );
  const range: RangeInfo = useMemo(() => {
    const step = graph.timeline?.meta.stepMs || data.request?.intervalMs || Math.max(1000, (to - from) / 200);
    return { from, to, step };
  }, [graph, data.request, from, to]);
  const markers = useMemo(() => deployMarkers(data.annotations), [data.annotations]);
  const tooLarge = graph.nodes.length > options.maxNodes;
  const layout = useLayout(tooLarge ? undefined : graph, options.layout, options.grouping);

  const [mode, setMode] = useState<Mode>(options.defaultMode);
  const [held, setHeld] = useState<number>(to);
  const [baseline, setBaseline] = useState<number | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [hover, setHover] = useState(-1);
  const [search, setSearch] = useState('');
  const [deploy, setDeploy] = useState<DeployMarker | null>(null);
  const instant = mode === 'live' ? to : clampInstant(held, range);

  const timed = hasTime(graph);
  const presence: Presence = useMemo(
    () => (timed ? presenceAt(graph, instant) : presenceAll(graph)),
    [graph, instant, timed],
  );
  const diff = useMemo((): Diff | undefined => {
    if (baseline === null) return undefined;
    if (!timed) return diffFromStatus(graph);
    return diffPresence(presenceAt(graph, baseline), presence);
  }, [graph, baseline, presence, timed]);
  const parsedSearch = useMemo(() => parseSearch(search), [search]);
  const match = useMemo(() => matchNodes(graph.nodes, parsedSearch.matcher), [graph, parsedSearch]);
  const priority = useMemo(() => labelPriority(graph), [graph]);
  const selected = selectedId !== null ? (graph.index.get(selectedId) ?? -1) : -1;
  const focus = hover >= 0 ? hover : selected;

  const scene = useMemo(() => {
    if (!layout.result) return undefined;
    return buildRenderScene({
      graph,
      layout: layout.result,
      presence,
      diff,
      match,
      focus,
      colorBy: options.colorBy,
      edgeMetric: options.edgeMetric,
      priority,
      theme: {
        text: theme.colors.text.primary,
        box: theme.colors.border.strong,
        edge: theme.colors.text.secondary,
        ring: theme.colors.text.maxContrast,
      },
    });
  }, [graph, layout.result, presence, diff, match, focus, options.colorBy, options.edgeMetric, priority, theme]);

  const formatTime = useCallback(
    (t: number) => dateTimeFormat(t, { timeZone, format: 'YYYY-MM-DD HH:mm:ss' }),
    [timeZone],
  );
  const zoneName =
    timeZone === 'browser' || !timeZone
      ? Intl.DateTimeFormat().resolvedOptions().timeZone
      : timeZone.toLowerCase() === 'utc'
        ? 'UTC'
        : timeZone;
  const instantText = `${formatTime(instant)} ${zoneName}`;

  // The shared crosshair: publish the instant while travelling; optionally follow the other panels' crosshair.
  useEffect(() => {
    if (mode !== 'travel') return;
    eventBus.publish(new DataHoverEvent({ point: { time: instant } }));
  }, [mode, instant, eventBus]);
  useEffect(() => {
    if (!options.followCrosshair) return;
    const sub = eventBus.getStream(DataHoverEvent).subscribe((e) => {
      const t = e.payload.point?.time;
      if (typeof t === 'number' && Number.isFinite(t)) {
        setHeld(t);
        setMode((m) => (m === 'live' ? 'travel' : m));
      }
    });
    return () => sub.unsubscribe();
  }, [eventBus, options.followCrosshair]);

  const travelTo = useCallback(
    (t: number) => {
      setHeld(clampInstant(t, range));
      setMode('travel');
    },
    [range],
  );
  const onMode = (m: Mode) => {
    if (m !== 'live') setHeld(instant);
    if (m === 'live') eventBus.publish(new DataHoverClearEvent());
    setMode(m);
  };
  const onKey = (e: React.KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName === 'INPUT' || (e.target as HTMLElement).tagName === 'SELECT') return;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      travelTo(stepInstant(instant, e.key === 'ArrowLeft' ? -1 : 1, range));
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      travelTo(e.key === 'Home' ? from : to);
    } else if (e.key === 'Escape') {
      setSelectedId(null);
      setBaseline(null);
      setDeploy(null);
    }
  };
  const onMarker = (m: DeployMarker) => {
    const { before, after } = aroundDeploy(m.time, m.timeEnd, range);
    travelTo(after);
    setBaseline(before);
    setDeploy(m);
  };
  const onZoom = () => {
    const half = Math.max(range.step * 5, (to - from) / 8);
    props.onChangeTimeRange({ from: instant - half, to: instant + half });
  };
  const currentView = (() => {
    const v = props.replaceVariables(`$${options.viewVariable}`);
    return v.startsWith('$') ? '' : v;
  })();
  const onView = (v: string) => locationService.partial({ [`var-${options.viewVariable}`]: v }, true);

  const snapshot = useCallback(() => {
    const near = neighbourhood(graph, focus);
    return JSON.stringify({
      instant,
      instantText,
      timeZone: zoneName,
      mode,
      from,
      to,
      stepMs: range.step,
      baseline,
      counts: diff?.counts ?? null,
      selected: selectedId,
      focus: focus >= 0 ? graph.nodes[focus].id : null,
      nodes: graph.nodes.flatMap((n, i) => {
        const d = diff ? diff.nodes[i] : presence.nodes[i] ? DiffState.unchanged : DiffState.none;
        if (d === DiffState.none || !layout.result) return [];
        return [
          {
            id: n.id,
            title: n.title,
            kind: n.kind,
            x: layout.result.x[i],
            y: layout.result.y[i],
            status: diff ? DIFF_NAMES[d] : n.status || 'present',
            ...(match && !match[i] ? { dimmed: true } : {}),
            ...(near && !near.has(i) ? { faded: true } : {}),
          },
        ];
      }),
      edges: graph.edges.flatMap((e, i) => {
        const d = diff ? diff.edges[i] : presence.edges[i] ? DiffState.unchanged : DiffState.none;
        if (d === DiffState.none) return [];
        return [{ id: e.id, source: e.source, target: e.target, status: diff ? DIFF_NAMES[d] : e.status || 'present' }];
      }),
    });
  }, [
    graph,
    layout.result,
    presence,
    diff,
    match,
    focus,
    instant,
    instantText,
    zoneName,
    mode,
    from,
    to,
    range.step,
    baseline,
    selectedId,
  ]);

  const errors = data.errors ?? (data.error ? [data.error] : []);
  const body = (() => {
    if (data.state === LoadingState.Error || errors.length > 0) {
      return (
        <Message kind="error">{`Datasource error: ${errors.map((e) => e.message ?? String(e)).join('; ') || 'unknown'}`}</Message>
      );
    }
    if (graph.nodes.length === 0 && data.state === LoadingState.Loading) {
      return <Message kind="loading">Querying the topology…</Message>;
    }
    if (graph.nodes.length === 0) {
      return (
        <Message kind="nodata" notes={noticesOf(data.series)}>
          No data: the query returned no nodes for this time range.
        </Message>
      );
    }
    if (tooLarge) {
      return (
        <Message kind="toolarge">
          {`Too large to draw: ${graph.nodes.length} nodes and ${graph.edges.length} edges (the limit is ${options.maxNodes} nodes). Narrow the view or the time range, or raise the limit in the panel options.`}
        </Message>
      );
    }
    if (layout.error) return <Message kind="error">{`Layout failed: ${layout.error}`}</Message>;
    if (!scene) return <Message kind="layout">{`Laying out ${graph.nodes.length} nodes…`}</Message>;
    return null;
  })();

  const node = selected >= 0 ? graph.nodes[selected] : undefined;
  const mainHeight = Math.max(50, height - toolbarHeight(baseline !== null) - STRIP_HEIGHT - 4);
  const canvasWidth = Math.max(50, width - (node ? DETAILS_WIDTH : 0));
  const curve = useMemo(
    () => presenceCurve(graph, from, to, Math.max(10, Math.min(300, Math.floor(width / 3)))),
    [graph, from, to, width],
  );

  return (
    <div
      tabIndex={0}
      onKeyDown={onKey}
      data-testid="timescope-panel"
      data-mode={mode}
      style={{ width, height, display: 'flex', flexDirection: 'column', outline: 'none', overflow: 'hidden' }}
    >
      <Toolbar
        mode={mode}
        instantText={instantText}
        diff={diff}
        diffOn={baseline !== null}
        view={currentView}
        search={search}
        searchError={parsedSearch.error}
        matches={match?.reduce((a, b) => a + b, 0)}
        onMode={onMode}
        deploy={baseline !== null ? deploy : null}
        onDiff={() => {
          setBaseline(baseline === null ? from : null);
          setDeploy(null);
        }}
        onZoom={onZoom}
        onView={onView}
        onSearch={setSearch}
      />
      <div style={{ display: 'flex', height: mainHeight }}>
        {body ?? (
          <GraphCanvas
            scene={scene!}
            width={canvasWidth}
            height={mainHeight}
            labels={options.labels}
            fitKey={layout.result}
            onHover={setHover}
            onSelect={(i) => setSelectedId(i >= 0 ? graph.nodes[i].id : null)}
            snapshot={snapshot}
          />
        )}
        {node && !body && (
          <DetailsPane
            graph={graph}
            node={node}
            present={presence.nodes}
            presentEdges={presence.edges}
            deploys={deploysOfNode(markers, node)}
            from={from}
            to={to}
            exploreDatasource={options.exploreDatasource}
            formatTime={formatTime}
            onSelect={(id) => setSelectedId(id)}
            onClose={() => setSelectedId(null)}
          />
        )}
      </div>
      <TimelineStrip
        width={width}
        from={from}
        to={to}
        instant={instant}
        baseline={baseline}
        curve={curve}
        markers={markers}
        formatTime={formatTime}
        onScrub={(f) => travelTo(instantAt(f, range))}
        onMarker={onMarker}
      />
    </div>
  );
}
