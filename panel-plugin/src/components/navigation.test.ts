import { NODE_RADIUS, type RenderScene } from '../render/scene';
import { drawnNodes, edgeAt, fitScene, LABEL_ROOM, zoomAt, zoomBounds } from './navigation';

/** Three nodes on a line, 0 -> 1 -> 2; node 2 not drawn. */
function scene(): RenderScene {
  return {
    x: Float64Array.from([0, 200, 400]),
    y: Float64Array.from([0, 0, 300]),
    boxes: [],
    nodeIds: ['a', 'b', 'c'],
    edgeIds: ['a->b', 'b->c'],
    labels: ['a', 'b', 'c'],
    priority: Int32Array.from([0, 1, 2]),
    nodeStyle: Int16Array.from([0, 0, -1]),
    nodeStyles: [{ fill: '#fff', stroke: '#fff', dashed: false, alpha: 1, ring: 0 }],
    nodeState: Uint8Array.from([3, 3, 0]),
    edgeSource: Int32Array.from([0, 1]),
    edgeTarget: Int32Array.from([1, 2]),
    edgeStyle: Int16Array.from([0, -1]),
    edgeStyles: [{ color: '#fff', width: 1, dashed: false, alpha: 1 }],
    edgeLabel: () => undefined,
    edgeOrder: Int32Array.from([0, 1]),
    text: '#fff',
    box: '#fff',
  };
}

describe('navigation', () => {
  const s = scene();

  it('fits every node with room under the lowest one for its label', () => {
    const v = fitScene(s, 800, 600);
    const bottom = 300 * v.scale + v.ty + NODE_RADIUS * v.scale + 3 + 14;
    expect(bottom).toBeLessThanOrEqual(600);
    expect(600 - (300 * v.scale + v.ty)).toBeGreaterThanOrEqual(LABEL_ROOM);
  });

  it('fit-to-view fits only the nodes drawn at the instant', () => {
    const only = drawnNodes(s);
    expect(Array.from(only)).toEqual([1, 1, 0]);
    const all = fitScene(s, 800, 600);
    const drawn = fitScene(s, 800, 600, only);
    expect(drawn.scale).toBeGreaterThan(all.scale);
    // the two drawn nodes are centred horizontally
    expect(((0 + 200) / 2) * drawn.scale + drawn.tx).toBeCloseTo(400);
  });

  it('bounds the zoom: the graph cannot shrink below a quarter of its fitted size', () => {
    const fitted = fitScene(s, 800, 600);
    const b = zoomBounds(fitted);
    let v = fitted;
    for (let i = 0; i < 100; i++) v = zoomAt(v, 0.5, 400, 300, b);
    expect(v.scale).toBeCloseTo(fitted.scale / 4);
    for (let i = 0; i < 100; i++) v = zoomAt(v, 2, 400, 300, b);
    expect(v.scale).toBe(8);
    // zooming keeps the point under the cursor where it is
    const z = zoomAt(fitted, 1.5, 123, 45, b);
    expect((123 - fitted.tx) / fitted.scale).toBeCloseTo((123 - z.tx) / z.scale);
  });

  it('finds the drawn edge under the pointer, not over its end nodes, and never an undrawn one', () => {
    const v = { scale: 1, tx: 0, ty: 0 };
    expect(edgeAt(s, v, 100, 3)).toBe(0);
    expect(edgeAt(s, v, 100, 20)).toBe(-1);
    expect(edgeAt(s, v, 5, 0)).toBe(-1);
    expect(edgeAt(s, v, 300, 150)).toBe(-1);
  });
});
