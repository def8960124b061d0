// Instantiates a compiled constitution the way OPA's SDKs do (host-owned `env.memory`, `env.opa_abort`)
// and types the exports the Node runtime uses (docs/wasm.md, "ABI coverage").

export interface ModuleExports {
  memory: WebAssembly.Memory;
  opa_heap_ptr_get(): number;
  opa_heap_ptr_set(addr: number): void;
  opa_eval(
    reserved: number,
    entrypoint: number,
    data: number,
    input: number,
    inputLength: number,
    heapPtr: number,
    format: number,
  ): number;
  musgo_eval_value(entrypoint: number, input: number, heapPtr: number): number;
  /** The slot form of plan `entrypoint` (loader/fast-path.ts); returns its result record, 0 when it has none. */
  musgo_eval_slots(entrypoint: number, heapPtr: number): number;
}

const PAGE_SIZE = 65536;

/** Thrown when the module aborts (`opa_abort`); the message is the module's ASCII text. */
export class ModuleAbort extends Error {}

/** A NUL-terminated ASCII message at `addr` (aborts are ASCII, as the npm SDK assumes). */
function readAscii(memory: WebAssembly.Memory, addr: number): string {
  const bytes = new Uint8Array(memory.buffer);
  let end = addr;
  while (bytes[end] !== 0) end++;
  return String.fromCharCode(...bytes.subarray(addr, end));
}

export function instantiate(module: WebAssembly.Module, memoryPages: number): ModuleExports {
  const memory = new WebAssembly.Memory({ initial: memoryPages });
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      opa_abort: (addr: number) => {
        throw new ModuleAbort(readAscii(memory, addr));
      },
    },
  });
  return { ...(instance.exports as unknown as ModuleExports), memory };
}

/** The most pages a 32-bit memory can have. */
const MAX_PAGES = 65536;

/**
 * Grows `memory` so that `[0, end)` is backed: at least doubling it, so that writing a large input
 * grows it a few times rather than once per page (each growth replaces the buffer and its views),
 * or by exactly what is missing when doubling goes past the limit.
 */
export function ensureMemory(memory: WebAssembly.Memory, end: number): void {
  const size = memory.buffer.byteLength;
  if (end <= size) return;
  const missing = Math.ceil((end - size) / PAGE_SIZE);
  const pages = size / PAGE_SIZE;
  const doubling = Math.min(Math.max(missing, pages), MAX_PAGES - pages);
  try {
    memory.grow(doubling);
  } catch {
    memory.grow(missing);
  }
}

/**
 * `ensureMemory` for room that is likely, not certain, to be needed (an estimate made ahead of a
 * large write): when memory cannot grow that far, it stays as it is, and the writes grow it as
 * they go.
 */
export function reserveMemory(memory: WebAssembly.Memory, end: number): void {
  try {
    ensureMemory(memory, end);
  } catch {
    // The estimate was too large for this memory; the exact need may still fit.
  }
}
