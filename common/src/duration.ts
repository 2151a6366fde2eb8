// Durations in the Prometheus notation, as users write them in flags and settings (`15s`, `1m30s`, `250ms`).

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1e3,
  m: 6e4,
  h: 3.6e6,
  d: 8.64e7,
  w: 6.048e8,
  y: 3.1536e10,
};

/** Parses a Prometheus-style duration (`15s`, `5m`, `1h30m`, `30d`, `250ms`, `1.5h`) into ms; undefined if it is not one. */
export function parseDurationMs(text: string): number | undefined {
  const s = text.trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/y;
  let total = 0;
  let end = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    end = re.lastIndex;
  }
  // the sticky regex stops at the first character it cannot read: all of the text must have been read
  return s.length > 0 && end === s.length ? total : undefined;
}
