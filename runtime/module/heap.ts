// The guest heap: a bump allocator above all static data, reset wholesale by the host through the
// OPA heap-pointer protocol (opa_heap_ptr_set, opa_eval's heap_ptr argument). Nothing is freed one
// by one: an evaluation's garbage is dropped when the host resets the pointer, so evaluations
// cannot leak into each other. The allocator grows memory itself, because the host may grow it too.

import { fail } from "./host";

/** First byte above every static segment (the runtime's and the generated code's). */
let heapStart: usize = 0;
/** Next free byte. */
let heapTop: usize = 0;
/**
 * Memory size last seen, in bytes. Only ever too low (the host may have grown memory since), never
 * too high, so allocations below it need no memory.size call.
 */
let knownEnd: usize = 0;

export function initHeap(staticEnd: usize): void {
  heapStart = (staticEnd + 7) & ~7;
  heapTop = heapStart;
}

export function getHeapTop(): usize {
  return heapTop;
}

export function setHeapTop(addr: usize): void {
  heapTop = (max(addr, heapStart) + 7) & ~7;
}

/** Makes sure `[0, end)` is backed by memory; inlined, so the common case is one comparison. */
// @ts-expect-error: a decorator on a function is AssemblyScript, not TypeScript; @inline: a hot helper
@inline export function ensureMemory(end: usize): void {
  if (end > knownEnd) growMemory(end);
}

/**
 * Memory at least doubles at a time, or grows by exactly what is missing when the host's maximum
 * forbids more: a large input is built in a few steps, not one page at a time. Fewer steps matter
 * beyond the copying: each growth replaces the host's buffer, and V8 counts it as external memory
 * pressure, which can start a full garbage collection of the host's heap (large inputs included).
 */
function growMemory(end: usize): void {
  const pages = <usize>memory.size();
  knownEnd = pages << 16;
  if (end <= knownEnd) return;
  const missing = <i32>((end - (pages << 16) + 0xffff) >> 16);
  if (memory.grow(max(missing, <i32>pages)) < 0 && memory.grow(missing) < 0) fail("opa_malloc: failed");
  knownEnd = <usize>memory.size() << 16;
}

/** Allocates `size` bytes, 8-byte aligned. */
export function alloc(size: usize): usize {
  const ptr = heapTop;
  const end = (ptr + size + 7) & ~7;
  if (end < ptr) fail("opa_malloc: failed");
  ensureMemory(end);
  heapTop = end;
  return ptr;
}
