// The agent's dedup cache: the last N request_ids seen (kanade 0.30 keeps 1024), shared by
// the live subscriptions and the replay path. A repeat is dropped.

export class RecentIds {
  // Grows up to `capacity`, then wraps: thousands of agents that have seen a few commands
  // should not each hold a 1024-slot array.
  private ring: string[] = []
  private readonly set = new Set<string>()
  private next = 0

  constructor(readonly capacity = 1024) {}

  /** Remember `id`; false when it was already among the last `capacity` ids. */
  add(id: string): boolean {
    if (this.set.has(id)) return false
    if (this.ring.length < this.capacity) {
      this.ring.push(id)
    } else {
      this.set.delete(this.ring[this.next])
      this.ring[this.next] = id
      this.next = (this.next + 1) % this.capacity
    }
    this.set.add(id)
    return true
  }

  has(id: string): boolean {
    return this.set.has(id)
  }

  get size(): number {
    return this.set.size
  }

  clear(): void {
    this.set.clear()
    this.ring = []
    this.next = 0
  }
}
