// What the runtime needs from outside: the host's `env.opa_abort` (the only import besides the
// memory; every OPA SDK supplies it) and the generated policy code, which the codegen links in
// through a global and a function table slot (docs/wasm.md, "Module layout").

// @ts-expect-error: a decorator on a function is AssemblyScript, not TypeScript; @external names the import
@external("env", "opa_abort")
declare function opa_abort(addr: usize): void;

/** End of the generated code's static data: the codegen sets this global's initial value. */
// eslint-disable-next-line prefer-const -- `let` makes a wasm global the codegen can set; a `const` would be inlined.
export let musgo_static_end: usize = 0;

/**
 * Evaluates plan `entrypoint` (already range-checked); returns its result value, 0 if undefined.
 * The codegen puts its plan dispatcher into slot 0 of the function table.
 */
export function evalPlan(entrypoint: i32, input: usize, data: usize): usize {
  return call_indirect<usize>(0, entrypoint, input, data);
}

const ABORT_BUFFER = memory.data(256);

/** Aborts through the host with an ASCII message (the npm SDK decodes it byte by byte). */
export function fail(message: string): void {
  const length = min(message.length, 255);
  const chars = changetype<usize>(message);
  for (let i = 0; i < length; i++) store<u8>(ABORT_BUFFER + i, <u8>load<u16>(chars + (<usize>i << 1)));
  store<u8>(ABORT_BUFFER + length, 0);
  opa_abort(ABORT_BUFFER);
  unreachable();
}
