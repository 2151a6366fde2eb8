// The promise a collector can make about a family: frozen, it never changes, so the renderer may cache its text.
// Sources freeze what they publish once per probe; publish/exposition.ts renders a frozen family once.
import type { MetricFamily } from './source';

/**
 * A family frozen with Object.freeze (itself and its samples array) promises never to change, so its sample lines
 * are rendered once and reused by every later scrape: the procfs snapshot changes once per probe, not per scrape.
 */
export function isFrozenFamily(f: MetricFamily): boolean {
  return Object.isFrozen(f) && Object.isFrozen(f.samples);
}

/** Freezes a family so the renderer may cache its text (see isFrozenFamily). */
export function freezeFamily(f: MetricFamily): MetricFamily {
  Object.freeze(f.samples);
  return Object.freeze(f);
}

const bodies = new WeakMap<MetricFamily, readonly Buffer[]>();

/**
 * Freezes a family whose sample lines the caller already rendered (exactly the renderer's text for `samples`, in
 * order, possibly in several chunks): a source that keeps each series' line updates one line per change instead of
 * re-rendering them all, and the chunks are sent as they are (never copied into one buffer).
 */
export function freezeFamilyWithBody(f: MetricFamily, body: Buffer | readonly Buffer[]): MetricFamily {
  const frozen = freezeFamily(f);
  bodies.set(frozen, Buffer.isBuffer(body) ? [body] : body);
  return frozen;
}

/** The pre-rendered sample lines of a family frozen with freezeFamilyWithBody, in chunks. */
export function preRenderedBody(f: MetricFamily): readonly Buffer[] | undefined {
  return bodies.get(f);
}
