// The layout algorithms. Everything lives inside createLayoutEngine() and refers to nothing outside it, so its
// source text can also be started as a Web Worker from a Blob URL (see worker.ts) while module.js stays one file.
// Positions are computed for every node seen in the range: moving the instant never moves a node.

export type LayoutAlgorithm = 'layered' | 'force';

export interface LayoutInput {
  /** number of nodes */
  n: number;
  /** edge endpoints as pairs: [s0, t0, s1, t1, ...] (caller, callee) */
  edges: Int32Array;
  /** group index of each node, -1 for none */
  groups: Int32Array;
  groupNames: string[];
  algorithm: LayoutAlgorithm;
  nodeSpacing: number;
  layerSpacing: number;
}

export interface LayoutBox {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LayoutResult {
  x: Float64Array;
  y: Float64Array;
  boxes: LayoutBox[];
  /** index into boxes of each node's box, -1 for none (absent when there are no boxes) */
  nodeBox?: Int32Array;
}

export interface LayoutEngine {
  layout(input: LayoutInput): LayoutResult;
}

export function createLayoutEngine(): LayoutEngine {
  /** Compressed adjacency of a part (nodes renumbered 0..m-1). */
  function adjacency(m: number, pairs: number[]): { start: Int32Array; to: Int32Array } {
    const start = new Int32Array(m + 1);
    for (let i = 0; i < pairs.length; i += 2) start[pairs[i] + 1]++;
    for (let i = 0; i < m; i++) start[i + 1] += start[i];
    const fill = start.slice(0, m);
    const to = new Int32Array(pairs.length / 2);
    for (let i = 0; i < pairs.length; i += 2) to[fill[pairs[i]]++] = pairs[i + 1];
    return { start, to };
  }

  /** Drops the edges that close a cycle (found by an iterative depth-first walk), returns DAG pairs and visit order. */
  function acyclic(m: number, pairs: number[]): { dag: number[]; order: Int32Array } {
    const { start, to } = adjacency(m, pairs);
    const state = new Uint8Array(m); // 0 new, 1 on stack, 2 done
    const back = new Set<number>(); // edge index in `to` that is a back edge
    const order = new Int32Array(m);
    let seen = 0;
    const stack = new Int32Array(m);
    const cursor = new Int32Array(m);
    for (let root = 0; root < m; root++) {
      if (state[root]) continue;
      let sp = 0;
      stack[sp++] = root;
      state[root] = 1;
      cursor[root] = start[root];
      order[seen++] = root;
      while (sp > 0) {
        const v = stack[sp - 1];
        if (cursor[v] < start[v + 1]) {
          const k = cursor[v]++;
          const w = to[k];
          if (state[w] === 1) back.add(k);
          else if (state[w] === 0) {
            state[w] = 1;
            cursor[w] = start[w];
            order[seen++] = w;
            stack[sp++] = w;
          }
        } else {
          state[v] = 2;
          sp--;
        }
      }
    }
    const dag: number[] = [];
    for (let v = 0; v < m; v++) {
      for (let k = start[v]; k < start[v + 1]; k++) if (!back.has(k) && to[k] !== v) dag.push(v, to[k]);
    }
    return { dag, order };
  }

  /** Longest path from the sources: callers end up above their callees. */
  function layers(m: number, dag: number[]): Int32Array {
    const { start, to } = adjacency(m, dag);
    const indeg = new Int32Array(m);
    for (let i = 1; i < dag.length; i += 2) indeg[dag[i]]++;
    const layer = new Int32Array(m);
    const queue = new Int32Array(m);
    let head = 0;
    let tail = 0;
    for (let v = 0; v < m; v++) if (indeg[v] === 0) queue[tail++] = v;
    while (head < tail) {
      const v = queue[head++];
      for (let k = start[v]; k < start[v + 1]; k++) {
        const w = to[k];
        if (layer[v] + 1 > layer[w]) layer[w] = layer[v] + 1;
        if (--indeg[w] === 0) queue[tail++] = w;
      }
    }
    return layer;
  }

  /** Orders each layer by the barycentre of its neighbours in the layer above (then below), a few sweeps. */
  function orderLayers(m: number, dag: number[], layer: Int32Array, dfsOrder: Int32Array): number[][] {
    let depth = 0;
    for (let v = 0; v < m; v++) if (layer[v] > depth) depth = layer[v];
    const rows: number[][] = [];
    for (let l = 0; l <= depth; l++) rows.push([]);
    for (let i = 0; i < m; i++) rows[layer[dfsOrder[i]]].push(dfsOrder[i]);
    const pos = new Float64Array(m);
    const place = (row: number[]) => row.forEach((v, i) => (pos[v] = row.length > 1 ? i / (row.length - 1) : 0.5));
    rows.forEach(place);
    const up = adjacency(m, dag);
    const flipped: number[] = [];
    for (let i = 0; i < dag.length; i += 2) flipped.push(dag[i + 1], dag[i]);
    const down = adjacency(m, flipped);
    const key = new Float64Array(m);
    const sweep = (row: number[], adj: { start: Int32Array; to: Int32Array }) => {
      for (const v of row) {
        let sum = 0;
        let cnt = 0;
        for (let k = adj.start[v]; k < adj.start[v + 1]; k++) {
          sum += pos[adj.to[k]];
          cnt++;
        }
        key[v] = cnt ? sum / cnt : pos[v];
      }
      row.sort((a, b) => key[a] - key[b] || a - b);
      place(row);
    };
    for (let it = 0; it < 4; it++) {
      for (let l = 1; l <= depth; l++) sweep(rows[l], down); // parents (callers) of each node
      for (let l = depth - 1; l >= 0; l--) sweep(rows[l], up); // children (callees)
    }
    return rows;
  }

  /** Lays out one part (all nodes, or one group) with local coordinates starting at (0, 0). */
  function layeredPart(
    m: number,
    pairs: number[],
    sx: number,
    sy: number,
  ): { x: Float64Array; y: Float64Array; w: number; h: number } {
    const { dag, order } = acyclic(m, pairs);
    const layer = layers(m, dag);
    const rows = orderLayers(m, dag, layer, order);
    // Very wide layers (many leaves or unconnected nodes) wrap onto several rows, keeping the drawing near square.
    const maxRow = Math.max(8, Math.ceil(Math.sqrt(m) * 1.6));
    const lines: number[][] = [];
    for (const row of rows) {
      for (let i = 0; i < row.length; i += maxRow) lines.push(row.slice(i, i + maxRow));
    }
    const widest = lines.reduce((w, l) => Math.max(w, l.length), 1);
    const x = new Float64Array(m);
    const y = new Float64Array(m);
    lines.forEach((line, r) => {
      const offset = ((widest - line.length) * sx) / 2;
      line.forEach((v, i) => {
        x[v] = offset + i * sx;
        y[v] = r * sy;
      });
    });
    return { x, y, w: (widest - 1) * sx, h: Math.max(0, lines.length - 1) * sy };
  }

  /** Springs along edges, repulsion between nearby nodes (grid buckets), starting from the layered positions. */
  function forceRefine(m: number, pairs: number[], x: Float64Array, y: Float64Array, ideal: number): void {
    if (m < 2) return;
    const iterations = Math.max(20, Math.min(150, Math.floor(60000 / m)));
    const dx = new Float64Array(m);
    const dy = new Float64Array(m);
    const cell = ideal * 2;
    let temp = ideal * 2;
    for (let it = 0; it < iterations; it++) {
      dx.fill(0);
      dy.fill(0);
      const buckets = new Map<number, number[]>();
      const keyOf = (cx: number, cy: number) => cx * 73856093 + cy * 19349663;
      for (let v = 0; v < m; v++) {
        const k = keyOf(Math.floor(x[v] / cell), Math.floor(y[v] / cell));
        const b = buckets.get(k);
        if (b) b.push(v);
        else buckets.set(k, [v]);
      }
      for (let v = 0; v < m; v++) {
        const cx = Math.floor(x[v] / cell);
        const cy = Math.floor(y[v] / cell);
        for (let ox = -1; ox <= 1; ox++) {
          for (let oy = -1; oy <= 1; oy++) {
            const b = buckets.get(keyOf(cx + ox, cy + oy));
            if (!b) continue;
            for (const w of b) {
              if (w === v) continue;
              let ddx = x[v] - x[w];
              let ddy = y[v] - y[w];
              let d2 = ddx * ddx + ddy * ddy;
              if (d2 < 0.01) {
                ddx = ((v * 7919) % 13) - 6 || 1;
                ddy = ((w * 104729) % 11) - 5 || 1;
                d2 = ddx * ddx + ddy * ddy;
              }
              if (d2 > cell * cell) continue;
              const f = (ideal * ideal) / d2;
              dx[v] += ddx * f;
              dy[v] += ddy * f;
            }
          }
        }
      }
      for (let i = 0; i < pairs.length; i += 2) {
        const s = pairs[i];
        const t = pairs[i + 1];
        if (s === t) continue;
        const ddx = x[t] - x[s];
        const ddy = y[t] - y[s];
        const d = Math.sqrt(ddx * ddx + ddy * ddy) || 1;
        const f = d / ideal;
        dx[s] += ddx * f * 0.5;
        dy[s] += ddy * f * 0.5;
        dx[t] -= ddx * f * 0.5;
        dy[t] -= ddy * f * 0.5;
      }
      for (let v = 0; v < m; v++) {
        const d = Math.sqrt(dx[v] * dx[v] + dy[v] * dy[v]);
        if (d > 0) {
          const step = Math.min(d, temp);
          x[v] += (dx[v] / d) * step;
          y[v] += (dy[v] / d) * step;
        }
      }
      temp = Math.max(ideal * 0.05, temp * 0.95);
    }
    let minX = Infinity;
    let minY = Infinity;
    for (let v = 0; v < m; v++) {
      minX = Math.min(minX, x[v]);
      minY = Math.min(minY, y[v]);
    }
    for (let v = 0; v < m; v++) {
      x[v] -= minX;
      y[v] -= minY;
    }
  }

  function layout(input: LayoutInput): LayoutResult {
    const { n, edges, groups, groupNames, nodeSpacing, layerSpacing } = input;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    // Parts: one per group (ungrouped nodes form their own part).
    const partOf = new Int32Array(n);
    const partIds = new Map<number, number>();
    const members: number[][] = [];
    for (let v = 0; v < n; v++) {
      const g = groups.length === n ? groups[v] : -1;
      let p = partIds.get(g);
      if (p === undefined) {
        p = members.length;
        partIds.set(g, p);
        members.push([]);
      }
      partOf[v] = p;
      members[p].push(v);
    }
    const local = new Int32Array(n);
    for (const list of members) list.forEach((v, i) => (local[v] = i));
    const partPairs: number[][] = members.map(() => []);
    for (let i = 0; i + 1 < edges.length; i += 2) {
      const s = edges[i];
      const t = edges[i + 1];
      if (s < 0 || t < 0 || s >= n || t >= n || partOf[s] !== partOf[t]) continue;
      partPairs[partOf[s]].push(local[s], local[t]);
    }
    const parts = members.map((list, p) => {
      const r = layeredPart(list.length, partPairs[p], nodeSpacing, layerSpacing);
      if (input.algorithm === 'force') {
        forceRefine(list.length, partPairs[p], r.x, r.y, nodeSpacing);
        r.w = r.x.reduce((a, b) => Math.max(a, b), 0);
        r.h = r.y.reduce((a, b) => Math.max(a, b), 0);
      }
      return r;
    });
    const grouped = groups.length === n && partIds.size > 1;
    if (!grouped) {
      parts[0]?.x.forEach((v, i) => (x[members[0][i]] = v));
      parts[0]?.y.forEach((v, i) => (y[members[0][i]] = v));
      return { x, y, boxes: [] };
    }
    // Shelf packing of the group boxes, largest first, in rows about as wide as the whole is tall.
    const pad = nodeSpacing * 0.6;
    const header = 28;
    const sizes = parts.map((r) => ({ w: r.w + 2 * pad, h: r.h + 2 * pad + header }));
    const area = sizes.reduce((a, s) => a + s.w * s.h, 0);
    const rowWidth = Math.max(Math.sqrt(area) * 1.4, ...sizes.map((s) => s.w));
    const orderParts = parts.map((_, p) => p).sort((a, b) => sizes[b].h - sizes[a].h || a - b);
    const gap = nodeSpacing;
    let cx = 0;
    let cy = 0;
    let rowH = 0;
    const boxes: LayoutBox[] = [];
    const nodeBox = new Int32Array(n).fill(-1);
    const groupOfPart: number[] = [];
    partIds.forEach((p, g) => (groupOfPart[p] = g));
    for (const p of orderParts) {
      const s = sizes[p];
      if (cx > 0 && cx + s.w > rowWidth) {
        cx = 0;
        cy += rowH + gap;
        rowH = 0;
      }
      const ox = cx + pad;
      const oy = cy + pad + header;
      members[p].forEach((v, i) => {
        x[v] = ox + parts[p].x[i];
        y[v] = oy + parts[p].y[i];
      });
      const g = groupOfPart[p];
      if (g >= 0) {
        for (const v of members[p]) nodeBox[v] = boxes.length;
        boxes.push({ name: groupNames[g] ?? '', x: cx, y: cy, w: s.w, h: s.h });
      }
      cx += s.w + gap;
      rowH = Math.max(rowH, s.h);
    }
    return { x, y, boxes, nodeBox };
  }

  return { layout };
}
