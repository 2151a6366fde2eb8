// One capped exponential backoff for everything that retries (Kubernetes informers, the Docker engine, the Grafana
// push): the first delay after a failure is `initial`, each further one doubles up to `max`, a success resets it.
export interface BackoffOptions {
  /** first delay, in the caller's unit (seconds or milliseconds) */
  initial: number;
  max: number;
  /** spread each delay by up to this fraction either way (0.25: 75% to 125%), so retries of many clients scatter */
  jitter?: number;
  random?: () => number;
}

export class Backoff {
  private nextDelay: number;
  private readonly max: number;

  constructor(private readonly opts: BackoffOptions) {
    if (!(opts.initial > 0)) throw new Error('a backoff must start above zero');
    this.max = Math.max(opts.initial, opts.max);
    this.nextDelay = opts.initial;
  }

  /** The delay to wait after this failure; the one after the next failure is twice as long (capped). */
  next(): number {
    const base = this.nextDelay;
    this.nextDelay = Math.min(base * 2, this.max);
    const j = this.opts.jitter ?? 0;
    return j > 0 ? base * (1 - j + (this.opts.random ?? Math.random)() * 2 * j) : base;
  }

  /** A success: the next failure waits `initial` again. */
  reset(): void {
    this.nextDelay = this.opts.initial;
  }
}
