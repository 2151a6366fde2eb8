// Rewrites a plugin's module.js.map so that every entry of `sources` resolves: files of the repository become paths
// relative to the map (../src/module.ts, ../../common/src/frames.ts), and what has no file (webpack's runtime,
// `external amd "react"`) is left out together with its mappings. Grafana's plugin validator reads these paths.
const fs = require('node:fs');
const path = require('node:path');

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** Base64 VLQ: a segment's fields, each a signed delta. */
function decodeSegment(s) {
  const out = [];
  let value = 0;
  let shift = 0;
  for (const ch of s) {
    const d = B64_INDEX.get(ch);
    if (d === undefined) throw new Error(`bad VLQ character ${JSON.stringify(ch)}`);
    value += (d & 31) << shift;
    if (d & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

function encodeValue(n) {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let s = '';
  do {
    let d = v & 31;
    v >>>= 5;
    if (v > 0) d |= 32;
    s += B64[d];
  } while (v > 0);
  return s;
}

/** Absolute segments per generated line: [column, source, line, column, name?] or [column]. */
function decodeMappings(mappings) {
  const state = [0, 0, 0, 0, 0];
  return mappings.split(';').map((line) => {
    state[0] = 0;
    return line
      .split(',')
      .filter(Boolean)
      .map((seg) => {
        const d = decodeSegment(seg);
        return d.map((x, i) => (state[i] += x));
      });
  });
}

function encodeMappings(lines) {
  const state = [0, 0, 0, 0, 0];
  return lines
    .map((segs) => {
      state[0] = 0;
      return segs
        .map((seg) => {
          const s = seg.map((x, i) => encodeValue(x - state[i])).join('');
          seg.forEach((x, i) => (state[i] = x));
          return s;
        })
        .join(',');
    })
    .join(';');
}

/**
 * @param {string} mapFile the emitted .map
 * @param {string} context the folder webpack resolved `./src/...` against (the plugin workspace)
 */
function tidySourceMap(mapFile, context) {
  const map = JSON.parse(fs.readFileSync(mapFile, 'utf8'));
  const mapDir = path.dirname(mapFile);
  const newIndex = [];
  const sources = [];
  const contents = [];
  map.sources.forEach((src, i) => {
    const rel = src.replace(/^webpack:\/\/[^/]*\//, '');
    const file = rel.startsWith('./') || rel.startsWith('../') ? path.resolve(context, rel) : undefined;
    if (!file || !fs.existsSync(file)) return void (newIndex[i] = -1);
    newIndex[i] = sources.length;
    sources.push(path.relative(mapDir, file).split(path.sep).join('/'));
    contents.push(map.sourcesContent ? map.sourcesContent[i] : null);
  });
  const lines = decodeMappings(map.mappings).map((segs) =>
    segs
      .filter((s) => s.length === 1 || newIndex[s[1]] >= 0)
      .map((s) => (s.length === 1 ? s : [s[0], newIndex[s[1]], ...s.slice(2)])),
  );
  const out = { ...map, sources, mappings: encodeMappings(lines), sourceRoot: '' };
  if (map.sourcesContent) out.sourcesContent = contents;
  fs.writeFileSync(mapFile, JSON.stringify(out));
}

module.exports = { tidySourceMap, decodeMappings, encodeMappings };
