import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SlidingWindowCounter } from "../../guard/sliding-window.js";

/** Events at nondecreasing times (gaps 0..3 windows wide) over a few keys. */
const events = fc.array(fc.record({ key: fc.constantFrom("a", "b", "c"), gap: fc.integer({ min: 0, max: 3000 }) }), {
  maxLength: 300,
});

describe("SlidingWindowCounter", () => {
  it("property: for any event sequence, the count in every window equals a brute-force count", () => {
    fc.assert(
      fc.property(events, fc.integer({ min: 1, max: 1000 }), (sequence, windowMs) => {
        const counter = new SlidingWindowCounter(windowMs);
        const seen: { key: string; t: number }[] = [];
        let t = 0;
        for (const { key, gap } of sequence) {
          t += gap;
          seen.push({ key, t });
          const brute = (k: string, now: number) =>
            seen.filter((e) => e.key === k && e.t > now - windowMs && e.t <= now).length;
          expect(counter.record(key, t)).toBe(brute(key, t));
          for (const other of ["a", "b", "c"]) expect(counter.count(other, t)).toBe(brute(other, t));
        }
      }),
    );
  });

  it("counts the 101st call in a minute as 101, and forgets calls older than the window", () => {
    const counter = new SlidingWindowCounter(60_000);
    for (let i = 0; i < 100; i++) counter.record("agent", i * 100);
    expect(counter.record("agent", 10_000)).toBe(101);
    expect(counter.count("agent", 60_000)).toBe(100);
    expect(counter.count("agent", 70_000)).toBe(0);
  });

  it("treats a clock stepping back as standing still", () => {
    const counter = new SlidingWindowCounter(1000);
    counter.record("k", 5000);
    expect(counter.record("k", 1000)).toBe(2);
    expect(counter.count("k", 5999)).toBe(2);
    expect(counter.count("k", 6000)).toBe(0);
  });

  it("forgets idle keys, so memory follows the active keys only", () => {
    const counter = new SlidingWindowCounter(1000);
    for (let i = 0; i < 500; i++) counter.record(`agent-${i}`, 0);
    counter.record("late", 5000);
    expect(counter.size).toBe(1);
  });
});
