// An exact sliding-window event counter: per key, the timestamps of the events still inside the
// window, oldest first. Counting is amortised O(1) per event; memory is bounded by the events in
// one window plus the keys seen since the last sweep.

interface KeyWindow {
  times: number[];
  /** Index of the oldest timestamp still inside the window. */
  head: number;
}

/** Compact a key's array once this many expired entries have piled up at its front. */
const COMPACT_AFTER = 1024;

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
      window = { times: [], head: 0 };
      this.windows.set(key, window);
    }
    const last = window.times.length > window.head ? window.times[window.times.length - 1]! : -Infinity;
    window.times.push(Math.max(now, last));
    return this.expire(window, Math.max(now, last));
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
    const { times } = window;
    while (window.head < times.length && times[window.head]! <= cutoff) window.head++;
    if (window.head >= COMPACT_AFTER && window.head * 2 >= times.length) {
      window.times = times.slice(window.head);
      window.head = 0;
    }
    return window.times.length - window.head;
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
