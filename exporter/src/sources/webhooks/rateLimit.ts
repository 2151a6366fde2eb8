// Admission control for webhooks, decided before a body is read where it can be. Three budgets, so that nobody can
// spend someone else's:
// - per credential: a token bucket (sustained rate, bursts of twice that) for each bearer token or HMAC secret that
//   authenticated a request; only an authenticated request spends it;
// - per peer, for failures: a bucket of the same rate that only failed authentications spend; once empty, the peer's
//   requests that cannot be authenticated before their body (HMAC) are answered 429 without reading, while a valid
//   bearer token from that peer still goes through;
// - slots: requests in flight, with a separate, smaller pool for bodies read before their sender is known (HMAC
//   endpoints), capped per peer, so stalled unauthenticated uploads never take an authenticated sender's slot.
class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly now: () => number,
  ) {
    this.tokens = this.burst();
    this.last = now();
  }

  private burst(): number {
    return Math.max(1, this.rate * 2);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst(), this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
  }

  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  empty(): boolean {
    this.refill();
    return this.tokens < 1;
  }

  full(): boolean {
    this.refill();
    return this.tokens >= this.burst();
  }
}

export interface AdmissionOptions {
  /** requests per second per credential, and failures per second per peer; 0 disables both buckets */
  rate: number;
  /** authenticated requests in flight */
  maxInFlight?: number;
  /** requests in flight whose sender is not known yet (HMAC bodies being read) */
  maxUnverified?: number;
  /** the same, per peer address */
  maxUnverifiedPerPeer?: number;
  now?: () => number;
}

/** Peers whose failure bucket is remembered; beyond that, refilled ones are forgotten first. */
const MAX_PEERS = 10_000;

export class RateLimiter {
  private readonly rate: number;
  private readonly now: () => number;
  private readonly maxInFlight: number;
  private readonly maxUnverified: number;
  private readonly maxUnverifiedPerPeer: number;
  private readonly credentials = new Map<string, TokenBucket>();
  private readonly failures = new Map<string, TokenBucket>();
  private readonly unverifiedByPeer = new Map<string, number>();
  private inFlight = 0;
  private unverified = 0;

  constructor(opts: AdmissionOptions) {
    this.rate = opts.rate;
    this.now = opts.now ?? (() => performance.now());
    this.maxInFlight = opts.maxInFlight ?? 256;
    this.maxUnverified = opts.maxUnverified ?? 128;
    this.maxUnverifiedPerPeer = opts.maxUnverifiedPerPeer ?? 8;
  }

  /** Spends one request of an authenticated credential's budget; false: answer 429. */
  allowCredential(key: string): boolean {
    if (this.rate <= 0) return true;
    let b = this.credentials.get(key);
    if (!b) this.credentials.set(key, (b = new TokenBucket(this.rate, this.now)));
    return b.take();
  }

  /** A failed authentication from this peer (spends the peer's failure budget, nobody else's). */
  failed(peer: string): void {
    if (this.rate <= 0) return;
    let b = this.failures.get(peer);
    if (!b) {
      if (this.failures.size >= MAX_PEERS) this.forgetRefilled();
      this.failures.set(peer, (b = new TokenBucket(this.rate, this.now)));
    }
    b.take();
  }

  /** true when the peer has failed authentication faster than the rate: its unauthenticated requests get 429 */
  peerBlocked(peer: string): boolean {
    return this.failures.get(peer)?.empty() ?? false;
  }

  private forgetRefilled(): void {
    for (const [peer, b] of this.failures) if (b.full()) this.failures.delete(peer);
    // still full of active failures: the oldest go (they are re-created, full, on their next failure)
    for (const peer of this.failures.keys()) {
      if (this.failures.size < MAX_PEERS) break;
      this.failures.delete(peer);
    }
  }

  /** Takes a slot for an authenticated request; false: answer 429. Call `release` when done. */
  acquire(): boolean {
    if (this.inFlight >= this.maxInFlight) return false;
    this.inFlight++;
    return true;
  }

  release(): void {
    this.inFlight--;
  }

  /** Takes a slot for a request whose body must be read before its sender is known; false: answer 429. */
  acquireUnverified(peer: string): boolean {
    const held = this.unverifiedByPeer.get(peer) ?? 0;
    if (this.unverified >= this.maxUnverified || held >= this.maxUnverifiedPerPeer) return false;
    this.unverified++;
    this.unverifiedByPeer.set(peer, held + 1);
    return true;
  }

  releaseUnverified(peer: string): void {
    this.unverified--;
    const held = (this.unverifiedByPeer.get(peer) ?? 1) - 1;
    if (held <= 0) this.unverifiedByPeer.delete(peer);
    else this.unverifiedByPeer.set(peer, held);
  }
}
