// Typed views of the module's memory, refreshed whenever memory grows (growth detaches the old
// buffer). The layouts they read are contract/abi/layout.ts.

export class MemoryViews {
  private buffer: ArrayBuffer | null = null;
  u8!: Uint8Array;
  u32!: Uint32Array;
  f64!: Float64Array;
  /** A Buffer over the same memory, for Node's native UTF-8 decoding. */
  bytes!: Buffer;

  constructor(readonly memory: WebAssembly.Memory) {
    this.refresh();
  }

  /** Re-creates the views when the memory has grown since the last call. */
  refresh(): void {
    if (this.buffer === this.memory.buffer) return;
    this.buffer = this.memory.buffer;
    this.u8 = new Uint8Array(this.buffer);
    this.u32 = new Uint32Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
    this.bytes = Buffer.from(this.buffer);
  }
}
