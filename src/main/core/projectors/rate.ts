// Messages per second over a sliding window of one-second buckets.

export class RateMeter {
  private buckets = new Map<number, number>()

  constructor(
    private readonly windowS = 5,
    private readonly clock: () => number = Date.now,
  ) {}

  add(n: number): void {
    const sec = Math.floor(this.clock() / 1000)
    this.buckets.set(sec, (this.buckets.get(sec) ?? 0) + n)
    for (const k of this.buckets.keys()) if (k <= sec - this.windowS) this.buckets.delete(k)
  }

  /** Average over the last `windowS` full seconds plus the current one. */
  perSecond(): number {
    const sec = Math.floor(this.clock() / 1000)
    let sum = 0
    for (const [k, v] of this.buckets) if (k > sec - this.windowS) sum += v
    const elapsed = this.windowS - 1 + (this.clock() % 1000) / 1000
    return Math.round((sum / elapsed) * 10) / 10
  }
}
