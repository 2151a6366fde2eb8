// Grafana loads this file (built to dist/module.js) and reads `plugin`.
import { PanelPlugin, type SelectableValue } from '@grafana/data';
import { ExploreDatasourceEditor } from './components/ExploreDatasourceEditor';
import { ServiceGraphPanel } from './components/ServiceGraphPanel';
import { defaultOptions, type PanelOptions } from './options';

/** The options whose values are a closed set of names, each shown as one radio button. */
type Choice = {
  [K in keyof PanelOptions]: PanelOptions[K] extends string ? (string extends PanelOptions[K] ? never : K) : never;
}[keyof PanelOptions];

/**
 * The editor of one radio option. Its default is the one in defaultOptions and `labels` names every value of the
 * option's type (in the order shown), so neither can drift from options.ts.
 */
function radio<K extends Choice>(
  path: K,
  name: string,
  labels: Record<PanelOptions[K], string>,
  description?: string,
): {
  path: K;
  name: string;
  description?: string;
  defaultValue: PanelOptions[K];
  settings: { options: Array<SelectableValue<PanelOptions[K]>> };
} {
  const options = (Object.keys(labels) as Array<PanelOptions[K]>).map((value) => ({ value, label: labels[value] }));
  return {
    path,
    name,
    ...(description === undefined ? {} : { description }),
    defaultValue: defaultOptions[path],
    settings: { options },
  };
}

export const plugin = new PanelPlugin<Partial<PanelOptions>>(ServiceGraphPanel).setPanelOptions((builder) =>
  builder
    .addRadio(
      radio(
        'layout',
        'Layout',
        { layered: 'Layered', force: 'Force' },
        'Layered puts callers above callees; force spreads nodes by their connections',
      ),
    )
    .addRadio(
      radio('grouping', 'Group boxes', {
        auto: 'Auto (large graphs)',
        none: 'None',
        namespace: 'Namespace',
        host: 'Host',
        workload: 'Workload',
      }),
    )
    .addRadio(
      radio(
        'labels',
        'Labels',
        { auto: 'Auto', all: 'All', none: 'None' },
        'Auto thins labels out by zoom level and free space',
      ),
    )
    .addRadio(radio('colorBy', 'Node colour', { kind: 'Kind', status: 'Status', field: 'Color field' }))
    .addRadio(
      radio('edgeMetric', 'Edge thickness', { mainstat: 'Main stat', thickness: 'Thickness field', none: 'Constant' }),
    )
    .addRadio(
      radio(
        'edgeFigure',
        'Edge label (L7 figure)',
        { rate: 'Requests/s', errorRatio: 'Error ratio', p95: 'p95 latency', none: 'None' },
        'Written on edges whose source has request figures (Tempo / OTel servicegraph, Cilium Hubble HTTP, Istio)',
      ),
    )
    .addNumberInput({
      path: 'errorThreshold',
      name: 'Error ratio threshold',
      description: 'Edges whose error ratio reaches it (0..1) at the instant are drawn red',
      defaultValue: defaultOptions.errorThreshold,
      settings: { min: 0, max: 1, step: 0.01 },
    })
    .addRadio(radio('defaultMode', 'Default mode', { live: 'Live', paused: 'Paused', travel: 'Travel' }))
    .addRadio(
      radio(
        'legend',
        'Legend',
        { open: 'Open', closed: 'Closed', hidden: 'Hidden' },
        'Node kinds and colours, diff colours, what edge thickness means',
      ),
    )
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
