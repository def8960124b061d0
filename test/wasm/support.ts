// Shared helpers of the WASM tests: compiling constitutions (reference or inline source) to
// modules, and judging one input with every engine so tests can demand they agree.

import { readFileSync, readdirSync } from "node:fs";
import * as nodeFs from "node:fs/promises";
import { expect } from "vitest";
import { compilePaths, compileSources } from "../../compiler/pipeline.js";
import { buildConstitution } from "../../compiler/build.js";
import type { CheckedConstitution } from "../../compiler/check/model.js";
import { evaluateDecision, evaluateRegistration } from "../../compiler/interp/index.js";
import { loadConstitution, type LoadedConstitution } from "../../runtime/index.js";

export interface CompiledConstitution {
  checked: CheckedConstitution;
  wasm: Uint8Array;
  engine: LoadedConstitution;
}

export function compileSource(source: string): CompiledConstitution {
  const { constitution, diagnostics } = compileSources([{ path: "inline.constitution", text: source }]);
  if (constitution === null)
    throw new Error(`the constitution does not check:\n${JSON.stringify(diagnostics, null, 2)}\n${source}`);
  const { wasm } = buildConstitution(constitution);
  return { checked: constitution, wasm, engine: loadConstitution(wasm) };
}

let reference: CompiledConstitution | null = null;

/** The reference constitution (constitution/), compiled once per test file. */
export async function referenceConstitution(): Promise<CompiledConstitution> {
  if (reference === null) {
    const root = { fs: nodeFs, cwd: process.cwd() };
    const { constitution, diagnostics } = await compilePaths(["constitution/"], { ...root, includeTests: false });
    if (constitution === null) throw new Error(`constitution/ does not check: ${JSON.stringify(diagnostics)}`);
    const { wasm } = buildConstitution(constitution);
    reference = { checked: constitution, wasm, engine: loadConstitution(wasm) };
  }
  return reference;
}

/** The seed's example inputs (constitution/examples/*.json), by file name. */
export function exampleInputs(): [name: string, input: unknown][] {
  const dir = "constitution/examples";
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => [name, JSON.parse(readFileSync(`${dir}/${name}`, "utf8")) as unknown]);
}

/**
 * Judges `input` with the interpreter, the fast path and opa_eval (JSON text); all must agree,
 * byte for byte once serialised (key order included).
 */
export function expectSameVerdicts(compiled: CompiledConstitution, input: unknown): void {
  const { checked, engine } = compiled;
  const decision = JSON.stringify(evaluateDecision(checked, input));
  const registration = JSON.stringify(evaluateRegistration(checked, input));
  expect(JSON.stringify(engine.evaluate(input)), "fast path decision").toBe(decision);
  expect(JSON.stringify(engine.evaluate(input, "constitution/registration")), "fast path registration").toBe(
    registration,
  );
  if (input === undefined) return;
  expect(JSON.stringify(engine.evaluateJson(JSON.stringify(input))), "opa_eval decision").toBe(decision);
  expect(
    JSON.stringify(engine.evaluateJson(JSON.stringify(input), "constitution/registration")),
    "opa_eval registration",
  ).toBe(registration);
}

/** A module instantiated bare (no SDK), for the value ABI: `parse` runs opa_json_parse on a fresh heap. */
export interface BareModule {
  memory: WebAssembly.Memory;
  exports: Record<string, (...args: number[]) => number>;
  /** The value address opa_json_parse returns for `text` (0 when rejected). */
  parse(text: string): number;
}

export async function bareModule(wasm: Uint8Array): Promise<BareModule> {
  const memory = new WebAssembly.Memory({ initial: 2 });
  const { instance } = await WebAssembly.instantiate(wasm, {
    env: {
      memory,
      opa_abort: () => {
        throw new Error("abort");
      },
    },
  });
  const e = instance.exports as Record<string, (...args: number[]) => number>;
  const base = e.opa_heap_ptr_get!();
  const encoder = new TextEncoder();
  const parse = (text: string): number => {
    e.opa_heap_ptr_set!(base);
    const bytes = encoder.encode(text);
    const at = e.opa_malloc!(bytes.length);
    new Uint8Array(memory.buffer).set(bytes, at);
    return e.opa_json_parse!(at, bytes.length);
  };
  return { memory, exports: e, parse };
}
