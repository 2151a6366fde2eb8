// The strip's time axis: ticks at round local times of the dashboard's time zone (midnight, whole hours, ...),
// spaced so their labels do not overlap, labelled in that zone.

export interface Tick {
  time: number;
  label: string;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const STEPS = [1, 2, 5, 10, 15, 30]
  .map((x) => x * S)
  .concat(
    [1, 2, 5, 10, 15, 30].map((x) => x * M),
    [1, 2, 3, 6, 12].map((x) => x * H),
    [1, 2, 7, 14, 30].map((x) => x * D),
  );

/** The IANA zone for Intl of a Grafana time zone ('utc', 'browser', '' or an IANA name); undefined is the browser's. */
export function ianaZone(timeZone: string | undefined): string | undefined {
  if (!timeZone || timeZone === 'browser') return undefined;
  return timeZone.toLowerCase() === 'utc' ? 'UTC' : timeZone;
}

type Parts = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;

function formatter(zone: string | undefined): Intl.DateTimeFormat {
  const o: Intl.DateTimeFormatOptions = {
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  };
  try {
    return new Intl.DateTimeFormat('en-US', { ...o, timeZone: zone });
  } catch {
    // an unknown zone name: UTC rather than no axis
    return new Intl.DateTimeFormat('en-US', { ...o, timeZone: 'UTC' });
  }
}

function partsOf(f: Intl.DateTimeFormat, t: number): Parts {
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, Number(x.value)])) as Parts;
  return p;
}

/** The zone's offset from UTC at t, in ms (local wall clock minus UTC). */
function offsetAt(f: Intl.DateTimeFormat, t: number): number {
  const p = partsOf(f, t);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  return wall - Math.floor(t / S) * S;
}

const pad = (n: number) => String(n).padStart(2, '0');

function label(p: Parts, step: number): string {
  const date = `${pad(p.month)}-${pad(p.day)}`;
  if (step >= D || (p.hour === 0 && p.minute === 0 && p.second === 0)) return date;
  const hm = `${pad(p.hour)}:${pad(p.minute)}`;
  return step < M ? `${hm}:${pad(p.second)}` : hm;
}

/** The tick step: the smallest round step that keeps ticks at least `minGap` pixels apart. */
export function tickStep(from: number, to: number, width: number, minGap = 90): number {
  const span = Math.max(1, to - from);
  const most = Math.max(1, Math.floor(width / minGap));
  return STEPS.find((s) => span / s <= most) ?? STEPS[STEPS.length - 1];
}

/** Ticks inside [from, to] at round wall-clock times of `timeZone`. */
export function timeTicks(from: number, to: number, width: number, timeZone: string | undefined, minGap = 90): Tick[] {
  if (!(to > from) || width <= 0) return [];
  const f = formatter(ianaZone(timeZone));
  const step = tickStep(from, to, width, minGap);
  const out: Tick[] = [];
  let local = Math.ceil((from + offsetAt(f, from)) / step) * step;
  for (let guard = 0; guard < 1000; guard++, local += step) {
    // wall-clock time back to an instant: the offset of the guess, then of the result (DST changes in between)
    let t = local - offsetAt(f, local - offsetAt(f, from));
    t = local - offsetAt(f, t);
    if (t > to) break;
    if (t < from || (out.length && t <= out[out.length - 1].time)) continue;
    out.push({ time: t, label: label(partsOf(f, t), step) });
  }
  return out;
}
