// The render scene a test looks at: a graph's styles (everything present, coloured by kind, no edge metric, unless
// `extra` says otherwise) placed on the line layout.
import type { Graph } from '../model/graph';
import { presenceAll } from '../model/presence';
import type { RenderScene } from '../render/scene';
import { labelPriority, placeScene, sceneStyles, type StyleInput } from '../render/styles';
import { lineLayout } from './shop';

const testTheme = { text: '#text', box: '#box', edge: '#edge', ring: '#ring' };

export function testScene(graph: Graph, extra: Partial<StyleInput> = {}): RenderScene {
  const styles = sceneStyles({
    graph,
    presence: presenceAll(graph),
    focus: -1,
    colorBy: 'kind',
    edgeMetric: 'none',
    priority: labelPriority(graph),
    theme: testTheme,
    ...extra,
  });
  return placeScene(styles, lineLayout(graph));
}
