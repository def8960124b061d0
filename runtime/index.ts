// musgo/runtime: judge agent actions with a compiled constitution from Node, without the compiler.
//
//   const engine = loadConstitution(readFileSync("musgo.wasm"));
//   const verdict = engine.evaluate(input);                                  // constitution/decision
//   const registration = engine.evaluate(request, "constitution/registration");
//
// `evaluate` writes the input straight into module memory: into fixed slots read by the plan's slot
// form (`musgo_eval_slots`, loader/fast-path.ts) when it can, else as value cells (`musgo_eval_value`)
// (the fast path, docs/wasm.md); `evaluateJson` goes through the module's OPA entry `opa_eval` with JSON text.
// Both return what `opa_eval` returns for the same JSON; the tests hold them to it.

import { createHash } from "node:crypto";
import {
  DECISION_ENTRYPOINT,
  REGISTRATION_ENTRYPOINT,
  type DecisionEngine,
  type Entrypoint,
  type LimitDeclaration,
} from "../contract/engine.js";
import type { ConstitutionId, RegistrationResult, Verdict } from "../contract/verdict.js";
import type { RecordSchema } from "../contract/schema.js";
import { readMetadata } from "../contract/abi/sections.js";
import { instantiate, ensureMemory, reserveMemory, type ModuleExports } from "./loader/instance.js";
import { MemoryViews } from "./loader/memory-views.js";
import { InputWriter } from "./loader/input-writer.js";
import { ResultReader } from "./loader/result-reader.js";
import { slotPlans } from "./loader/fast-path.js";

export { DECISION_ENTRYPOINT, REGISTRATION_ENTRYPOINT } from "../contract/engine.js";
export type { DecisionEngine, Entrypoint, LimitDeclaration } from "../contract/engine.js";
export type {
  ConstitutionId,
  RegistrationResult,
  Verdict,
  Violation,
  Remedy,
  Enforcement,
} from "../contract/verdict.js";
export type { RecordSchema, SchemaType, SchemaField } from "../contract/schema.js";
export { ModuleAbort } from "./loader/instance.js";
// The strict reader of input bytes every entry point shares (the module's own rules and reasons).
export {
  readJsonInput,
  readDecisionInput,
  malformedInputError,
  MAX_INPUT_DEPTH,
  type JsonInput,
} from "../contract/json-input.js";
export { judgeBytes } from "../contract/judge-bytes.js";

/** Entrypoint ids, as the module's `entrypoints()` reports them. */
const ENTRYPOINT_IDS: Readonly<Record<Entrypoint, number>> = { [DECISION_ENTRYPOINT]: 0, [REGISTRATION_ENTRYPOINT]: 1 };

export interface LoadedConstitution extends DecisionEngine {
  readonly constitution: ConstitutionId;
  readonly limits: readonly LimitDeclaration[];
  readonly schema: RecordSchema;
  evaluate(input: unknown, entrypoint?: typeof DECISION_ENTRYPOINT): Verdict;
  evaluate(input: unknown, entrypoint: typeof REGISTRATION_ENTRYPOINT): RegistrationResult;
  evaluate(input: unknown, entrypoint?: Entrypoint): Verdict | RegistrationResult;
  /**
   * Judges JSON text through `opa_eval`, as OPA's SDKs do; malformed text gets a fail-closed result.
   * Bytes go to the module as they are (invalid UTF-8 included); a string is UTF-8 encoded first.
   */
  evaluateJson(text: string | Uint8Array, entrypoint?: Entrypoint): Verdict | RegistrationResult;
}

function entrypointId(entrypoint: string): number {
  const id = (ENTRYPOINT_IDS as Record<string, number | undefined>)[entrypoint];
  if (id === undefined)
    throw new Error(
      `entrypoint ${entrypoint} is not valid in this constitution: use ${DECISION_ENTRYPOINT} or ${REGISTRATION_ENTRYPOINT}`,
    );
  return id;
}

const decoder = new TextDecoder();
/**
 * Memory reserved for the values `opa_eval` reads from a text, per byte of text (measured: 3.6 for
 * a huge set of short strings, 5 for a list of numbers): memory then grows once before the call
 * rather than in several steps during it, each of which can cost the host a full GC.
 */
const VALUE_BYTES_PER_TEXT_BYTE = 4;

/** `opa_eval` with JSON text; returns the parsed result (the verdict, not the result set). */
function evaluateText(
  exports: ModuleExports,
  views: MemoryViews,
  base: number,
  id: number,
  text: string | Uint8Array,
): unknown {
  // A string is encoded straight into module memory: no copy of a large text on the JS heap.
  const length = typeof text === "string" ? Buffer.byteLength(text, "utf8") : text.length;
  ensureMemory(exports.memory, base + length);
  reserveMemory(exports.memory, base + length * (1 + VALUE_BYTES_PER_TEXT_BYTE));
  views.refresh();
  if (typeof text === "string") views.bytes.write(text, base, length, "utf8");
  else views.u8.set(text, base);
  const result = exports.opa_eval(0, id, 0, base, length, base + length, 0);
  views.refresh();
  const end = views.u8.indexOf(0, result);
  const resultSet = JSON.parse(decoder.decode(views.u8.subarray(result, end))) as { result: unknown }[];
  return resultSet[0]?.result;
}

/** Instantiates a module built by `musgo build` (or `compileToWasm`). */
export function loadConstitution(wasm: Uint8Array): LoadedConstitution {
  const module = new WebAssembly.Module(wasm);
  const metadata = readMetadata(module);
  const exports = instantiate(module, metadata.memoryPages);
  const views = new MemoryViews(exports.memory);
  const staticEnd = exports.opa_heap_ptr_get();
  const writer = new InputWriter(views, metadata.schema, staticEnd, metadata.fieldNames);
  const reader = new ResultReader(views, staticEnd);
  const slots = slotPlans(metadata.fastPath, metadata.schema, writer, views, reader);

  const evaluate = (input: unknown, entrypoint: Entrypoint = DECISION_ENTRYPOINT): Verdict | RegistrationResult => {
    const id = entrypoint === DECISION_ENTRYPOINT ? 0 : entrypointId(entrypoint);
    const plan = slots[id];
    if (plan !== undefined && plan !== null) {
      writer.begin();
      const checked = plan.walk(input);
      if (typeof checked === "string") return plan.invalid(checked) as Verdict | RegistrationResult;
      if (checked) {
        const result = exports.musgo_eval_slots(id, writer.heapTop);
        // Growth detaches the old buffer (its views become empty): cheaper to test than memory.buffer.
        if (views.u32.length === 0) views.refresh();
        if (result !== 0) {
          const value = plan.read(result);
          if (value !== null) return value as Verdict | RegistrationResult;
        }
      }
    }
    const cell = writer.write(input);
    const result = exports.musgo_eval_value(id, cell, writer.heapTop);
    views.refresh();
    return reader.read(result) as Verdict | RegistrationResult;
  };

  return {
    constitution: metadata.constitution,
    artifactSha256: createHash("sha256").update(wasm).digest("hex"),
    limits: metadata.limits,
    schema: metadata.schema,
    evaluate: evaluate as LoadedConstitution["evaluate"],
    evaluateJson: (text, entrypoint = DECISION_ENTRYPOINT) =>
      evaluateText(exports, views, writer.evalBase, entrypointId(entrypoint), text) as Verdict | RegistrationResult,
    decide: (input) => evaluate(input, DECISION_ENTRYPOINT) as Verdict,
    register: (input) => evaluate(input, REGISTRATION_ENTRYPOINT) as RegistrationResult,
  };
}
