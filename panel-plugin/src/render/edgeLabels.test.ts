import { graphFromFrames } from '../model/frames';
import { frame } from '../testutil/frame';
import { edgeLabelOrder, edgeLabelsAt, EDGE_LABEL_MIN_SCALE, statEdgeLabel } from './edgeLabels';

const graph = () =>
  graphFromFrames([
    frame('nodes', { id: ['a', 'b', 'c'] }),
    frame('edges', {
      id: ['a->b', 'a->c', 'b->c'],
      source: ['a', 'a', 'b'],
      target: ['b', 'c', 'c'],
      mainstat: [3, 25_000, 1.5],
      thickness: [1, 4, 2],
    }),
  ]);

describe('edge labels', () => {
  it('carry the chosen metric, shortened', () => {
    const g = graph();
    expect([0, 1, 2].map(statEdgeLabel(g, 'mainstat'))).toEqual(['3', '25.0k', '1.5']);
    expect([0, 1, 2].map(statEdgeLabel(g, 'thickness'))).toEqual(['1', '4', '2']);
    expect(statEdgeLabel(g, 'none')(0)).toBeUndefined();
  });

  it('take the space heaviest first and appear only zoomed in', () => {
    expect(Array.from(edgeLabelOrder(graph()))).toEqual([1, 0, 2]);
    expect(edgeLabelsAt(EDGE_LABEL_MIN_SCALE)).toBe(true);
    expect(edgeLabelsAt(EDGE_LABEL_MIN_SCALE / 2)).toBe(false);
  });
});
