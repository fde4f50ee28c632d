// Seeded randomness for the simulator: the same seed gives the same fleet (names, profiles,
// jitter, failures), so a demo or a benchmark can be reproduced.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number
  /** Uniform in [min, max). */
  range(min: number, max: number): number
  pick<T>(items: readonly T[]): T
  /** True with probability p. */
  chance(p: number): boolean
  /** A child generator whose stream does not depend on how much this one is used later. */
  fork(salt: number): Rng
}

/** Mix two 32-bit values into one (for deriving per-agent seeds). */
export function mixSeed(a: number, b: number): number {
  let h = (a ^ 0x9e3779b9) >>> 0
  h = Math.imul(h ^ (b >>> 0), 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h >>> 0
}

/** A small fast PRNG (mulberry32): good enough for simulation, not for secrets. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    range: (min, max) => min + next() * (max - min),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    fork: (salt) => createRng(mixSeed(seed, salt)),
  }
  return rng
}

/** Stable 32-bit hash of a string (FNV-1a), for deriving facts from a name. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
