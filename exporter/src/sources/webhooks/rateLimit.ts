// Admission control for webhooks: a token bucket (sustained rate, bursts of twice that) and a cap on requests in
// flight. Checked before the body is read, so a flood is answered 429 cheaply and the event loop stays free to
// serve scrapes.
export class RateLimiter {
  private tokens: number;
  private last: number;
  private inFlight = 0;

  constructor(
    /** requests per second; 0 disables the bucket */
    private readonly rate: number,
    private readonly maxInFlight = 256,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = this.burst();
    this.last = this.now();
  }

  private burst(): number {
    return Math.max(1, this.rate * 2);
  }

  /** Takes a slot, or returns false (answer 429). Call `release` when the request is done. */
  tryAcquire(): boolean {
    if (this.inFlight >= this.maxInFlight) return false;
    if (this.rate > 0) {
      const t = this.now();
      this.tokens = Math.min(this.burst(), this.tokens + ((t - this.last) / 1000) * this.rate);
      this.last = t;
      if (this.tokens < 1) return false;
      this.tokens -= 1;
    }
    this.inFlight++;
    return true;
  }

  release(): void {
    this.inFlight--;
  }
}
