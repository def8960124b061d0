// A function body encoder for the instruction subset the plan emitter uses. Blocks are opened with
// a label name; `br` resolves a name to its relative depth, so emitters never count levels.

import { InternalCompilerError } from "../diagnostics/internal-error.js";

export const I32 = 0x7f;
export const F64 = 0x7c;
export type ValType = typeof I32 | typeof F64;

const BLOCK_VOID = 0x40;

export function unsignedLeb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

export function signedLeb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

/** Opcodes used by the emitter (WebAssembly 1.0 numbering). */
export const Op = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  call: 0x10,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f64Load: 0x2b,
  i32Store: 0x36,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32GtS: 0x4a,
  i32LeS: 0x4c,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  f64Eq: 0x61,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Gt: 0x64,
  f64Le: 0x65,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Shl: 0x74,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64ConvertI32U: 0xb8,
  memorySize: 0x3f,
  memoryGrow: 0x40,
} as const;

export class Code {
  private readonly bytes: number[] = [];
  private readonly control: (string | null)[] = [];

  op(opcode: number): this {
    this.bytes.push(opcode);
    return this;
  }

  i32(value: number): this {
    this.bytes.push(Op.i32Const, ...signedLeb(value | 0));
    return this;
  }

  f64(value: number): this {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value, true);
    this.bytes.push(Op.f64Const, ...new Uint8Array(view.buffer));
    return this;
  }

  local(opcode: typeof Op.localGet | typeof Op.localSet | typeof Op.localTee, index: number): this {
    this.bytes.push(opcode, ...unsignedLeb(index));
    return this;
  }

  /** A load with its natural alignment: i32 (align 2^2) or f64 (align 2^3). */
  load(opcode: typeof Op.i32Load | typeof Op.f64Load, offset: number): this {
    this.bytes.push(opcode, opcode === Op.i32Load ? 2 : 3, ...unsignedLeb(offset));
    return this;
  }

  /** An i32 store with its natural alignment (2^2). */
  store(opcode: typeof Op.i32Store, offset: number): this {
    this.bytes.push(opcode, 2, ...unsignedLeb(offset));
    return this;
  }

  call(functionIndex: number): this {
    this.bytes.push(Op.call, ...unsignedLeb(functionIndex));
    return this;
  }

  /** memory.size / memory.grow of memory 0. */
  memory(opcode: typeof Op.memorySize | typeof Op.memoryGrow): this {
    this.bytes.push(opcode, 0);
    return this;
  }

  /** memory.init of data segment `segment` into memory 0, then data.drop (bulk memory). */
  initData(segment: number): this {
    this.bytes.push(0xfc, 0x08, ...unsignedLeb(segment), 0, 0xfc, 0x09, ...unsignedLeb(segment));
    return this;
  }

  /** A block (or loop) without result; `label` names it for br/brIf. */
  block(label: string | null, body: () => void, opcode: typeof Op.block | typeof Op.loop = Op.block): this {
    this.bytes.push(opcode, BLOCK_VOID);
    this.control.push(label);
    body();
    this.control.pop();
    this.bytes.push(Op.end);
    return this;
  }

  private depth(label: string): number {
    const at = this.control.lastIndexOf(label);
    if (at < 0) throw new InternalCompilerError(`branch to unknown label ${label}`);
    return this.control.length - 1 - at;
  }

  br(label: string): this {
    this.bytes.push(Op.br, ...unsignedLeb(this.depth(label)));
    return this;
  }

  brIf(label: string): this {
    this.bytes.push(Op.brIf, ...unsignedLeb(this.depth(label)));
    return this;
  }

  /** The encoded function body: local declarations (one group per local), code, `end`. */
  finish(locals: readonly ValType[]): Uint8Array {
    const declarations = [...unsignedLeb(locals.length), ...locals.flatMap((type) => [1, type])];
    const body = [...declarations, ...this.bytes, Op.end];
    return Uint8Array.from([...unsignedLeb(body.length), ...body]);
  }
}
