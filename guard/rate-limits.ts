// The constitution's `limit` declarations (docs/language.md, "Rate limits") applied to decisions: one event per
// decision for each limit whose key is present in the input, counted in that limit's window.

import type { LimitDeclaration } from "../contract/engine.js";
import { SlidingWindowCounter } from "./sliding-window.js";

/** A limit whose window count went above its `count` on this decision. */
export interface ExceededLimit {
  limit: LimitDeclaration;
  /** The key's value, e.g. the agent id. */
  key: string;
  /** Events in the window, this decision included. */
  observed: number;
}

const NONE: readonly ExceededLimit[] = Object.freeze([]);

export class RateLimits {
  private readonly counters: { limit: LimitDeclaration; counter: SlidingWindowCounter }[];

  constructor(limits: readonly LimitDeclaration[]) {
    this.counters = limits.map((limit) => ({ limit, counter: new SlidingWindowCounter(limit.windowSeconds * 1000) }));
  }

  /** Counts this decision's input against every limit and returns the limits it exceeded. */
  record(input: unknown, now: number): readonly ExceededLimit[] {
    // Most decisions exceed nothing: allocate only when one does.
    let exceeded: ExceededLimit[] | null = null;
    for (const { limit, counter } of this.counters) {
      const key = limitKey(input, limit.keyPath);
      if (key === null) continue;
      const observed = counter.record(key, now);
      if (observed > limit.count) (exceeded ??= []).push({ limit, key, observed });
    }
    return exceeded ?? NONE;
  }
}

/** The scalar at `path` in the input as a string, or null when it is absent or not a scalar. */
function limitKey(input: unknown, path: readonly string[]): string | null {
  let value: unknown = input;
  for (const field of path) {
    if (typeof value !== "object" || value === null || !Object.prototype.hasOwnProperty.call(value, field)) return null;
    value = (value as Record<string, unknown>)[field];
  }
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : null;
}
