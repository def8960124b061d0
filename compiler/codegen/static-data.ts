// The policy's static data segment: value cells, strings, type tables and DFA tables at fixed
// addresses above the runtime's own data, in the layouts of runtime/module (docs/wasm.md).
// Everything is interned, so equal constants share one address and output is deterministic.

import type { SchemaType } from "../../contract/schema.js";

// The layouts are the ABI's (contract/abi/layout.ts), shared with the runtime and the loader.
import {
  CELL_LENGTH,
  CELL_PAYLOAD,
  CELL_SIZE,
  CELL_TAG,
  FIELD_NAME,
  FIELD_NAME_LENGTH,
  FIELD_OPTIONAL,
  FIELD_SIZE,
  FIELD_TYPE,
  TAG_BOOL,
  TAG_NULL,
  TAG_NUMBER,
  TAG_OBJECT,
  TAG_STRING,
  TYPE_ELEMENT,
  TYPE_ENUM_NAME,
  TYPE_ENUM_NAME_LENGTH,
  TYPE_FIELD_COUNT,
  TYPE_FIELDS,
  TYPE_KIND,
  TYPE_KINDS,
  TYPE_MEMBER_COUNT,
  TYPE_MEMBERS,
  TYPE_TABLE_SIZE,
} from "../../contract/abi/layout.js";

export class StaticData {
  private bytes = new Uint8Array(4096);
  private length = 0;
  private readonly interned = new Map<string, number>();

  constructor(readonly base: number) {}

  /** One past the last byte. */
  get end(): number {
    return this.base + this.length;
  }

  contents(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  /** Reserves `size` zeroed bytes aligned to 8; returns their address. */
  reserve(size: number): number {
    this.length = (this.length + 7) & ~7;
    const at = this.length;
    this.length += size;
    if (this.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.length, this.bytes.length * 2));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    return this.base + at;
  }

  private view(): DataView {
    return new DataView(this.bytes.buffer);
  }

  u32(addr: number, value: number): void {
    this.view().setUint32(addr - this.base, value, true);
  }

  private memo(key: string, build: () => number): number {
    let addr = this.interned.get(key);
    if (addr === undefined) {
      addr = build();
      this.interned.set(key, addr);
    }
    return addr;
  }

  raw(data: Uint8Array): number {
    return this.memo(`raw:${Buffer.from(data).toString("base64")}`, () => {
      const addr = this.reserve(data.length);
      this.bytes.set(data, addr - this.base);
      return addr;
    });
  }

  /** UTF-8 bytes of `text` (not a value); returns [address, byte length]. */
  utf8(text: string): [number, number] {
    const data = new TextEncoder().encode(text);
    return [this.raw(data), data.length];
  }

  private cell(tag: number, length: number, payload: number): number {
    const addr = this.reserve(CELL_SIZE);
    this.u32(addr + CELL_TAG, tag);
    this.u32(addr + CELL_LENGTH, length);
    this.u32(addr + CELL_PAYLOAD, payload);
    return addr;
  }

  string(text: string): number {
    return this.memo(`string:${text}`, () => {
      const [bytes, length] = this.utf8(text);
      return this.cell(TAG_STRING, length, bytes);
    });
  }

  number(value: number): number {
    return this.memo(`number:${Object.is(value, -0) ? "-0" : value}`, () => {
      const addr = this.cell(TAG_NUMBER, 0, 0);
      this.view().setFloat64(addr + CELL_PAYLOAD - this.base, value, true);
      return addr;
    });
  }

  bool(value: boolean): number {
    return this.memo(`bool:${value}`, () => this.cell(TAG_BOOL, 0, value ? 1 : 0));
  }

  null(): number {
    return this.memo("null", () => this.cell(TAG_NULL, 0, 0));
  }

  /** A table of u32 words (addresses or numbers). */
  words(values: readonly number[]): number {
    return this.memo(`words:${values.join(",")}`, () => {
      const addr = this.reserve(values.length * 4);
      values.forEach((v, i) => this.u32(addr + i * 4, v));
      return addr;
    });
  }

  /** An array or set value over item value addresses. */
  collection(tag: number, items: readonly number[]): number {
    return this.memo(`collection:${tag}:${items.join(",")}`, () => this.cell(tag, items.length, this.words(items)));
  }

  /** An object value whose entries keep the given order. */
  object(entries: readonly [key: string, value: number][]): number {
    const words = entries.flatMap(([key, value]) => [this.string(key), value]);
    return this.memo(`object:${words.join(",")}`, () => this.cell(TAG_OBJECT, entries.length, this.words(words)));
  }

  /** A type table (contract/abi/layout.ts; walked by runtime/module/validate.ts). */
  type(type: SchemaType): number {
    return this.memo(`type:${JSON.stringify(type)}`, () => {
      const addr = this.reserve(TYPE_TABLE_SIZE);
      this.u32(addr + TYPE_KIND, TYPE_KINDS[type.kind]);
      if (type.kind === "enum") {
        const [name, nameLength] = this.utf8(type.name);
        this.u32(addr + TYPE_ENUM_NAME, name);
        this.u32(addr + TYPE_ENUM_NAME_LENGTH, nameLength);
        this.u32(addr + TYPE_MEMBER_COUNT, type.members.length);
        this.u32(addr + TYPE_MEMBERS, this.words(type.members.map((m) => this.string(m))));
      } else if (type.kind === "set" || type.kind === "list") {
        this.u32(addr + TYPE_ELEMENT, this.type(type.element));
      } else if (type.kind === "record") {
        const fields = this.reserve(type.fields.length * FIELD_SIZE);
        type.fields.forEach((field, i) => {
          const at = fields + i * FIELD_SIZE;
          const [name, nameLength] = this.utf8(field.name);
          this.u32(at + FIELD_NAME, name);
          this.u32(at + FIELD_NAME_LENGTH, nameLength);
          this.u32(at + FIELD_OPTIONAL, field.optional ? 1 : 0);
          this.u32(at + FIELD_TYPE, this.type(field.type));
        });
        this.u32(addr + TYPE_FIELD_COUNT, type.fields.length);
        this.u32(addr + TYPE_FIELDS, fields);
      }
      return addr;
    });
  }
}
