// How the Node loader grows module memory (runtime/loader/instance.ts): at least doubling, exactly
// what is missing when doubling passes the memory's maximum, and reservations that give way.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ensureMemory, reserveMemory } from "../../runtime/loader/instance.js";

const PAGE = 65536;
const pages = (memory: WebAssembly.Memory) => memory.buffer.byteLength / PAGE;

describe("module memory growth", () => {
  it("property: ensureMemory backs [0, end) and at least doubles memory when it grows; never grows when end fits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 40 * PAGE }), (initial, end) => {
        const memory = new WebAssembly.Memory({ initial });
        ensureMemory(memory, end);
        const after = pages(memory);
        expect(after * PAGE).toBeGreaterThanOrEqual(end);
        if (end <= initial * PAGE) expect(after).toBe(initial);
        else expect(after).toBe(Math.max(2 * initial, Math.ceil(end / PAGE)));
      }),
      { numRuns: 50 },
    );
  });

  it("grows by exactly what is missing when doubling would pass the maximum", () => {
    const memory = new WebAssembly.Memory({ initial: 4, maximum: 6 });
    ensureMemory(memory, 5 * PAGE + 1);
    expect(pages(memory)).toBe(6);
    expect(() => ensureMemory(memory, 6 * PAGE + 1)).toThrow(RangeError);
  });

  it("reserveMemory grows like ensureMemory, and leaves memory as it is when the reservation cannot fit", () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 10 });
    reserveMemory(memory, 3 * PAGE);
    expect(pages(memory)).toBe(4);
    reserveMemory(memory, 11 * PAGE);
    expect(pages(memory)).toBe(4);
  });
});
