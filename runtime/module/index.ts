// The module's OPA ABI 1.3 surface (docs/wasm.md, "ABI coverage") and the primitives that the
// generated policy code calls (exported as `musgo_*`; the codegen links them and drops the exports).

import { fail, musgo_static_end, evalPlan } from "./host";
import { alloc, initHeap, getHeapTop, setHeapTop } from "./heap";
import { readJson, readError } from "./json-read";

import { dump, beginText, putAscii } from "./json-write";
import { setInputProblem, textValue } from "./validate";
import { TAG_OBJECT, TAG_SET, newCollection, newString, newNumber, setEntry, setItem } from "./value";

// Primitives for the generated code (docs/wasm.md, "Runtime primitives").
export { validateInput as musgo_validate_input, enumIndex as musgo_enum_index, textValue as musgo_text_end } from "./validate";
export { lookup as musgo_lookup, compareStrings as musgo_compare_strings } from "./value";
export { newNumber as musgo_new_number, newCollection as musgo_new_collection, setItem as musgo_set_item } from "./value";
export { equalValues as musgo_equal_values, member as musgo_member, countDistinct as musgo_count_distinct } from "./ops";
export { countCodePoints as musgo_count_code_points, containsString as musgo_contains } from "./ops";
export { startsWith as musgo_starts_with, endsWith as musgo_ends_with } from "./ops";
export { changeCase as musgo_change_case, dfaSearch as musgo_dfa_search, trim as musgo_trim } from "./ops";
export { beginText as musgo_text_begin, putBytes as musgo_put_bytes, putNumber as musgo_put_number } from "./json-write";
export { beginPlan as musgo_begin_plan, appendViolation as musgo_append_violation, appendPermit as musgo_append_permit } from "./verdict";
export { decision as musgo_decision, setNamespace as musgo_set_namespace, addPermission as musgo_add_permission } from "./verdict";
export { registration as musgo_registration } from "./verdict";

export { musgo_static_end };

initHeap(musgo_static_end);

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 3;

const ENTRYPOINT_COUNT: i32 = 2;

export function opa_malloc(size: usize): usize {
  return alloc(size);
}

/** Blocks are reclaimed wholesale when the host resets the heap pointer. */
export function opa_free(_ptr: usize): void {}

export function opa_value_free(_value: usize): void {}

/** The bump heap keeps no free blocks, so there is nothing to stash or restore. */
export function opa_heap_blocks_stash(): void {}

export function opa_heap_blocks_restore(): void {}

export function opa_heap_stash_clear(): void {}

export function opa_heap_ptr_get(): usize {
  return getHeapTop();
}

export function opa_heap_ptr_set(addr: usize): void {
  setHeapTop(addr);
}

export { addPath as opa_value_add_path, removePath as opa_value_remove_path } from "./data-path";

export function opa_json_parse(text: usize, length: u32): usize {
  return readJson(text, length, false);
}

export function opa_value_parse(text: usize, length: u32): usize {
  return readJson(text, length, true);
}

export function opa_json_dump(value: usize): usize {
  return dump(value, false);
}

export function opa_value_dump(value: usize): usize {
  return dump(value, true);
}

export function builtins(): usize {
  return newCollection(TAG_OBJECT, 0, 8);
}

const DECISION = "constitution/decision";
const REGISTRATION = "constitution/registration";

export function entrypoints(): usize {
  const object = newCollection(TAG_OBJECT, ENTRYPOINT_COUNT, 8);
  setEntry(object, 0, asciiString(DECISION), newNumber(0));
  setEntry(object, 1, asciiString(REGISTRATION), newNumber(1));
  return object;
}

function asciiString(text: string): usize {
  const length = <u32>text.length;
  const bytes = alloc(length);
  for (let i: u32 = 0; i < length; i++) store<u8>(bytes + i, <u8>load<u16>(changetype<usize>(text) + (<usize>i << 1)));
  return newString(bytes, length);
}

function evaluate(entrypoint: i32, data: usize, input: usize): usize {
  if (entrypoint < 0 || entrypoint >= ENTRYPOINT_COUNT) fail("internal: illegal entrypoint id");
  return evalPlan(entrypoint, input, data);
}

// The eval context: input@0, data@4, result@8, entrypoint@12, as in OPA's C runtime.
export function opa_eval_ctx_new(): usize {
  const ctx = alloc(16);
  memory.fill(ctx, 0, 16);
  return ctx;
}

export function opa_eval_ctx_set_input(ctx: usize, input: usize): void {
  store<u32>(ctx, <u32>input);
}

export function opa_eval_ctx_set_data(ctx: usize, data: usize): void {
  store<u32>(ctx, <u32>data, 4);
}

export function opa_eval_ctx_set_entrypoint(ctx: usize, entrypoint: i32): void {
  store<i32>(ctx, entrypoint, 12);
}

export function opa_eval_ctx_get_result(ctx: usize): usize {
  return <usize>load<u32>(ctx, 8);
}

/** The result set `{{"result": v}}` of the query `result = data.<entrypoint>`; empty when undefined. */
function resultSet(result: usize): usize {
  if (result == 0) return newCollection(TAG_SET, 0, 4);
  const binding = newCollection(TAG_OBJECT, 1, 8);
  setEntry(binding, 0, asciiString("result"), result);
  const set = newCollection(TAG_SET, 1, 4);
  setItem(set, 0, binding);
  return set;
}

function evalContext(ctx: usize): i32 {
  const result = evaluate(load<i32>(ctx, 12), <usize>load<u32>(ctx, 4), <usize>load<u32>(ctx));
  store<u32>(ctx, <u32>resultSet(result), 8);
  return 0;
}
export { evalContext as eval };

/** One-shot evaluation (ABI 1.2): the input is JSON text, not a value (strict JSON: no Rego set
 * literals, which no JSON sender means). Text that does not parse is judged fail-closed: the plan sees
 * no input, and validation reports the reader's error. */
export function opa_eval(reserved: i32, entrypoint: i32, data: usize, input: usize, inputLength: u32, heapPtr: usize, format: i32): usize {
  if (reserved != 0) fail("opa_eval: reserved argument must be 0");
  setHeapTop(heapPtr);
  const value: usize = inputLength == 0 ? 0 : readJson(input, inputLength, false);
  setInputProblem(inputLength != 0 && value == 0 ? malformedMessage() : 0);
  const result = resultSet(evaluate(entrypoint, data, value));
  setInputProblem(0);
  return format != 0 ? dump(result, true) : dump(result, false);
}

/**
 * The Node fast path's entry (runtime/loader/fast-path.ts): the host has written the input as value
 * cells below `heapPtr`; returns the result value (not a result set), which the host decodes.
 */
export function musgo_eval_value(entrypoint: i32, input: usize, heapPtr: usize): usize {
  setHeapTop(heapPtr);
  return evaluate(entrypoint, 0, input);
}

function malformedMessage(): usize {
  const start = beginText();
  putAscii("input: malformed JSON (");
  putAscii(readError());
  putAscii(")");
  return textValue(start);
}

/** Where the runtime's own static data ends: the codegen lays out the policy's data from here. */
export function musgo_runtime_static_end(): usize {
  return __heap_base;
}
