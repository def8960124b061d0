// Section-level editing of the prebuilt runtime module: the linker of docs/wasm.md ("Module
// layout"). It appends types, functions, a table element and a passive data segment, replaces the
// start function, sets the initial value of a global, drops exports and appends custom sections;
// it never renumbers anything, so the runtime's code is copied byte for byte.

import { unsignedLeb, signedLeb, type ValType } from "./wasm-code.js";
import { InternalCompilerError } from "../diagnostics/internal-error.js";

const enum SectionId {
  Custom = 0,
  Type = 1,
  Import = 2,
  Function = 3,
  Table = 4,
  Memory = 5,
  Global = 6,
  Export = 7,
  Start = 8,
  Element = 9,
  Code = 10,
  Data = 11,
  DataCount = 12,
}

/** Where each known section goes (DataCount sits between Element and Code). */
const SECTION_ORDER = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11];

const IMPORT_FUNCTION = 0;
const IMPORT_MEMORY = 2;
const IMPORT_GLOBAL = 3;

export interface ExportEntry {
  name: string;
  kind: number;
  index: number;
}

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at = 0,
  ) {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  byte(): number {
    return this.bytes[this.at++]!;
  }

  unsigned(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
    }
  }

  /** Skips a byte vector: a length, then that many bytes. */
  skipBytes(): void {
    const length = this.unsigned();
    this.at += length;
  }

  name(): string {
    const length = this.unsigned();
    const text = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
    return text;
  }

  /** Skips a constant expression up to and including its `end`. */
  skipConstExpr(): void {
    for (let op = this.byte(); op !== 0x0b; op = this.byte()) {
      if (op === 0x41 || op === 0x42 || op === 0x23) this.unsigned();
      else if (op === 0x44) this.at += 8;
      else throw new InternalCompilerError(`unexpected opcode 0x${op.toString(16)} in a constant expression`);
    }
  }
}

function concat(parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function encodeName(name: string): Uint8Array {
  const bytes = new TextEncoder().encode(name);
  return concat([unsignedLeb(bytes.length), bytes]);
}

/** A vector section split into its entries' bytes. */
function vectorEntries(payload: Uint8Array, skipEntry: (reader: Reader) => void): Uint8Array[] {
  const reader = new Reader(payload);
  const entries: Uint8Array[] = [];
  for (let i = 0, n = reader.unsigned(); i < n; i++) {
    const start = reader.at;
    skipEntry(reader);
    entries.push(payload.subarray(start, reader.at));
  }
  return entries;
}

function vector(entries: readonly Uint8Array[]): Uint8Array {
  return concat([unsignedLeb(entries.length), ...entries]);
}

export class ModuleEditor {
  private readonly sections = new Map<number, Uint8Array>();
  private readonly customSections: [string, Uint8Array][] = [];
  private readonly newTypes: Uint8Array[] = [];
  private readonly newFunctionTypes: number[] = [];
  private readonly newBodies: Uint8Array[] = [];
  private readonly newData: Uint8Array[] = [];
  private readonly droppedExports = new Set<string>();
  private tableSlot0: number | null = null;
  readonly importedFunctions: number;
  readonly exports: ExportEntry[];
  private readonly typeCount: number;
  private readonly definedFunctions: number;

  constructor(module: Uint8Array) {
    const reader = new Reader(module, 8);
    while (!reader.done) {
      const id = reader.byte();
      const size = reader.unsigned();
      // The runtime's custom sections (names) are not carried over.
      if (id !== SectionId.Custom) this.sections.set(id, module.subarray(reader.at, reader.at + size));
      reader.at += size;
    }
    this.typeCount = this.count(SectionId.Type);
    this.definedFunctions = this.count(SectionId.Function);
    this.importedFunctions = this.imports().filter((kind) => kind === IMPORT_FUNCTION).length;
    this.exports = this.readExports();
  }

  private section(id: SectionId): Uint8Array {
    return this.sections.get(id) ?? Uint8Array.of(0);
  }

  private count(id: SectionId): number {
    return new Reader(this.section(id)).unsigned();
  }

  private imports(): number[] {
    const kinds: number[] = [];
    vectorEntries(this.section(SectionId.Import), (r) => {
      r.name();
      r.name();
      const kind = r.byte();
      kinds.push(kind);
      if (kind === IMPORT_FUNCTION) r.unsigned();
      else if (kind === IMPORT_MEMORY) {
        const flags = r.byte();
        r.unsigned();
        if (flags & 1) r.unsigned();
      } else if (kind === IMPORT_GLOBAL) r.at += 2;
      else throw new InternalCompilerError(`unexpected import kind ${kind}`);
    });
    return kinds;
  }

  private readExports(): ExportEntry[] {
    const exports: ExportEntry[] = [];
    vectorEntries(this.section(SectionId.Export), (r) =>
      exports.push({ name: r.name(), kind: r.byte(), index: r.unsigned() }),
    );
    return exports;
  }

  exportIndex(name: string, kind: number): number {
    const entry = this.exports.find((e) => e.name === name && e.kind === kind);
    if (entry === undefined) throw new InternalCompilerError(`the runtime does not export ${name}`);
    return entry.index;
  }

  /** The value of a defined function whose body is a single `i32.const`. */
  constantResult(functionIndex: number): number {
    const body = vectorEntries(this.section(SectionId.Code), (r) => r.skipBytes())[
      functionIndex - this.importedFunctions
    ]!;
    const r = new Reader(body);
    r.unsigned(); // body size
    if (r.unsigned() !== 0 || r.byte() !== 0x41) throw new InternalCompilerError("not a constant function");
    const bytes: number[] = [];
    for (let b = r.byte(); ; b = r.byte()) {
      bytes.push(b);
      if ((b & 0x80) === 0) break;
    }
    return bytes.reduceRight((value, b) => value * 128 + (b & 0x7f), 0) | 0;
  }

  /** Exports `index` (of `kind`: 0 function) as `name`, after the runtime's exports. */
  addExport(name: string, kind: number, index: number): void {
    this.exports.push({ name, kind, index });
  }

  dropExport(name: string): void {
    this.droppedExports.add(name);
  }

  addType(params: readonly ValType[], results: readonly ValType[]): number {
    this.newTypes.push(
      Uint8Array.from([0x60, ...unsignedLeb(params.length), ...params, ...unsignedLeb(results.length), ...results]),
    );
    return this.typeCount + this.newTypes.length - 1;
  }

  /** Adds a function with an encoded body (wasm-code.ts `finish`); returns its function index. */
  addFunction(type: number, body: Uint8Array): number {
    this.newFunctionTypes.push(type);
    this.newBodies.push(body);
    return this.importedFunctions + this.definedFunctions + this.newBodies.length - 1;
  }

  /** Puts `functionIndex` into slot 0 of table 0 (where the runtime's call_indirect looks). */
  setTableSlot0(functionIndex: number): void {
    this.tableSlot0 = functionIndex;
  }

  /** Adds a passive data segment (copied into memory by `memory.init`); returns its index. */
  addPassiveData(data: Uint8Array): number {
    this.newData.push(concat([[1], unsignedLeb(data.length), data]));
    return this.count(SectionId.Data) + this.newData.length - 1;
  }

  /** The function the start section runs. */
  get start(): number {
    return new Reader(this.section(SectionId.Start)).unsigned();
  }

  set start(functionIndex: number) {
    this.sections.set(SectionId.Start, Uint8Array.from(unsignedLeb(functionIndex)));
  }

  /** Sets the initial value of i32 global `index` (defined globals only). */
  setGlobal(index: number, value: number): void {
    const entries = vectorEntries(this.section(SectionId.Global), (r) => {
      r.at += 2;
      r.skipConstExpr();
    });
    const entry = entries[index - this.imports().filter((k) => k === IMPORT_GLOBAL).length]!;
    entries[entries.indexOf(entry)] = Uint8Array.from([entry[0]!, entry[1]!, 0x41, ...signedLeb(value), 0x0b]);
    this.sections.set(SectionId.Global, vector(entries));
  }

  addCustomSection(name: string, contents: Uint8Array): void {
    this.customSections.push([name, contents]);
  }

  private appended(id: SectionId, additions: readonly Uint8Array[], skipEntry: (r: Reader) => void): Uint8Array {
    return vector([...vectorEntries(this.section(id), skipEntry), ...additions]);
  }

  emit(): Uint8Array {
    this.sections.set(
      SectionId.Type,
      this.appended(SectionId.Type, this.newTypes, (r) => {
        r.byte();
        r.skipBytes();
        r.skipBytes();
      }),
    );
    this.sections.set(
      SectionId.Function,
      this.appended(
        SectionId.Function,
        this.newFunctionTypes.map((t) => Uint8Array.from(unsignedLeb(t))),
        (r) => r.unsigned(),
      ),
    );
    this.sections.set(
      SectionId.Code,
      this.appended(SectionId.Code, this.newBodies, (r) => r.skipBytes()),
    );
    const dataEntries = vectorEntries(this.section(SectionId.Data), (r) => {
      r.byte();
      r.skipConstExpr();
      r.skipBytes();
    });
    this.sections.set(SectionId.Data, vector([...dataEntries, ...this.newData]));
    // memory.init needs the DataCount section.
    this.sections.set(SectionId.DataCount, Uint8Array.from(unsignedLeb(dataEntries.length + this.newData.length)));
    this.sections.set(
      SectionId.Export,
      vector(
        this.exports
          .filter((e) => !this.droppedExports.has(e.name))
          .map((e) => concat([encodeName(e.name), [e.kind], unsignedLeb(e.index)])),
      ),
    );
    if (this.tableSlot0 !== null) {
      if (this.sections.has(SectionId.Element))
        throw new InternalCompilerError("the runtime already has table elements");
      this.sections.set(
        SectionId.Element,
        vector([Uint8Array.from([0, 0x41, 0, 0x0b, 1, ...unsignedLeb(this.tableSlot0)])]),
      );
    }
    const parts: Uint8Array[] = [Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)];
    for (const id of SECTION_ORDER) {
      const payload = this.sections.get(id);
      if (payload !== undefined) parts.push(Uint8Array.from([id, ...unsignedLeb(payload.length)]), payload);
    }
    for (const [name, contents] of this.customSections) {
      const payload = concat([encodeName(name), contents]);
      parts.push(Uint8Array.from([SectionId.Custom, ...unsignedLeb(payload.length)]), payload);
    }
    return concat(parts);
  }
}
