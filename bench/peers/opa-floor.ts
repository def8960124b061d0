// The OPA npm SDK's floor: the smallest module implementing the OPA WASM ABI 1.2 (docs/wasm.md,
// "Imports and ABI coverage"), whose `opa_eval` returns a constant result without reading its input. Whatever
// `@open-policy-agent/opa-wasm`'s `evaluate` costs on it is SDK overhead (stringify, copy, decode,
// JSON.parse). The constant is a real verdict, so the SDK decodes and parses as much as it does
// for a musgo module. Assembled from WAT with binaryen at run time.

/** WAT string literal bytes: printable ASCII as is, everything else (and `"` `\`) as `\hh` of its UTF-8 bytes. */
function watBytes(text: string): string {
  return [...new TextEncoder().encode(text)]
    .map((b) =>
      b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c
        ? String.fromCharCode(b)
        : `\\${b.toString(16).padStart(2, "0")}`,
    )
    .join("");
}

const RESULT_ADDRESS = 256;
const HEAP_START = 65536;

/** The WAT of a module whose every evaluation returns `[{"result": <result>}]`. */
export function constantResultWat(result: unknown): string {
  const resultJson = JSON.stringify([{ result }]);
  if (RESULT_ADDRESS + resultJson.length * 4 >= HEAP_START)
    throw new Error("the constant result does not fit below the heap");
  return `(module
  (import "env" "memory" (memory 2))
  (global $heap (mut i32) (i32.const ${HEAP_START}))
  (global (export "opa_wasm_abi_version") i32 (i32.const 1))
  (global (export "opa_wasm_abi_minor_version") i32 (i32.const 2))
  (data (i32.const 8) "{}\\00")
  (data (i32.const 16) "${watBytes('{"constitution/decision":0,"constitution/registration":1}')}\\00")
  (data (i32.const ${RESULT_ADDRESS}) "${watBytes(resultJson)}\\00")
  (func (export "opa_malloc") (param $n i32) (result i32) (local $r i32)
    (local.set $r (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $n)))
    (local.get $r))
  (func (export "opa_json_parse") (param i32 i32) (result i32) (local.get 0))
  (func (export "opa_json_dump") (param i32) (result i32) (local.get 0))
  (func (export "opa_heap_ptr_get") (result i32) (global.get $heap))
  (func (export "opa_heap_ptr_set") (param i32) (global.set $heap (local.get 0)))
  (func (export "builtins") (result i32) (i32.const 8))
  (func (export "entrypoints") (result i32) (i32.const 16))
  (func (export "opa_eval") (param i32 i32 i32 i32 i32 i32 i32) (result i32) (i32.const ${RESULT_ADDRESS})))
`;
}

/** Assembles `constantResultWat(result)` to module bytes. */
export async function constantResultModule(result: unknown): Promise<Uint8Array> {
  const { default: binaryen } = await import("assemblyscript/binaryen");
  const module = binaryen.parseText(constantResultWat(result));
  try {
    if (!module.validate()) throw new Error("the constant-result module does not validate");
    return module.emitBinary();
  } finally {
    module.dispose();
  }
}
