// The Node fast path (musgo/runtime `evaluate`) returns exactly what opa_eval returns, on the
// seed's examples and the benchmark's realistic inputs, and keeps memory flat over many decisions.

import { describe, expect, it } from "vitest";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { REFERENCE_INPUTS } from "../../bench/peers/reference-inputs.js";
import { loadConstitution } from "../../runtime/index.js";
import { compileSource, exampleInputs, expectSameVerdicts, referenceConstitution } from "./support.js";

describe("musgo/runtime fast path", () => {
  it("equals opa_eval and the interpreter on the seed's examples and every realistic benchmark input", async () => {
    const compiled = await referenceConstitution();
    for (const [name, input] of [...exampleInputs(), ...REFERENCE_INPUTS.map((r) => [r.name, r.input] as const)]) {
      try {
        expectSameVerdicts(compiled, input);
      } catch (error) {
        throw new Error(`${name}: ${(error as Error).message}`);
      }
    }
  });

  it("equals the result the OPA SDK gets through opa_eval", async () => {
    const { wasm, engine } = await referenceConstitution();
    const policy = await loadPolicy(wasm);
    for (const { input } of REFERENCE_INPUTS)
      expect([{ result: engine.evaluate(input) }]).toEqual(policy.evaluate(input));
  });

  it("undefined input, non-JSON values and unknown entrypoints behave like JSON.stringify and the SDK", async () => {
    const { engine, checked } = await referenceConstitution();
    expect(engine.evaluate(undefined)).toMatchObject({
      permitted: false,
      error: "input: expected object, got undefined",
      constitution: { name: checked.name },
    });
    const withFunction = {
      agent: { id: "a", type: "code_executor", clearance: "public", capabilities: [] },
      action: { type: "x", target: () => 1 },
    };
    expect(engine.evaluate(withFunction)).toEqual(engine.evaluateJson(JSON.stringify(withFunction)));
    expect(() => engine.evaluate({}, "constitution/nope" as "constitution/decision")).toThrow(
      "entrypoint constitution/nope is not valid",
    );
  });

  it("100,000 decisions with fresh strings keep module memory flat, and results are fresh objects", async () => {
    const { wasm } = await referenceConstitution();
    const engine = loadConstitution(wasm);
    const agent = { id: "", type: "data_analyst", clearance: "public", capabilities: ["market_analysis"] };
    const decide = (i: number) =>
      engine.evaluate({ agent: { ...agent, id: `agent-${i}` }, action: { type: "data_request", target: `t-${i}` } });
    decide(0);
    const first = decide(1);
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 2; i < 100_000; i++) decide(i);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
    const again = decide(1);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    again.violations.push({
      article: "III",
      code: "api_calls_exceeded",
      remedy: "throttle",
      enforcement: "mandatory",
      message: null,
    });
    expect(decide(1)).toEqual(first);
  });

  it("slot path: messages rendered by the host, invalid inputs judged by the host, and restricted validation equal opa_eval", () => {
    const compiled = compileSource(`constitution t version "1.0.0"
enum Level { low < high }
schema {
  agent: { id: string, level: Level, flag: bool, tags: set<string> },
  action: { type: string, amount?: number, note?: { text: string } },
}
article I "Money" {
  forbid moved when has action.amount remedy throttle message "{agent.id} ({agent.level}, {agent.flag}) moved {action.amount} for {action.type}"
  permit noted when has action.note and action.note.text == "ok"
}
registration {
  namespace "n-high" when agent.level == high
  grant "g" when "x" in agent.tags
  grant "g" when "y" in agent.tags
}`);
    const agent = { id: "ägent 😀", level: "high", flag: true, tags: ["x", "y", "x"] };
    for (const amount of [0.1 + 0.2, 1e21, 123456789.125, -0, 2 ** 53 + 2, 5e-324, -1.5e-7])
      expectSameVerdicts(compiled, { agent, action: { type: "pay", amount } });
    for (const input of [
      { agent, action: { type: "x", note: { text: "ok" } } },
      { agent, action: { type: "x", note: null, amount: null } },
      { agent: { ...agent, level: "mid" }, action: { type: "x" } },
      { agent: { ...agent, tags: ["x", 1] }, action: { type: "x" } },
      { agent: { ...agent, flag: null }, action: { type: "x" } },
      { agent, action: { type: "x", note: { text: 3 } } },
      { agent, action: [] },
      { agent },
      [],
      "text",
    ]) {
      expectSameVerdicts(compiled, input);
    }
  });
});
