// The strict input reader (contract/json-input.ts) against the module's own reader: the same bytes
// are accepted or rejected alike, with the same reason, and read to the same value; so every engine
// fed by the reader judges any byte string exactly as the module's `opa_eval` does (issue 10).

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MAX_INPUT_DEPTH, malformedInputError, readDecisionInput, readJsonInput } from "../../contract/json-input.js";
import { judgeBytes } from "../../contract/judge-bytes.js";
import {
  DECISION_ENTRYPOINT,
  REGISTRATION_ENTRYPOINT,
  type DecisionEngine,
  type Entrypoint,
} from "../../contract/engine.js";
import { createInterpreterEngine } from "../../compiler/interp/index.js";
import type { LoadedConstitution } from "../../runtime/index.js";
import type { Verdict } from "../../contract/verdict.js";
import { constitutionArb, inputArb } from "../support/constitution-arbitraries.js";
import { nearJsonArb } from "../support/near-json.js";
import { DUPLICATE_CLEARANCE, SECRETS_SOURCE, secretsInputArb } from "../support/secrets-constitution.js";
import { bareModule, compileSource, type BareModule } from "./support.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytesOf = (text: string): Uint8Array => encoder.encode(text);
const secrets = compileSource(SECRETS_SOURCE);
const interpreter = createInterpreterEngine(secrets.checked);

/** What the module's opa_eval says of `bytes`, then the interpreter and the fast path fed by the reader. */
function judgements(
  module: LoadedConstitution,
  interp: DecisionEngine,
  bytes: Uint8Array,
  entrypoint: Entrypoint,
): string[] {
  const judged = [
    module.evaluateJson(bytes, entrypoint),
    judgeBytes(interp, bytes, entrypoint),
    judgeBytes(module, bytes, entrypoint),
  ];
  return judged.map((v) => JSON.stringify(v));
}

function expectSameJudgement(module: LoadedConstitution, interp: DecisionEngine, bytes: Uint8Array): void {
  const shown = JSON.stringify(decoder.decode(bytes)).slice(0, 300);
  for (const entrypoint of [DECISION_ENTRYPOINT, REGISTRATION_ENTRYPOINT] as const) {
    const [opaEval, interpreted, fastPath] = judgements(module, interp, bytes, entrypoint);
    expect(interpreted, `interpreter, ${entrypoint}, on ${shown}`).toBe(opaEval);
    expect(fastPath, `fast path, ${entrypoint}, on ${shown}`).toBe(opaEval);
  }
}

/** The module's reading of `bytes` (opa_json_parse, the reader opa_eval runs, dumped with opa_json_dump), or null when it rejects them. */
function moduleReading(module: BareModule, base: number, bytes: Uint8Array): string | null {
  const e = module.exports;
  e.opa_heap_ptr_set!(base);
  const at = e.opa_malloc!(bytes.length);
  new Uint8Array(module.memory.buffer).set(bytes, at);
  const value = e.opa_json_parse!(at, bytes.length);
  if (value === 0) return null;
  const text = e.opa_json_dump!(value);
  const memory = new Uint8Array(module.memory.buffer);
  return canonical(JSON.parse(decoder.decode(memory.subarray(text, memory.indexOf(0, text)))));
}

/** JSON with sorted keys, Infinity as null and -0 as 0 (as the module's dump writes them). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function outcome(verdict: Verdict): string {
  if (verdict.permitted) return "permit";
  if (verdict.violation === "invalid_input") {
    return verdict.error!.startsWith("input: malformed JSON") ? "malformed" : "mismatch";
  }
  return verdict.violation === "no_applicable_permit" ? "no permit" : "forbid";
}

const AGENT = '"agent":{"id":"c1","kind":"coder","clearance":"sandbox"}';

interface ReaderCase {
  name: string;
  bytes: Uint8Array;
  /** The module's reason, or undefined when the bytes read to `value`. */
  reason?: string;
  value?: unknown;
}

const rejected = (name: string, bytes: Uint8Array | string, reason: string): ReaderCase => ({
  name,
  bytes: typeof bytes === "string" ? bytesOf(bytes) : bytes,
  reason,
});
const accepted = (name: string, bytes: Uint8Array | string, value: unknown): ReaderCase => ({
  name,
  bytes: typeof bytes === "string" ? bytesOf(bytes) : bytes,
  value,
});
const withBytes = (before: string, raw: number[], after: string): Uint8Array =>
  Uint8Array.from([...bytesOf(before), ...raw, ...bytesOf(after)]);

const nest = (depth: number, open = "[", close = "]"): string =>
  `${open.repeat(depth)}${open === "[" ? "" : "1"}${close.repeat(depth)}`;

const READER_CASES: Record<string, ReaderCase[]> = {
  "duplicate keys": [
    rejected("at the top", '{"a":1,"a":2}', "duplicate object key"),
    rejected("at depth 2", `{${AGENT},"action":{"tool":"x","tool":"y"}}`, "duplicate object key"),
    rejected("at depth 3", '{"a":{"b":{"c":1,"c":1}}}', "duplicate object key"),
    rejected("in an array's object", '[{"k":1},{"k":1,"k":2}]', "duplicate object key"),
    rejected("spelt with an escape", '{"\\u0061":1,"a":2}', "duplicate object key"),
    rejected("spelt with \\/", '{"a/b":1,"a\\/b":2}', "duplicate object key"),
    rejected("surrogate pair and UTF-8", '{"\\ud83d\\ude00":1,"😀":2}', "duplicate object key"),
    rejected("__proto__ twice", '{"__proto__":1,"__proto__":2}', "duplicate object key"),
    rejected("a prototype name twice", '{"toString":1,"toString":2}', "duplicate object key"),
    rejected("reported after a later error in the object", '{"a":1,"a":2,"b":x}', "unexpected character"),
    rejected("an inner duplicate before an outer error", '{"a":{"x":1,"x":2},"b":x}', "duplicate object key"),
    accepted("case differs", '{"a":1,"A":2}', { a: 1, A: 2 }),
    accepted("composed and decomposed é differ", '{"é":1,"e\\u0301":2}', { é: 1, "e\u0301": 2 }),
    accepted("the same key in sibling objects", '[{"k":1},{"k":2}]', [{ k: 1 }, { k: 2 }]),
  ],
  "UTF-8": [
    rejected("bad continuation in a value", withBytes('{"a":"', [0xc3, 0x28], '"}'), "invalid UTF-8"),
    rejected("stray continuation in a key", withBytes('{"', [0x80], '":1}'), "invalid UTF-8"),
    rejected("overlong 2-byte", withBytes('"', [0xc0, 0xaf], '"'), "invalid UTF-8"),
    rejected("overlong 3-byte", withBytes('"', [0xe0, 0x80, 0xaf], '"'), "invalid UTF-8"),
    rejected("overlong 4-byte", withBytes('"', [0xf0, 0x8f, 0xbf, 0xbf], '"'), "invalid UTF-8"),
    rejected("a surrogate encoded in UTF-8", withBytes('"', [0xed, 0xa0, 0x80], '"'), "invalid UTF-8"),
    rejected("past U+10FFFF", withBytes('"', [0xf4, 0x90, 0x80, 0x80], '"'), "invalid UTF-8"),
    rejected("0xFF", withBytes('"', [0xff], '"'), "invalid UTF-8"),
    rejected("truncated at the end of input", withBytes('"', [0xe2, 0x82], ""), "invalid UTF-8"),
    rejected("after a backslash", withBytes('"\\', [0xc3, 0xa9], '"'), "invalid UTF-8"),
    rejected("outside a string", withBytes("[1,", [0xc3, 0xa9], "]"), "unexpected character"),
    rejected("a byte-order mark", withBytes("", [0xef, 0xbb, 0xbf], "{}"), "unexpected character"),
    accepted("2, 3 and 4 bytes", withBytes('"', [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80], '"'), "é€😀"),
    accepted("U+10FFFF", withBytes('"', [0xf4, 0x8f, 0xbf, 0xbf], '"'), "\u{10ffff}"),
    // A decoder that drops a leading byte-order mark would read these as "a" and "b" (the module does not).
    accepted("U+FEFF opening a string", withBytes('["', [0xef, 0xbb, 0xbf], 'a"]'), ["\ufeffa"]),
    accepted("U+FEFF after an escape", withBytes('{"\\u0020', [0xef, 0xbb, 0xbf], 'b":1}'), { " \ufeffb": 1 }),
  ],
  "strings and escapes": [
    rejected("a lone high surrogate", '"\\ud800"', "unpaired surrogate escape"),
    rejected("a lone low surrogate", '"\\udc00"', "unpaired surrogate escape"),
    rejected("a high surrogate before a letter", '"\\ud800\\u0041"', "unpaired surrogate escape"),
    rejected("a high surrogate before bad hex", '"\\ud800\\u12"', "unpaired surrogate escape"),
    rejected("a lone surrogate in a key", '{"\\udfff":1}', "unpaired surrogate escape"),
    rejected("short \\u", '"\\u12"', "malformed \\u escape"),
    rejected("non-hex \\u", '"\\u12g4"', "malformed \\u escape"),
    rejected("unknown escape", '"\\q"', "unknown escape"),
    rejected("an escaped control character", withBytes('"\\', [0x01], '"'), "unknown escape"),
    rejected("a raw control character", withBytes('"a', [0x0a], '"'), "control character in string"),
    rejected("invalid UTF-8 wins over an earlier bad escape", withBytes('"\\q', [0xff], '"'), "invalid UTF-8"),
    rejected("unterminated", '"abc', "unterminated string"),
    rejected("a trailing backslash", '"\\"', "unterminated string"),
    accepted("every short escape", '"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\/\b\f\n\r\t'),
    accepted("a surrogate pair, either case", '"\\uD83D\\ude00"', "😀"),
    accepted("\\u0000", '"a\\u0000b"', "a\u0000b"),
    accepted("DEL is plain", withBytes('"', [0x7f], '"'), "\u007f"),
  ],
  depth: [
    accepted(`${MAX_INPUT_DEPTH} arrays`, nest(MAX_INPUT_DEPTH), JSON.parse(nest(MAX_INPUT_DEPTH))),
    rejected(`${MAX_INPUT_DEPTH + 1} arrays`, nest(MAX_INPUT_DEPTH + 1), "nesting deeper than 1000 levels"),
    rejected("objects", nest(MAX_INPUT_DEPTH + 1, '{"a":', "}"), "nesting deeper than 1000 levels"),
    rejected("10,000 unclosed", "[".repeat(10_000), "nesting deeper than 1000 levels"),
  ],
  numbers: [
    rejected("a lone minus", "[-]", "malformed number"),
    rejected("a trailing dot", "[1.]", "malformed number"),
    rejected("an empty exponent", "[1e+]", "malformed number"),
    rejected("a leading zero", "[01]", "expected `,` or `]`"),
    rejected("a leading zero at the top", "01", "unexpected data after the JSON value"),
    rejected("a leading dot", "[.5]", "unexpected character"),
    rejected("a plus sign", "[+1]", "unexpected character"),
    rejected("hex", "[0x1f]", "expected `,` or `]`"),
    accepted("exponents and fractions", "[1E2,1.5e-3,-0.25,10e+1]", [100, 0.0015, -0.25, 100]),
    accepted("1e400 reads as Infinity", "[1e400,-1e400,1e-400]", [Infinity, -Infinity, 0]),
    accepted("the rounding of JSON.parse", "[9007199254740993,0.30000000000000001665]", [9007199254740992, 0.3]),
  ],
  "structure and words": [
    rejected("empty", "", "unexpected end of input"),
    rejected("only space", " \n\t\r", "unexpected end of input"),
    rejected("trailing data", "{} x", "unexpected data after the JSON value"),
    rejected("two values", "{}{}", "unexpected data after the JSON value"),
    rejected("a form feed is not space", "\f{}", "unexpected character"),
    rejected("NBSP is not space", withBytes("{}", [0xc2, 0xa0], ""), "unexpected data after the JSON value"),
    rejected("a truncated word", "[tru", "unexpected end of input"),
    rejected("a misspelt word", "[trux]", "unexpected character"),
    rejected("a missing comma", "[1 2]", "expected `,` or `]`"),
    rejected("a trailing comma", "[1,]", "unexpected character"),
    rejected("a missing colon", '{"a":1,"b" 2}', "expected `:`"),
    rejected("a number key", '{"a":1,2:3}', "expected a string key"),
    rejected("a number first key", "{2:3}", "expected a string key"),
    rejected("a missing member", '{"a":1,}', "expected a string key"),
    rejected("an unclosed object", '{"a":1', "expected `,` or `}`"),
    accepted("all four spaces", ' \t\n\r{ "a" : [ 1 , 2 ] } \r\n', { a: [1, 2] }),
    accepted("__proto__ is an own key", '{"__proto__":{"x":1}}', JSON.parse('{"__proto__":{"x":1}}')),
  ],
  "Rego set literals are not JSON (opa_eval refuses them too)": [
    rejected("a set", '{"a":{1,"x"}}', "expected a string key"),
    rejected("set()", '{"a":set()}', "unexpected character"),
    rejected("a set of numbers", "{1,1}", "expected a string key"),
    rejected("a set of strings", '{"a","b":1}', "expected `:`"),
    rejected("strings without commas", '{"a" "b"}', "expected `:`"),
    rejected("a broken set()", "set(", "unexpected character"),
  ],
};

describe("strict reader: one rule at a time, each against the module's own verdict", () => {
  for (const [rule, cases] of Object.entries(READER_CASES)) {
    describe(rule, () => {
      for (const c of cases) {
        it(`${c.name}: ${c.reason === undefined ? "accepted" : c.reason}`, () => {
          const read = readJsonInput(c.bytes);
          if (c.reason !== undefined) {
            expect(read).toEqual({ ok: false, reason: c.reason, error: malformedInputError(c.reason) });
            // opa_eval takes no bytes for no input (the test below); any other bytes are read.
            if (c.bytes.length > 0) {
              const moduleError = secrets.engine.evaluateJson(c.bytes).error;
              expect(moduleError, "the module's verdict").toBe(malformedInputError(c.reason));
            }
          } else {
            expect(read).toEqual({ ok: true, value: c.value });
          }
          expectSameJudgement(secrets.engine, interpreter, c.bytes);
        });
      }
    });
  }

  it("-0 stays -0 and __proto__ never sets the prototype", () => {
    const read = readJsonInput(bytesOf('{"n":-0,"__proto__":{"polluted":true}}'));
    expect(read.ok).toBe(true);
    const value = (read as { value: Record<string, unknown> }).value;
    expect(Object.is(value.n, -0)).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect((value as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it("no bytes at all are no input, as in opa_eval: `input: expected object, got undefined`", () => {
    expect(readDecisionInput(new Uint8Array(0))).toEqual({ ok: true, value: undefined });
    expect(judgeBytes(interpreter, new Uint8Array(0)).error).toBe("input: expected object, got undefined");
    expectSameJudgement(secrets.engine, interpreter, new Uint8Array(0));
  });

  it("reads a subarray view, not the buffer around it", () => {
    const buffer = bytesOf('xx{"a":1}yy');
    expect(readJsonInput(buffer.subarray(2, 9))).toEqual({ ok: true, value: { a: 1 } });
  });
});

describe("issue 10's example: a duplicate clearance key", () => {
  const bytes = bytesOf(DUPLICATE_CLEARANCE);

  it("JSON.parse would keep the last key and permit (the hole)", () => {
    expect(interpreter.decide(JSON.parse(DUPLICATE_CLEARANCE)).permitted).toBe(true);
  });

  it("every engine fed the bytes denies it as invalid_input (duplicate object key)", () => {
    const error = "input: malformed JSON (duplicate object key)";
    const judged = [judgeBytes(interpreter, bytes), judgeBytes(secrets.engine, bytes)];
    judged.push(secrets.engine.evaluateJson(bytes) as Verdict);
    for (const verdict of judged) {
      expect(verdict).toMatchObject({ permitted: false, violation: "invalid_input", error });
    }
    expect(judgeBytes(interpreter, bytes, REGISTRATION_ENTRYPOINT)).toEqual({
      namespace: null,
      permissions: [],
      error,
    });
  });
});

describe("PBT: for all near-JSON byte strings b, interpreter(b) ≡ module(b)", () => {
  it("property: the reader accepts b iff the module's opa_json_parse does, and reads the same value", async () => {
    const module = await bareModule(secrets.wasm);
    const base = module.exports.opa_heap_ptr_get!();
    let rejectedCount = 0;
    fc.assert(
      fc.property(nearJsonArb(fc.jsonValue({ maxDepth: 4 })), (bytes) => {
        const read = readJsonInput(bytes);
        const expected = moduleReading(module, base, bytes);
        if (expected === null) rejectedCount++;
        const shown = JSON.stringify(decoder.decode(bytes)).slice(0, 300);
        expect(read.ok ? canonical(read.value) : null, shown).toBe(expected);
      }),
      { numRuns: 3000 },
    );
    expect(rejectedCount, "the generator should reject a fair share").toBeGreaterThan(300);
  });

  it("property: interpreter(b) ≡ opa_eval(b) ≡ fast path(b), decision and registration (secrets schema)", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(nearJsonArb(secretsInputArb), (bytes) => {
        expectSameJudgement(secrets.engine, interpreter, bytes);
        const verdict = judgeBytes(interpreter, bytes);
        seen.add(outcome(verdict));
      }),
      { numRuns: 2000 },
    );
    // The property covers permits, forbids, schema mismatches and reader errors, not only one kind.
    expect([...seen].sort(), JSON.stringify([...seen])).toEqual([
      "forbid",
      "malformed",
      "mismatch",
      "no permit",
      "permit",
    ]);
  });

  it("property: interpreter(b) ≡ opa_eval(b) ≡ fast path(b) for generated constitutions and inputs", () => {
    fc.assert(
      fc.property(
        constitutionArb().chain((generated) =>
          fc.tuple(
            fc.constant(generated),
            fc.array(nearJsonArb(inputArb(generated.schema), { deepField: false }), { minLength: 40, maxLength: 40 }),
          ),
        ),
        ([generated, inputs]) => {
          const compiled = compileSource(generated.source);
          const interp = createInterpreterEngine(compiled.checked);
          for (const bytes of inputs) expectSameJudgement(compiled.engine, interp, bytes);
        },
      ),
      { numRuns: 25 },
    );
  });
});
