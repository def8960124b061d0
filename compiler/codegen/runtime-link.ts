// Opens the prebuilt AssemblyScript runtime (runtime/prebuilt/runtime-wasm.ts) for linking and
// finds what generated code needs from it: the `musgo_*` primitive functions (their exports are
// dropped: they are not part of the module's ABI), the `musgo_static_end` global the codegen
// initialises, and where the runtime's own static data ends (docs/wasm.md, "Module layout").

import { RUNTIME_WASM_BASE64 } from "../../runtime/prebuilt/runtime-wasm.js";
import { OPERATION_PRIMITIVES, type OperationPrimitive } from "../operations/registry.js";
import { ModuleEditor } from "./wasm-module.js";

/** The primitives of the IR's own statements; those of the builtins come from the operation registry. */
const STATEMENT_PRIMITIVES = [
  "validate_input",
  "enum_index",
  "text_end",
  "lookup",
  "compare_strings",
  "new_number",
  "new_collection",
  "set_item",
  "equal_values",
  "member",
  "dfa_search",
  "text_begin",
  "put_bytes",
  "put_number",
  "begin_plan",
  "append_violation",
  "append_permit",
  "decision",
  "set_namespace",
  "add_permission",
  "registration",
] as const;

export type Primitive = (typeof STATEMENT_PRIMITIVES)[number] | OperationPrimitive;

export const PRIMITIVES: readonly Primitive[] = [...STATEMENT_PRIMITIVES, ...OPERATION_PRIMITIVES];

const EXPORT_FUNCTION = 0;
const EXPORT_TABLE = 1;
const EXPORT_GLOBAL = 3;

export interface RuntimeLink {
  editor: ModuleEditor;
  /** Function index of each primitive. */
  primitives: Record<Primitive, number>;
  /** Index of the mutable global holding the end of all static data. */
  staticEndGlobal: number;
  /** First address above the runtime's own static data. */
  staticBase: number;
}

let runtimeBytes: Uint8Array | null = null;

export function runtimeWasm(): Uint8Array {
  runtimeBytes ??= Uint8Array.from(Buffer.from(RUNTIME_WASM_BASE64, "base64"));
  return runtimeBytes;
}

export function openRuntime(): RuntimeLink {
  const editor = new ModuleEditor(runtimeWasm());
  const take = (name: string, kind: number) => {
    editor.dropExport(name);
    return editor.exportIndex(name, kind);
  };
  const primitives = Object.fromEntries(PRIMITIVES.map((p) => [p, take(`musgo_${p}`, EXPORT_FUNCTION)])) as Record<
    Primitive,
    number
  >;
  const staticBase = editor.constantResult(take("musgo_runtime_static_end", EXPORT_FUNCTION));
  const staticEndGlobal = take("musgo_static_end", EXPORT_GLOBAL);
  take("table", EXPORT_TABLE);
  return { editor, primitives, staticEndGlobal, staticBase };
}
