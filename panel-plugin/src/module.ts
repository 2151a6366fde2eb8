// Grafana loads this file (built to dist/module.js) and reads `plugin`.
import { PanelPlugin } from '@grafana/data';
import { ExploreDatasourceEditor } from './components/ExploreDatasourceEditor';
import { ServiceGraphPanel } from './components/ServiceGraphPanel';
import { defaultOptions, type PanelOptions } from './options';

export const plugin = new PanelPlugin<Partial<PanelOptions>>(ServiceGraphPanel).setPanelOptions((builder) =>
  builder
    .addRadio({
      path: 'layout',
      name: 'Layout',
      description: 'Layered puts callers above callees; force spreads nodes by their connections',
      defaultValue: defaultOptions.layout,
      settings: {
        options: [
          { value: 'layered', label: 'Layered' },
          { value: 'force', label: 'Force' },
        ],
      },
    })
    .addRadio({
      path: 'grouping',
      name: 'Group boxes',
      defaultValue: defaultOptions.grouping,
      settings: {
        options: [
          { value: 'auto', label: 'Auto (large graphs)' },
          { value: 'none', label: 'None' },
          { value: 'namespace', label: 'Namespace' },
          { value: 'host', label: 'Host' },
          { value: 'workload', label: 'Workload' },
        ],
      },
    })
    .addRadio({
      path: 'labels',
      name: 'Labels',
      description: 'Auto thins labels out by zoom level and free space',
      defaultValue: defaultOptions.labels,
      settings: {
        options: [
          { value: 'auto', label: 'Auto' },
          { value: 'all', label: 'All' },
          { value: 'none', label: 'None' },
        ],
      },
    })
    .addRadio({
      path: 'colorBy',
      name: 'Node colour',
      defaultValue: defaultOptions.colorBy,
      settings: {
        options: [
          { value: 'kind', label: 'Kind' },
          { value: 'status', label: 'Status' },
          { value: 'field', label: 'Color field' },
        ],
      },
    })
    .addRadio({
      path: 'edgeMetric',
      name: 'Edge thickness',
      defaultValue: defaultOptions.edgeMetric,
      settings: {
        options: [
          { value: 'mainstat', label: 'Main stat' },
          { value: 'thickness', label: 'Thickness field' },
          { value: 'none', label: 'Constant' },
        ],
      },
    })
    .addRadio({
      path: 'edgeFigure',
      name: 'Edge label (L7 figure)',
      description: 'Written on edges whose source has request figures (Tempo, OTel servicegraph, Hubble HTTP)',
      defaultValue: defaultOptions.edgeFigure,
      settings: {
        options: [
          { value: 'rate', label: 'Requests/s' },
          { value: 'errorRatio', label: 'Error ratio' },
          { value: 'p95', label: 'p95 latency' },
          { value: 'none', label: 'None' },
        ],
      },
    })
    .addNumberInput({
      path: 'errorThreshold',
      name: 'Error ratio threshold',
      description: 'Edges whose error ratio reaches it (0..1) at the instant are drawn red',
      defaultValue: defaultOptions.errorThreshold,
      settings: { min: 0, max: 1, step: 0.01 },
    })
    .addRadio({
      path: 'defaultMode',
      name: 'Default mode',
      defaultValue: defaultOptions.defaultMode,
      settings: {
        options: [
          { value: 'live', label: 'Live' },
          { value: 'paused', label: 'Paused' },
          { value: 'travel', label: 'Travel' },
        ],
      },
    })
    .addRadio({
      path: 'legend',
      name: 'Legend',
      description: 'Node kinds and colours, diff colours, what edge thickness means',
      defaultValue: defaultOptions.legend,
      settings: {
        options: [
          { value: 'open', label: 'Open' },
          { value: 'closed', label: 'Closed' },
          { value: 'hidden', label: 'Hidden' },
        ],
      },
    })
    .addBooleanSwitch({
      path: 'followCrosshair',
      name: 'Follow the shared crosshair',
      description:
        "Move the instant with the other panels' cursor. In Live it is a preview: the panel stays Live and returns to the end of the range when the cursor leaves",
      defaultValue: defaultOptions.followCrosshair,
    })
    .addNumberInput({
      path: 'maxNodes',
      name: 'Most nodes drawn',
      description: 'Larger graphs show a message instead of freezing the tab',
      defaultValue: defaultOptions.maxNodes,
      settings: { min: 1, integer: true },
    })
    .addTextInput({
      path: 'viewVariable',
      name: 'View variable',
      description: 'Dashboard variable the view switch sets (the Timescope query reads it)',
      defaultValue: defaultOptions.viewVariable,
    })
    .addCustomEditor({
      id: 'exploreDatasource',
      path: 'exploreDatasource',
      name: 'Prometheus datasource for Explore links',
      description: "The node details' CPU and memory links open Explore on this datasource",
      defaultValue: defaultOptions.exploreDatasource,
      editor: ExploreDatasourceEditor,
    }),
);
