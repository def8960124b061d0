// PBT: numbers cross the module boundary exactly as JavaScript handles them. The JSON reader
// rounds like JSON.parse, and messages render numbers like String(n) (shortest round-trip digits).

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compileSource } from "./support.js";

const ECHO = `constitution numbers version "1"
schema { n: number }
article 1 "Echo" {
  forbid echo when n == n message "{n}"
}
`;

const EDGE_CASES = [
  0.1, 123.456, 1e21, 1e-7, 1.5e-7, 0.000001, 123e-20, 5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
  1.7976931348623157e308, -1.4727642699072023e215, 2 ** 53, 2 ** 53 + 2, 2 ** 60, 1e300, 1234567890123456789, -0.5,
];

function message(verdict: unknown): string | null {
  return (verdict as { violations: { message: string | null }[] }).violations[0]?.message ?? null;
}

describe("numbers", () => {
  const { engine } = compileSource(ECHO);

  it("property: a message renders any finite double as String(n) (fast path)", () => {
    for (const n of EDGE_CASES) expect(message(engine.evaluate({ n })), String(n)).toBe(String(n));
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => message(engine.evaluate({ n })) === String(n)), { numRuns: 5000 });
  });

  it("property: JSON text is read as JSON.parse reads it (opa_eval path)", () => {
    for (const n of EDGE_CASES) expect(message(engine.evaluateJson(JSON.stringify({ n }))), String(n)).toBe(String(n));
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => message(engine.evaluateJson(JSON.stringify({ n }))) === String(n)), { numRuns: 5000 });
  });

  it("spellings JSON.stringify never writes still read exactly: exponents, long mantissas, -0", () => {
    for (const text of ["1E3", "2.50e-1", "0.30000000000000004441", "-0", "100000000000000000000000", "4.9406564584124654e-324", "1e-400"]) {
      expect(message(engine.evaluateJson(`{"n": ${text}}`)), text).toBe(String(JSON.parse(text)));
    }
  });
});
