// An exact sliding-window event counter: per key, the timestamps of the events still inside the
// window, oldest first, in a ring buffer that doubles when full and is never compacted, so counting
// is O(1) amortised and allocates nothing once a key's window has reached its size. Memory is
// bounded by the events in one window plus the keys seen since the last sweep.

/** A key's timestamps: `times[head & mask] … times[(tail - 1) & mask]`, non-decreasing. */
interface KeyWindow {
  times: Float64Array;
  /** `times.length - 1` (the length is a power of two). */
  mask: number;
  head: number;
  tail: number;
}

const INITIAL_CAPACITY = 8;

export class SlidingWindowCounter {
  private readonly windows = new Map<string, KeyWindow>();
  private nextSweep = 0;

  /** `windowMs`: events at time t are counted while `now - windowMs < t <= now`. */
  constructor(readonly windowMs: number) {}

  /**
   * Records one event for `key` at `now` (ms) and returns the number of events for `key` in the
   * window ending at `now`, this one included. A clock that steps back is treated as standing still,
   * so the timestamps of a key never decrease.
   */
  record(key: string, now: number): number {
    this.sweepEvery(now);
    let window = this.windows.get(key);
    if (window === undefined) {
      window = { times: new Float64Array(INITIAL_CAPACITY), mask: INITIAL_CAPACITY - 1, head: 0, tail: 0 };
      this.windows.set(key, window);
    }
    const at = window.tail > window.head ? Math.max(now, window.times[(window.tail - 1) & window.mask]!) : now;
    if (window.tail - window.head > window.mask) grow(window);
    window.times[window.tail & window.mask] = at;
    window.tail += 1;
    return this.expire(window, at);
  }

  /** Number of events for `key` in the window ending at `now`. */
  count(key: string, now: number): number {
    const window = this.windows.get(key);
    return window === undefined ? 0 : this.expire(window, now);
  }

  /** Number of keys currently tracked (for tests of the sweep). */
  get size(): number {
    return this.windows.size;
  }

  private expire(window: KeyWindow, now: number): number {
    const cutoff = now - this.windowMs;
    while (window.head < window.tail && window.times[window.head & window.mask]! <= cutoff) window.head += 1;
    return window.tail - window.head;
  }

  /** Forgets keys whose windows are empty, once per window length, so idle keys do not accumulate. */
  private sweepEvery(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + this.windowMs;
    for (const [key, window] of this.windows) {
      if (this.expire(window, now) === 0) this.windows.delete(key);
    }
  }
}

/** Doubles a full ring, keeping its events in order from index 0. */
function grow(window: KeyWindow): void {
  const count = window.tail - window.head;
  const times = new Float64Array(window.times.length * 2);
  for (let i = 0; i < count; i++) times[i] = window.times[(window.head + i) & window.mask]!;
  window.times = times;
  window.mask = times.length - 1;
  window.head = 0;
  window.tail = count;
}
