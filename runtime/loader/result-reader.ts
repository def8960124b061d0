// Decodes a result value from module memory into the JavaScript value JSON.parse would give for
// its JSON text (same keys, same order). Cells in static data are immutable, so they are decoded
// once and shared, frozen; only what the evaluation built (the verdict object, its lists, messages)
// is decoded afresh, so callers always get fresh top-level objects and arrays.

import {
  CELL_LENGTH,
  CELL_PAYLOAD,
  LAYOUT_CONSTITUTION,
  LAYOUT_ERROR,
  LAYOUT_PERMITS,
  LAYOUT_VIOLATIONS,
  TAG_ARRAY,
  TAG_BOOL,
  TAG_NUMBER,
  TAG_OBJECT,
  TAG_SET,
  TAG_STRING,
} from "../../contract/abi/layout.js";
import type { MemoryViews } from "./memory-views.js";
import {
  makeVerdict,
  type ConstitutionId,
  type Verdict,
  type VerdictOutcome,
  type Violation,
} from "../../contract/verdict.js";

export class ResultReader {
  /** Decoded static cells, indexed by address / 8 (cells are 8-aligned); dense, so lookups stay fast. */
  private readonly shared: unknown[];

  constructor(
    private readonly views: MemoryViews,
    /** Cells below this address are static data. */
    private readonly staticEnd: number,
  ) {
    this.shared = new Array<unknown>(staticEnd >> 3).fill(undefined);
  }

  read(addr: number): unknown {
    if (addr >= this.staticEnd) return this.decode(addr);
    let value = this.shared[addr >> 3];
    if (value === undefined) {
      value = deepFreeze(this.decode(addr));
      this.shared[addr >> 3] = value;
    }
    return value;
  }

  private decode(addr: number): unknown {
    const { u32 } = this.views;
    const word = addr >> 2;
    const tag = u32[word]!;
    const length = u32[word + (CELL_LENGTH >> 2)]!;
    const payload = u32[word + (CELL_PAYLOAD >> 2)]!;
    switch (tag) {
      case TAG_BOOL:
        return payload !== 0;
      case TAG_NUMBER:
        return this.views.f64[(addr + CELL_PAYLOAD) >> 3]!;
      case TAG_STRING:
        return this.string(payload, length);
      case TAG_ARRAY:
      case TAG_SET: {
        const items: unknown[] = [];
        for (let i = 0; i < length; i++) items.push(this.read(u32[(payload >> 2) + i]!));
        return items;
      }
      case TAG_OBJECT:
        return this.object(payload >> 2, length);
      default:
        return null;
    }
  }

  /**
   * Verdicts, violations and registration results get object literals with their fixed key order
   * (one hidden class each, so callers' property reads stay monomorphic); anything else is built
   * key by key.
   */
  private object(entries: number, length: number): unknown {
    const firstKey = length > 0 ? this.key(entries, 0) : undefined;
    if (firstKey === "permitted" && (length === 8 || length === 9)) return this.verdict(entries, length);
    if (firstKey === "article" && length === 5) {
      return {
        article: this.value(entries, 0),
        code: this.value(entries, 1),
        remedy: this.value(entries, 2),
        enforcement: this.value(entries, 3),
        message: this.value(entries, 4),
      };
    }
    const object: Record<string, unknown> = {};
    for (let i = 0; i < length; i++) object[this.key(entries, i)] = this.value(entries, i);
    return object;
  }

  /**
   * A verdict's entries: the header, `violations`, `permits`, `error` on invalid inputs, then
   * `constitution` (the layout table's order, contract/abi/layout.ts `LAYOUT_KEYS`).
   */
  private verdict(entries: number, length: number): Verdict {
    const outcome = {
      permitted: this.value(entries, 0),
      violation: this.value(entries, 1),
      constitutional_article: this.value(entries, 2),
      action_taken: this.value(entries, 3),
      appeal_process: this.value(entries, 4),
    } as VerdictOutcome;
    const violations = this.value(entries, LAYOUT_VIOLATIONS) as Violation[];
    const permits = this.value(entries, LAYOUT_PERMITS) as string[];
    const error = length > LAYOUT_CONSTITUTION ? (this.value(entries, LAYOUT_ERROR) as string) : undefined;
    return makeVerdict(outcome, violations, permits, this.value(entries, length - 1) as ConstitutionId, error);
  }

  /** Key and value of entry `i` of the entry table at u32 index `entries`. */
  private key(entries: number, i: number): string {
    return this.read(this.views.u32[entries + 2 * i]!) as string;
  }

  private value(entries: number, i: number): unknown {
    return this.read(this.views.u32[entries + 2 * i + 1]!);
  }

  private string(at: number, length: number): string {
    return this.views.bytes.toString("utf8", at, at + length);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
