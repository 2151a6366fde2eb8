// The panel: reads the frames, lays out every node of the range once, and draws what is present at the instant
// chosen with the time-travel controls (Live / Paused / Travel), with diff, search, details and deploy markers,
// a hover tooltip, a legend, fit/reset, playback, and a deploy's changes nearest the deployed workload first.
import React, { useCallback, useMemo, useRef, useState } from 'react';
import { dateTimeFormat, LoadingState, type PanelProps } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { useTheme2 } from '@grafana/ui';
import { deployMarkers, deploysOfNode } from '../model/deploys';
import { baselineDiff, hasTime } from '../model/baselineDiff';
import { deployFocus } from '../model/deployFocus';
import { clusterMarkers } from '../model/markerClusters';
import { timeTicks } from '../model/timeAxis';
import { edgeTooltip, nodeTooltip } from '../model/tooltip';
import type { Diff } from '../model/diff';
import { edgeFigureStyles, edgeFiguresOf } from '../model/edgeFigures';
import { graphFromFrames } from '../model/frames';
import { presenceAll, presenceAt, type Presence } from '../model/presence';
import { presenceCurve } from '../model/presenceCurve';
import { matchNodes, parseSearch } from '../model/search';
import type { RangeInfo } from '../model/timeTravel';
import { filterHint } from '../layout/limits';
import { withDefaults, type PanelOptions } from '../options';
import { describeScene } from '../render/sceneDescription';
import { labelPriority, placeScene, sceneStyles } from '../render/styles';
import { crosshairOf } from './crosshair';
import { DetailsPane, DETAILS_WIDTH } from './DetailsPane';
import { GraphCanvas, type CanvasNav, type HoverTarget } from './GraphCanvas';
import { Legend } from './Legend';
import { NavButtons } from './NavButtons';
import { emptyInstantMessage, noticesOf, PanelMessage, panelMessage } from './PanelMessage';
import { describeExtras } from './sceneExtras';
import { PLAY_WIDTH, STRIP_HEIGHT, TimelineStrip } from './TimelineStrip';
import { Tooltip } from './Tooltip';
import { usePlayback } from './usePlayback';
import { Toolbar, toolbarHeight } from './Toolbar';
import { useBaseline } from './useBaseline';
import { useLayout } from './useLayout';
import { useTimeTravel } from './useTimeTravel';
import { zoneName } from './zoneName';

type Props = PanelProps<Partial<PanelOptions>>;

export function ServiceGraphPanel(props: Props) {
  const { data, width, height, timeZone, eventBus } = props;
  const options = withDefaults(props.options);
  const theme = useTheme2();
  const from = props.timeRange.from.valueOf();
  const to = props.timeRange.to.valueOf();

  const interval = data.request?.intervalMs;
  // The range the frames were queried for, when frames carry none of their own (not the dashboard's range, which
  // changes before the new frames arrive).
  const dataFrom = data.timeRange?.from.valueOf() ?? from;
  const dataTo = data.timeRange?.to.valueOf() ?? to;
  const graph = useMemo(
    () => graphFromFrames(data.series, { fromMs: dataFrom, toMs: dataTo, stepMs: interval ?? 60_000 }),
    [data.series, dataFrom, dataTo, interval],
  );
  const range: RangeInfo = useMemo(() => {
    const step = graph.timeline?.meta.stepMs || interval || Math.max(1000, (to - from) / 200);
    return { from, to, step };
  }, [graph, interval, from, to]);
  const markers = useMemo(() => deployMarkers(data.annotations), [data.annotations]);
  const tooLarge = graph.nodes.length > options.maxNodes;
  const layout = useLayout(tooLarge ? undefined : graph, options.layout, options.grouping);

  const crosshair = useMemo(() => crosshairOf(eventBus), [eventBus]);
  const { mode, instant, preview, setMode, travelTo, step, scrub } = useTimeTravel({
    range,
    defaultMode: options.defaultMode,
    crosshair,
    followCrosshair: options.followCrosshair,
  });
  const { baseline, deploy, toggle: toggleDiff, acrossDeploy, clear: clearDiff } = useBaseline(range, travelTo);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [hover, setHover] = useState(-1);
  const [pointed, setPointed] = useState<HoverTarget | null>(null);
  const nav = useRef<CanvasNav | null>(null);
  const playback = usePlayback({ range, instant, travelTo });
  const [search, setSearch] = useState('');

  const timed = hasTime(graph);
  const presence: Presence = useMemo(
    () => (timed ? presenceAt(graph, instant) : presenceAll(graph)),
    [graph, instant, timed],
  );
  const diff = useMemo((): Diff | undefined => baselineDiff(graph, baseline, presence), [graph, baseline, presence]);
  const parsedSearch = useMemo(() => parseSearch(search), [search]);
  const match = useMemo(() => matchNodes(graph.nodes, parsedSearch.matcher), [graph, parsedSearch]);
  const focusOfDeploy = useMemo(
    () => (deploy && diff ? deployFocus(graph, deploy, diff) : undefined),
    [graph, deploy, diff],
  );
  // Signal before noise: without a search, a deploy's diff dims what is neither the workload nor its neighbour.
  const shown = match ?? (focusOfDeploy?.deployed.length ? focusOfDeploy.near : undefined);
  const currentView = (() => {
    const v = props.replaceVariables(`$${options.viewVariable}`);
    return v.startsWith('$') ? '' : v;
  })();
  // label priority: search hits, then the view's own node kind, listeners, connections (never draw order)
  const priority = useMemo(() => labelPriority(graph, { viewKind: currentView, match }), [graph, currentView, match]);
  const selected = selectedId !== null ? (graph.index.get(selectedId) ?? -1) : -1;
  const focus = hover >= 0 ? hover : selected;

  const figures = useMemo(() => edgeFiguresOf(data.series), [data.series]);
  const edgeFigureStyle = useMemo(
    () => edgeFigureStyles(graph, figures, instant, options.edgeFigure, options.errorThreshold),
    [graph, figures, instant, options.edgeFigure, options.errorThreshold],
  );
  // The styles do not wait for the layout: computed while the worker lays out a new graph, then placed.
  const styles = useMemo(
    () =>
      tooLarge
        ? undefined
        : sceneStyles({
            graph,
            presence,
            diff,
            match: shown,
            focus,
            colorBy: options.colorBy,
            edgeMetric: options.edgeMetric,
            ...edgeFigureStyle,
            priority,
            theme: {
              text: theme.colors.text.primary,
              box: theme.colors.border.strong,
              edge: theme.colors.text.secondary,
              ring: theme.colors.text.maxContrast,
              background: theme.colors.background.primary,
            },
          }),
    [
      tooLarge,
      graph,
      presence,
      diff,
      shown,
      focus,
      options.colorBy,
      options.edgeMetric,
      edgeFigureStyle,
      priority,
      theme,
    ],
  );
  const scene = useMemo(
    () => (styles && layout.result ? placeScene(styles, layout.result) : undefined),
    [styles, layout.result],
  );

  const formatTime = useCallback(
    (t: number) => dateTimeFormat(t, { timeZone, format: 'YYYY-MM-DD HH:mm:ss' }),
    [timeZone],
  );
  const zone = zoneName(timeZone);
  const instantText = `${formatTime(instant)} ${zone}`;

  const onKey = (e: React.KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName === 'INPUT' || (e.target as HTMLElement).tagName === 'SELECT') return;
    if (e.key.startsWith('Arrow') || e.key === 'Home' || e.key === 'End') playback.stop();
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      step(e.key === 'ArrowLeft' ? -1 : 1);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      travelTo(e.key === 'Home' ? from : to);
    } else if (e.key === 'Escape') {
      setSelectedId(null);
      clearDiff();
    }
  };
  const onZoom = () => {
    const half = Math.max(range.step * 5, (to - from) / 8);
    props.onChangeTimeRange({ from: instant - half, to: instant + half });
  };
  const onView = (v: string) => locationService.partial({ [`var-${options.viewVariable}`]: v }, true);

  const trackWidth = Math.max(50, width - PLAY_WIDTH);
  const curve = useMemo(
    () => presenceCurve(graph, from, to, Math.max(10, Math.min(300, Math.floor(trackWidth / 3)))),
    [graph, from, to, trackWidth],
  );
  const ticks = useMemo(() => timeTicks(from, to, trackWidth, timeZone), [from, to, trackWidth, timeZone]);
  const clusters = useMemo(() => clusterMarkers(markers, from, to, trackWidth), [markers, from, to, trackWidth]);
  const tooltip = useMemo(() => {
    if (!pointed) return null;
    if (pointed.node >= 0 && pointed.node < graph.nodes.length) return nodeTooltip(graph, pointed.node, presence, diff);
    if (pointed.edge >= 0 && pointed.edge < graph.edges.length) return edgeTooltip(graph, pointed.edge, diff);
    return null;
  }, [pointed, graph, presence, diff]);
  const drawnCount = diff ? diff.nodes.reduce((n, d) => n + (d ? 1 : 0), 0) : presence.nodeCount;
  const empty = scene ? emptyInstantMessage(drawnCount, instantText) : undefined;
  const legendKinds = useMemo(() => {
    const counts = new Map<string, number>();
    for (const n of graph.nodes) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
    return [...counts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([k]) => k);
  }, [graph]);
  const edgeStat = useMemo(() => {
    let max = 0;
    for (const e of graph.edges) if (typeof e.mainStat === 'number') max = Math.max(max, e.mainStat);
    return { name: graph.statNames?.edgeMain ?? 'main stat', max };
  }, [graph]);

  const snapshot = useCallback(
    () => ({
      ...describeScene({
        graph,
        layout: layout.result,
        presence,
        diff,
        match: shown,
        focus,
        instant,
        instantText,
        timeZone: zone,
        mode,
        from,
        to,
        stepMs: range.step,
        baseline,
        selected: selectedId,
      }),
      ...describeExtras({
        graph,
        preview,
        playing: playback.playing,
        tooltip,
        curve,
        ticks,
        clusters,
        focus: focusOfDeploy,
        empty: empty?.text ?? null,
      }),
    }),
    [
      preview,
      playback.playing,
      tooltip,
      curve,
      ticks,
      clusters,
      focusOfDeploy,
      empty,
      graph,
      layout.result,
      presence,
      diff,
      shown,
      focus,
      instant,
      instantText,
      zone,
      mode,
      from,
      to,
      range.step,
      baseline,
      selectedId,
    ],
  );

  const message = panelMessage({
    failed: data.state === LoadingState.Error,
    loading: data.state === LoadingState.Loading,
    errors: data.errors ?? (data.error ? [data.error] : []),
    notices: noticesOf(data.series),
    nodes: graph.nodes.length,
    edges: graph.edges.length,
    maxNodes: options.maxNodes,
    hint: tooLarge ? filterHint(graph, options.maxNodes) : undefined,
    layoutError: layout.error,
    drawn: !!scene,
  });
  const body = message && (
    <PanelMessage
      message={message}
      colors={{ error: theme.colors.error.text, secondary: theme.colors.text.secondary }}
    />
  );

  const node = selected >= 0 ? graph.nodes[selected] : undefined;
  const mainHeight = Math.max(50, height - toolbarHeight(baseline !== null, !!focusOfDeploy) - STRIP_HEIGHT - 4);
  const overlay = {
    background: theme.colors.background.primary,
    border: theme.colors.border.medium,
    text: theme.colors.text.primary,
    secondary: theme.colors.text.secondary,
  };
  const canvasWidth = Math.max(50, width - (node ? DETAILS_WIDTH : 0));

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
        preview={preview}
        diff={diff}
        diffOn={baseline !== null}
        view={currentView}
        search={search}
        searchError={parsedSearch.error}
        matches={match?.reduce((a, b) => a + b, 0)}
        changes={focusOfDeploy?.changes}
        onChangeSelect={(id) => setSelectedId(id)}
        onMode={setMode}
        deploy={deploy}
        onDiff={toggleDiff}
        onZoom={onZoom}
        onView={onView}
        onSearch={setSearch}
      />
      <div style={{ display: 'flex', height: mainHeight }}>
        {body ?? (
          <div style={{ position: 'relative', width: canvasWidth, height: mainHeight }}>
            <GraphCanvas
              scene={scene!}
              width={canvasWidth}
              height={mainHeight}
              labels={options.labels}
              fitKey={layout.result}
              onHover={setHover}
              onPointAt={(t) => setPointed(t.node >= 0 || t.edge >= 0 ? t : null)}
              nav={nav}
              onSelect={(i) => setSelectedId(i >= 0 ? graph.nodes[i].id : null)}
              snapshot={snapshot}
            />
            {empty && (
              <div style={{ position: 'absolute', inset: 0, pointerEvents: 'none', display: 'flex' }}>
                <PanelMessage
                  message={empty}
                  colors={{ error: theme.colors.error.text, secondary: overlay.secondary }}
                />
              </div>
            )}
            <NavButtons nav={nav} colors={overlay} />
            {options.legend !== 'hidden' && (
              <Legend
                kinds={legendKinds}
                colorBy={options.colorBy}
                edgeMetric={options.edgeMetric}
                edgeStat={edgeStat}
                diffOn={baseline !== null}
                open={options.legend === 'open'}
                colors={overlay}
              />
            )}
            {tooltip && pointed && (
              <Tooltip
                text={tooltip}
                x={pointed.x}
                y={pointed.y}
                width={canvasWidth}
                height={mainHeight}
                colors={overlay}
              />
            )}
          </div>
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
            exploreDatasource={
              // a dashboard variable (the provisioned dashboards' ${DS_PROMETHEUS}) is resolved; '' stays the default
              options.exploreDatasource && props.replaceVariables(options.exploreDatasource)
            }
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
        clusters={clusters}
        ticks={ticks}
        playback={playback}
        formatTime={formatTime}
        onScrub={(f) => {
          playback.stop();
          scrub(f);
        }}
        onMarker={(m) => {
          playback.stop();
          acrossDeploy(m);
        }}
        colors={overlay}
      />
    </div>
  );
}
