// The compiled reference constitution in OPA's own npm SDK: loading, evaluation with and without
// an entrypoint name, setData, the result-set shape, and the ABI details SDKs rely on.

import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { loadPolicy, type loadPolicySync as LoadPolicySync } from "@open-policy-agent/opa-wasm";
import { evaluateDecision, evaluateRegistration } from "../../compiler/interp/index.js";
import { exampleInputs, referenceConstitution } from "./support.js";

// The SDK's ESM entry exports only loadPolicy; loadPolicySync comes from its CommonJS entry.
const { loadPolicySync } = createRequire(import.meta.url)("@open-policy-agent/opa-wasm") as {
  loadPolicySync: typeof LoadPolicySync;
};

describe("the reference constitution through @open-policy-agent/opa-wasm", () => {
  it("loadPolicy: evaluate without an entrypoint name gives [{result: verdict}] equal to the interpreter's", async () => {
    const { wasm, checked } = await referenceConstitution();
    const policy = await loadPolicy(wasm);
    for (const [name, input] of exampleInputs()) {
      expect(policy.evaluate(input), name).toEqual([{ result: evaluateDecision(checked, input) }]);
    }
  });

  it("evaluate with entrypoint names: constitution/decision and constitution/registration", async () => {
    const { wasm, checked } = await referenceConstitution();
    const policy = await loadPolicy(wasm);
    expect(policy.entrypoints).toEqual({ "constitution/decision": 0, "constitution/registration": 1 });
    for (const [name, input] of exampleInputs()) {
      expect(policy.evaluate(input, "constitution/decision"), name).toEqual([
        { result: evaluateDecision(checked, input) },
      ]);
      expect(policy.evaluate(input, "constitution/registration"), name).toEqual([
        { result: evaluateRegistration(checked, input) },
      ]);
    }
  });

  it("loadPolicySync and setData: data does not change verdicts, and repeated setData does not leak", async () => {
    const { wasm, checked } = await referenceConstitution();
    const policy = loadPolicySync(wasm);
    const [, input] = exampleInputs()[2]!;
    policy.setData({ anything: [1, 2, 3], nested: { a: "b" } });
    expect(policy.evaluate(input)).toEqual([{ result: evaluateDecision(checked, input) }]);
    const pages = policy.mem.buffer.byteLength;
    for (let i = 0; i < 200; i++) policy.setData({ round: i, blob: "x".repeat(1000) });
    expect(policy.evaluate(input)).toEqual([{ result: evaluateDecision(checked, input) }]);
    expect(policy.mem.buffer.byteLength).toBe(pages);
  });

  it("falsy input is undefined input in the SDK's fast path: a fail-closed verdict naming it", async () => {
    const { wasm } = await referenceConstitution();
    const policy = await loadPolicy(wasm);
    const [result] = policy.evaluate(null) as [{ result: { permitted: boolean; error: string } }];
    expect(result.result.permitted).toBe(false);
    expect(result.result.error).toBe("input: expected object, got undefined");
  });

  it("an entrypoint id out of range aborts with OPA's message instead of evaluating", async () => {
    const { wasm } = await referenceConstitution();
    const policy = await loadPolicy(wasm);
    expect(() => policy.evaluate({}, 7 as unknown as string)).toThrow("internal: illegal entrypoint id");
  });
});

describe("ABI surface for other SDKs (Go, Rust)", () => {
  async function instance() {
    const { wasm } = await referenceConstitution();
    const memory = new WebAssembly.Memory({ initial: 5 });
    const { instance } = await WebAssembly.instantiate(wasm, {
      env: {
        memory,
        opa_abort: () => {
          throw new Error("abort");
        },
      },
    });
    const e = instance.exports as Record<string, CallableFunction & { value?: number }>;
    const write = (text: string, at: number) => {
      const bytes = new TextEncoder().encode(text);
      new Uint8Array(memory.buffer).set(bytes, at);
      return bytes.length;
    };
    const read = (at: number) => {
      const bytes = new Uint8Array(memory.buffer);
      return new TextDecoder().decode(bytes.subarray(at, bytes.indexOf(0, at)));
    };
    return { e, memory, write, read };
  }

  it("exports ABI version 1.3, imports only env.memory and env.opa_abort", async () => {
    const { wasm } = await referenceConstitution();
    const module = new WebAssembly.Module(wasm);
    expect(
      WebAssembly.Module.imports(module)
        .map((i) => `${i.module}.${i.name}`)
        .sort(),
    ).toEqual(["env.memory", "env.opa_abort"]);
    const { e } = await instance();
    expect([
      (e.opa_wasm_abi_version as unknown as WebAssembly.Global).value,
      (e.opa_wasm_abi_minor_version as unknown as WebAssembly.Global).value,
    ]).toEqual([1, 3]);
    const names = WebAssembly.Module.exports(module).map((x) => x.name);
    for (const name of [
      "eval",
      "builtins",
      "entrypoints",
      "opa_eval_ctx_new",
      "opa_heap_blocks_stash",
      "opa_value_free",
      "opa_value_dump",
      "opa_value_add_path",
      "opa_value_remove_path",
      "memory",
    ]) {
      expect(names).toContain(name);
    }
    expect(names.filter((n) => n.startsWith("musgo_"))).toEqual(["musgo_eval_value", "musgo_eval_slots"]);
  });

  it("format 1 (Go SDK): opa_eval returns a Rego set; an empty result is set()", async () => {
    const { e, write, read } = await instance();
    const base = (e.opa_heap_ptr_get as () => number)();
    const length = write(
      '{"agent": {"id": "a", "type": "data_analyst", "clearance": "public", "capabilities": []}}',
      base,
    );
    const text = read((e.opa_eval as (...a: number[]) => number)(0, 1, 0, base, length, base + length, 1));
    expect(text).toBe('{{"result":{"namespace":"ai-analytics","permissions":[]}}}');
  });

  it("ctx slow path (ABI < 1.2 hosts): opa_json_parse, eval, opa_json_dump of the result", async () => {
    const { e, write, read } = await instance();
    const call = (name: string, ...args: number[]) => (e[name] as (...a: number[]) => number)(...args);
    const input =
      '{"agent": {"id": "a", "type": "code_executor", "clearance": "public", "capabilities": ["trend_prediction"]}}';
    const at = call("opa_malloc", input.length);
    const value = call("opa_json_parse", at, write(input, at));
    const ctx = call("opa_eval_ctx_new");
    call("opa_eval_ctx_set_input", ctx, value);
    call("opa_eval_ctx_set_entrypoint", ctx, 1);
    expect(call("eval", ctx)).toBe(0);
    expect(JSON.parse(read(call("opa_json_dump", call("opa_eval_ctx_get_result", ctx))))).toEqual([
      { result: { namespace: "ai-execution", permissions: ["write:analysis_reports"] } },
    ]);
  });

  it("opa_value_parse reads Rego sets; opa_json_dump writes them as arrays, opa_value_dump as sets", async () => {
    const { e, write, read } = await instance();
    const call = (name: string, ...args: number[]) => (e[name] as (...a: number[]) => number)(...args);
    const text = '{"a": {1, "x"}, "b": set(), "c": [true, null, -2.5e-3]}';
    const at = call("opa_malloc", text.length);
    const value = call("opa_value_parse", at, write(text, at));
    expect(read(call("opa_json_dump", value))).toBe('{"a":[1,"x"],"b":[],"c":[true,null,-0.0025]}');
    expect(read(call("opa_value_dump", value))).toBe('{"a":{1,"x"},"b":set(),"c":[true,null,-0.0025]}');
    expect(call("opa_json_parse", at, write("{1, 2}", at))).toBe(0);
  });

  it("opa_value_add_path / opa_value_remove_path patch data in place (Go SDK SetDataPath)", async () => {
    const { e, write, read } = await instance();
    const call = (name: string, ...args: number[]) => (e[name] as (...a: number[]) => number)(...args);
    const parse = (text: string) => {
      const at = call("opa_malloc", text.length * 3);
      return call("opa_json_parse", at, write(text, at));
    };
    const data = parse('{"b": 1, "d": {"x": true}}');
    expect(call("opa_value_add_path", data, parse('["a", "c"]'), parse('"new"'))).toBe(0);
    expect(call("opa_value_add_path", data, parse('["b"]'), parse("2"))).toBe(0);
    expect(call("opa_value_add_path", data, parse('["b", "x"]'), parse("3"))).toBe(2);
    expect(call("opa_value_add_path", data, parse("[]"), parse("3"))).toBe(3);
    expect(call("opa_value_remove_path", data, parse('["d", "x"]'))).toBe(0);
    expect(call("opa_value_remove_path", data, parse('["zz", "y"]'))).toBe(0);
    expect(read(call("opa_json_dump", data))).toBe('{"a":{"c":"new"},"b":2,"d":{}}');
  });
});
