// The fast path's input boundary (docs/wasm.md, "Fast path"): writes a JavaScript input straight
// into module memory as the value cells the JSON reader would have produced, guided by the schema.
// Only schema fields are written (the module ignores the others anyway), objects are sorted by key
// as the reader sorts them, and the module's own validation judges what was written, so the
// verdict is the one opa_eval gives for JSON.stringify(input). No JSON text is ever made.
// Field names, booleans, null, enum members and short strings live in a persistent region that
// survives evaluations; everything else is written above it and dropped with the next evaluation.

import type { RecordSchema, SchemaType } from "../../contract/schema.js";
import { ensureMemory, reserveMemory } from "./instance.js";
import {
  CELL_SIZE,
  TAG_ARRAY,
  TAG_BOOL,
  TAG_NULL,
  TAG_NUMBER,
  TAG_OBJECT,
  TAG_STRING,
} from "../../contract/abi/layout.js";
import type { MemoryViews } from "./memory-views.js";

/** Bytes reserved for interned strings; when full, the interning table starts over. */
const INTERN_BYTES = 256 * 1024;
/** Longer strings are written per evaluation rather than interned. */
const MAX_INTERNED_LENGTH = 128;

/** A schema type prepared for writing: record fields sorted by key bytes, with their key cells. */
export interface Prepared {
  kind: SchemaType["kind"];
  fields: PreparedField[];
  element: Prepared | null;
}

interface PreparedField {
  name: string;
  key: number;
  type: Prepared;
  /** The name is also an Object.prototype property, so presence needs an own-property check. */
  inherited: boolean;
}

export class InputWriter {
  private top = 0;
  private internTop: number;
  private readonly internEnd: number;
  private readonly interned = new Map<string, number>();
  private readonly keys = new Map<string, number>();
  private readonly root: Prepared;
  private readonly nullCell: number;
  private readonly trueCell: number;
  private readonly falseCell: number;
  /** Where per-evaluation cells start. */
  readonly evalBase: number;

  constructor(
    private readonly views: MemoryViews,
    schema: RecordSchema,
    persistentStart: number,
    /** Static addresses of the field names' bytes (sections.ts `fieldNames`). */
    private readonly fieldNames: Readonly<Record<string, number>>,
  ) {
    this.top = persistentStart;
    this.nullCell = this.cell(TAG_NULL, 0, 0);
    this.trueCell = this.cell(TAG_BOOL, 0, 1);
    this.falseCell = this.cell(TAG_BOOL, 0, 0);
    this.root = this.prepare(schema);
    this.internTop = this.top;
    this.internEnd = this.top + INTERN_BYTES;
    this.evalBase = this.internEnd;
    ensureMemory(views.memory, this.evalBase);
    views.refresh();
  }

  private prepare(type: SchemaType): Prepared {
    const element = type.kind === "set" || type.kind === "list" ? this.prepare(type.element) : null;
    const fields =
      type.kind === "record"
        ? [...type.fields]
            .sort((a, b) => compareUtf8(a.name, b.name))
            .map((f) => ({
              name: f.name,
              key: this.keyCell(f.name),
              type: this.prepare(f.type),
              inherited: f.name in Object.prototype,
            }))
        : [];
    return { kind: type.kind, fields, element };
  }

  private alloc(size: number): number {
    const at = this.top;
    this.top = (at + size + 7) & ~7;
    if (this.top > this.views.u8.length) {
      ensureMemory(this.views.memory, this.top);
      this.views.refresh();
    }
    return at;
  }

  /**
   * Grows memory once for about `bytes` more (an array's slots and its items' cells) rather than
   * in several steps as the items are written: each growth can cost the host a full GC.
   */
  private reserve(bytes: number): void {
    if (this.top + bytes > this.views.u8.length) {
      reserveMemory(this.views.memory, this.top + bytes);
      this.views.refresh();
    }
  }

  private cell(tag: number, length: number, payload: number): number {
    const at = this.alloc(CELL_SIZE);
    const u32 = this.views.u32;
    u32[at >> 2] = tag;
    u32[(at >> 2) + 1] = length;
    u32[(at >> 2) + 2] = payload;
    return at;
  }

  /** A key cell over the module's own static bytes of the name, so lookups match it by address. */
  private keyCell(name: string): number {
    // Key cells are persistent: made while preparing the root schema (every field name), then reused.
    const known = this.keys.get(name);
    if (known !== undefined) return known;
    const cell = this.newKeyCell(name);
    this.keys.set(name, cell);
    return cell;
  }

  private newKeyCell(name: string): number {
    const bytes = this.fieldNames[name];
    if (bytes === undefined) throw new Error(`internal: the module does not list field \`${name}\``);
    return this.cell(TAG_STRING, encoder.encode(name).length, bytes);
  }

  /** Writes `input` for one evaluation; returns its cell (0 for undefined). `heapTop` is then the first free byte. */
  write(input: unknown): number {
    this.begin();
    return input === undefined ? 0 : this.value(input, this.root);
  }

  /** Starts an evaluation: drops the previous one's cells (and the interned strings when their region is nearly full). */
  begin(): void {
    this.top = this.evalBase;
    if (this.internEnd - this.internTop < INTERN_BYTES / 8) {
      this.interned.clear();
      this.internTop = this.internEnd - INTERN_BYTES;
    }
  }

  /** A schema type prepared for `valueCell`. */
  prepareType(type: SchemaType): Prepared {
    return this.prepare(type);
  }

  /** Writes `value` (of schema type `type`) as cells for the current evaluation; 0 when it is not JSON. */
  valueCell(value: unknown, type: Prepared): number {
    return this.value(value, type);
  }

  /** An array cell over the string cells of `items` (all strings). */
  stringArray(items: readonly string[]): number {
    const n = items.length;
    this.reserve(n * (4 + CELL_SIZE + 8));
    const cell = this.alloc(CELL_SIZE + n * 4);
    const list = cell + CELL_SIZE;
    for (let i = 0; i < n; i++) {
      const item = this.string(items[i]!);
      this.views.u32[(list >> 2) + i] = item;
    }
    const u32 = this.views.u32;
    u32[cell >> 2] = TAG_ARRAY;
    u32[(cell >> 2) + 1] = n;
    u32[(cell >> 2) + 2] = list;
    return cell;
  }

  /** The string cell of `text` (interned when short). */
  stringCell(text: string): number {
    return this.string(text);
  }

  get heapTop(): number {
    return this.top;
  }

  private value(value: unknown, type: Prepared | null): number {
    switch (typeof value) {
      case "string":
        return this.string(value);
      case "number": {
        const at = this.cell(TAG_NUMBER, 0, 0);
        this.views.f64[(at >> 3) + 1] = value;
        return at;
      }
      case "boolean":
        return value ? this.trueCell : this.falseCell;
      case "object":
        if (value === null) return this.nullCell;
        if (Array.isArray(value)) return this.array(value, type === null ? null : type.element);
        return this.object(
          value as Record<string, unknown>,
          type !== null && type.kind === "record" ? type.fields : NO_FIELDS,
        );
      default:
        // Not JSON (function, symbol, bigint): JSON.stringify drops it, so it is absent.
        return 0;
    }
  }

  private array(items: readonly unknown[], element: Prepared | null): number {
    this.reserve(items.length * (4 + CELL_SIZE));
    const list = this.alloc(items.length * 4);
    const cell = this.cell(TAG_ARRAY, items.length, list);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      // JSON.stringify writes non-JSON array items as null.
      const itemCell = item === undefined ? this.nullCell : this.value(item, element) || this.nullCell;
      this.views.u32[(list >> 2) + i] = itemCell;
    }
    return cell;
  }

  private object(value: Record<string, unknown>, fields: readonly PreparedField[]): number {
    const entries = this.alloc(fields.length * 8);
    let count = 0;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const child = value[field.name];
      if (child === undefined || (field.inherited && !Object.prototype.hasOwnProperty.call(value, field.name)))
        continue;
      const cell = this.value(child, field.type);
      if (cell === 0) continue;
      const u32 = this.views.u32;
      u32[(entries >> 2) + 2 * count] = field.key;
      u32[(entries >> 2) + 2 * count + 1] = cell;
      count++;
    }
    return this.cell(TAG_OBJECT, count, entries);
  }

  private string(text: string): number {
    const known = this.interned.get(text);
    if (known !== undefined) return known;
    // A full region is only reset between evaluations: this input may already point into it.
    if (text.length > MAX_INTERNED_LENGTH || this.internTop + text.length * 3 + CELL_SIZE + 8 > this.internEnd)
      return this.stringAt(text, false);
    const cell = this.stringAt(text, true);
    this.interned.set(text, cell);
    return cell;
  }

  /** Writes a string's UTF-8 bytes and cell, in the intern region or the evaluation's area. */
  private stringAt(text: string, intern: boolean): number {
    const saved = this.top;
    if (intern) this.top = this.internTop;
    const bytes = this.alloc(text.length * 3);
    const length = writeUtf8(this.views.bytes, bytes, text);
    this.top = (bytes + length + 7) & ~7;
    const cell = this.cell(TAG_STRING, length, bytes);
    if (intern) {
      this.internTop = this.top;
      this.top = saved;
    }
    return cell;
  }
}

const encoder = new TextEncoder();
const NO_FIELDS: readonly PreparedField[] = [];

/** Writes `text` as UTF-8 at `at` (room for 3 bytes per UTF-16 unit); returns the byte count. */
function writeUtf8(bytes: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Lone surrogates become U+FFFD, as TextEncoder writes them; no view is made per string.
    if (c >= 0x80) return bytes.write(text, at, "utf8");
    bytes[at + i] = c;
  }
  return text.length;
}

/** Byte order of UTF-8 encodings (= code point order), the order of the module's object entries. */
function compareUtf8(a: string, b: string): number {
  const [x, y] = [encoder.encode(a), encoder.encode(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
