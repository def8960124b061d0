// Hostile inputs (issue 4 acceptance): each gives a fail-closed verdict or a normal verdict, never
// a crash or a hang, and repeating it does not grow memory.

import { describe, expect, it } from "vitest";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { evaluateDecision } from "../../compiler/interp/index.js";
import { referenceConstitution } from "./support.js";

const AGENT = '{"id": "a1", "type": "data_analyst", "clearance": "public", "capabilities": ["x"]}';
const encoder = new TextEncoder();

function document(action: string, extra = ""): string {
  return `{"agent": ${AGENT}, "action": ${action}${extra}}`;
}

interface Case {
  name: string;
  bytes: Uint8Array;
  /** The verdict's `error`, or undefined for a normal (valid input) verdict. */
  error: string | undefined;
  repetitions: number;
}

const TEN_MB = 10 * 1024 * 1024;

const CASES: Case[] = [
  {
    name: "a 10 MB string in a schema field",
    bytes: encoder.encode(document(`{"type": "data_request", "target": "${"x".repeat(TEN_MB)}"}`)),
    error: undefined,
    repetitions: 20,
  },
  {
    name: "a 10 MB array outside the schema",
    bytes: encoder.encode(document('{"type": "data_request"}', `, "padding": [${"1,".repeat(TEN_MB / 2)}1]`)),
    error: undefined,
    repetitions: 10,
  },
  {
    name: "10,000 levels of nesting",
    bytes: encoder.encode(document('{"type": "x"}', `, "deep": ${"[".repeat(10_000)}${"]".repeat(10_000)}`)),
    error: "input: malformed JSON (nesting deeper than 1000 levels)",
    repetitions: 1000,
  },
  {
    name: "invalid UTF-8 in a string",
    bytes: Uint8Array.from([...encoder.encode(document('{"type": "')), 0xc3, 0x28, ...encoder.encode('"}')]),
    error: "input: malformed JSON (invalid UTF-8)",
    repetitions: 1000,
  },
  {
    name: "1e400 in a number field",
    bytes: encoder.encode(document('{"type": "transfer", "amount": 1e400}')),
    error: "action.amount: number out of range",
    repetitions: 1000,
  },
  {
    name: "duplicate keys",
    bytes: encoder.encode(document('{"type": "read", "type": "transfer"}')),
    error: "input: malformed JSON (duplicate object key)",
    repetitions: 1000,
  },
];

describe("hostile inputs through @open-policy-agent/opa-wasm", () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.error === undefined ? "a normal verdict" : "fail closed"}, ${c.repetitions}× without memory growth`, async () => {
      const { wasm } = await referenceConstitution();
      const policy = await loadPolicy(wasm);
      const input = c.bytes.buffer.slice(c.bytes.byteOffset, c.bytes.byteOffset + c.bytes.byteLength) as ArrayBuffer;
      const first = policy.evaluate(input) as [{ result: { permitted: boolean; violation: string; error?: string } }];
      const size = policy.mem.buffer.byteLength;
      for (let i = 1; i < c.repetitions; i++) expect(policy.evaluate(input)).toEqual(first);
      expect(policy.mem.buffer.byteLength, "memory grew across repetitions").toBe(size);
      expect(first[0].result.error).toBe(c.error);
      if (c.error !== undefined)
        expect([first[0].result.permitted, first[0].result.violation]).toEqual([false, "invalid_input"]);
    });
  }

  it("the 10 MB verdict equals the interpreter's, and the fast path gives it too", async () => {
    const { engine, checked } = await referenceConstitution();
    const input = JSON.parse(new TextDecoder().decode(CASES[0]!.bytes)) as unknown;
    const expected = evaluateDecision(checked, input);
    expect(engine.evaluate(input)).toEqual(expected);
    expect(engine.evaluateJson(JSON.stringify(input))).toEqual(expected);
  });
});
