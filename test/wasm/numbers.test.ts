// PBT: numbers cross the module boundary exactly as JavaScript handles them. The JSON reader
// rounds like JSON.parse (on all the digits of the text), and messages render numbers like String(n)
// (shortest round-trip digits).

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bareModule, compileSource } from "./support.js";

const ECHO = `constitution numbers version "1.0.0"
schema { n: number }
article 1 "Echo" {
  forbid echo when n == n message "{n}"
}
`;

const EDGE_CASES = [
  0.1,
  123.456,
  1e21,
  1e-7,
  1.5e-7,
  0.000001,
  123e-20,
  5e-324,
  2.2250738585072014e-308,
  2.225073858507201e-308,
  1.7976931348623157e308,
  -1.4727642699072023e215,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 60,
  1e300,
  1234567890123456789,
  -0.5,
];

/** Texts whose first 19 significant digits round differently from the whole text, and other hard spellings. */
const LONG_TEXTS = [
  "9007199254740993.0000000000000000001",
  "9007199254740993",
  "9007199254740992.9999999999999999999",
  "0.30000000000000001665334536937734810635447502136230468749999",
  "0.30000000000000001665334536937734810635447502136230468750000",
  "0.30000000000000001665334536937734810635447502136230468750001",
  "1.7976931348623158e308",
  "1.7976931348623159e308",
  `0.${"0".repeat(399)}1e400`,
  `0.${"0".repeat(200_000)}1e200001`,
  `1${"0".repeat(200_000)}e-200000`,
  `1${"0".repeat(200_000)}e-200001`,
  "1e00000000000000000000000000000000000000000000000000000001",
  `-0.${"0".repeat(500)}1`,
  "-0e99999999999999999999",
  "1e-99999999999999999999",
  `4.${"9".repeat(800)}e-324`,
  `1.${"0".repeat(900)}1`,
  `${"7".repeat(800)}e-500`,
];

function message(verdict: unknown): string | null {
  return (verdict as { violations: { message: string | null }[] }).violations[0]?.message ?? null;
}

/** The module's opa_json_parse on bare number texts; returns the f64 of the number cell it builds. */
async function numberReader(wasm: Uint8Array): Promise<(text: string) => number> {
  const { memory, parse } = await bareModule(wasm);
  return (text) => {
    const value = parse(text);
    const view = new DataView(memory.buffer);
    if (value === 0 || view.getUint32(value, true) !== 3) throw new Error(`not read as a number: ${text.slice(0, 80)}`);
    return view.getFloat64(value + 8, true);
  };
}

// --- exact decimal texts of the midpoints between doubles (BigInt) ---------------------------------

/** The midpoint between a finite double x ≥ 0 and the next one up (2^1024 above the largest) as `digits / 10^places`. */
function midpoint(x: number): [digits: bigint, places: number] {
  const bits = new DataView(new Float64Array([x]).buffer).getBigUint64(0, true);
  const biased = Number(bits >> 52n);
  const fraction = bits & 0xfffffffffffffn;
  const f = biased === 0 ? fraction : fraction | (1n << 52n);
  // x = f × 2^e, so the midpoint is (2f + 1) × 2^(e - 1).
  const exponent = (biased === 0 ? 1 : biased) - 1075 - 1;
  return exponent >= 0 ? [(2n * f + 1n) << BigInt(exponent), 0] : [(2n * f + 1n) * 5n ** BigInt(-exponent), -exponent];
}

/** `digits / 10^places` as a decimal text, written as a mantissa times `e<exponent>` when `exponent` is not 0. */
function decimalText(digits: bigint, places: number, exponent = 0): string {
  const shifted = places + exponent;
  const text = digits.toString().padStart(shifted + 1, "0");
  const mantissa =
    shifted <= 0 ? `${text}${"0".repeat(-shifted)}` : `${text.slice(0, -shifted)}.${text.slice(-shifted)}`;
  return exponent === 0 ? mantissa : `${mantissa}e${exponent}`;
}

/** The midpoint above `x`, moved by `delta` units of its last digit after `zeros` more zero digits, written with exponent `e<shift>`. */
function nearMidpoint(x: number, delta: bigint, zeros = 0, shift = 0): string {
  const [digits, places] = midpoint(x);
  return decimalText(digits * 10n ** BigInt(zeros) + delta, places + zeros, shift);
}

/** Exact midpoints above doubles where rounding is delicate (ties to even, to 0 and to Infinity included), ±1 in the last digit, exactly or after 900 zeros. */
const MIDPOINT_TEXTS = [0, Number.MIN_VALUE, 2 ** -1022, 2 ** 53, 0.1, 1e23, Number.MAX_VALUE].flatMap((x) =>
  [-1n, 0n, 1n].flatMap((delta) => [nearMidpoint(x, delta), nearMidpoint(x, delta, 900)]),
);

/** Texts at, just below and just above the midpoint between two doubles (the last digit ±1, or "000…1" appended), in various spellings. */
const nearMidpointArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }),
    fc.constantFrom(-1n, 0n, 1n),
    fc.nat(1000),
    fc.integer({ min: -30, max: 30 }),
  )
  .map(([x, delta, zeros, shift]) => nearMidpoint(x, delta, delta === 0n ? 0 : zeros, shift));

const DIGIT = fc.constantFrom(..."0123456789");

/** Long random decimal texts: 20 to 1000 significant digits, the point anywhere, magnitudes from below half the least subnormal to above the largest double. */
const longDecimalArb: fc.Arbitrary<string> = fc
  .tuple(fc.boolean(), fc.integer({ min: 19, max: 999 }), fc.nat(1000), fc.integer({ min: -345, max: 312 }))
  .chain(([negative, length, point, magnitude]) =>
    fc
      .tuple(fc.constantFrom(..."123456789"), fc.string({ unit: DIGIT, minLength: length, maxLength: length }))
      .map(([first, rest]) => {
        const digits = first + rest;
        const at = Math.min(point, digits.length);
        const text =
          at === 0 ? `0.${digits}` : at === digits.length ? digits : `${digits.slice(0, at)}.${digits.slice(at)}`;
        return `${negative ? "-" : ""}${text}e${magnitude - at}`;
      }),
  );

describe("numbers", () => {
  const { engine, wasm } = compileSource(ECHO);

  it("property: a message renders any finite double as String(n) (fast path)", () => {
    for (const n of EDGE_CASES) expect(message(engine.evaluate({ n })), String(n)).toBe(String(n));
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (n) => message(engine.evaluate({ n })) === String(n),
      ),
      { numRuns: 5000 },
    );
  });

  it("property: JSON text is read as JSON.parse reads it (opa_eval path)", () => {
    for (const n of EDGE_CASES) expect(message(engine.evaluateJson(JSON.stringify({ n }))), String(n)).toBe(String(n));
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (n) => message(engine.evaluateJson(JSON.stringify({ n }))) === String(n),
      ),
      { numRuns: 5000 },
    );
  });

  it("spellings JSON.stringify never writes still read exactly: exponents, long mantissas, -0", () => {
    for (const text of [
      "1E3",
      "2.50e-1",
      "0.30000000000000004441",
      "-0",
      "100000000000000000000000",
      "4.9406564584124654e-324",
      "1e-400",
    ]) {
      expect(message(engine.evaluateJson(`{"n": ${text}}`)), text).toBe(String(JSON.parse(text)));
    }
  });

  it("texts with more than 19 significant digits read as JSON.parse reads them: midpoints, overflow, subnormals, huge exponents, -0", async () => {
    const read = await numberReader(wasm);
    for (const text of [...LONG_TEXTS, ...MIDPOINT_TEXTS]) expect(read(text), text.slice(0, 80)).toBe(JSON.parse(text));
    for (const text of LONG_TEXTS.filter((t) => Number.isFinite(JSON.parse(t)))) {
      expect(message(engine.evaluateJson(`{"n": ${text}}`)), text.slice(0, 80)).toBe(String(JSON.parse(text)));
    }
  });

  it("property: module number reading ≡ JSON.parse on long decimal texts (20–1000 digits, any exponent) and texts near midpoints between doubles", async () => {
    const read = await numberReader(wasm);
    fc.assert(
      fc.property(longDecimalArb, (text) => Object.is(read(text), JSON.parse(text))),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(nearMidpointArb, (text) => Object.is(read(text), JSON.parse(text))),
      { numRuns: 3000 },
    );
  });

  it("a 10 MB digit string is read in linear time, as JSON.parse reads it", async () => {
    const read = await numberReader(wasm);
    const digits = "9".repeat(10 * 1024 * 1024);
    for (const text of [
      `0.${digits}`,
      `1.${"0".repeat(digits.length)}1`,
      `${digits}e-${digits.length}`,
      `${digits}.5e-308`,
    ]) {
      expect(read(text), text.slice(0, 40)).toBe(JSON.parse(text));
    }
  });
});
