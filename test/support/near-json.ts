// fast-check arbitraries for near-JSON bytes: a JSON value spelt with every freedom JSON allows
// (whitespace, escapes, number spellings) and, now and then, with what strict readers must reject
// (Rego set literals among them): duplicate keys at any depth (also spelt differently, "\u0061" vs "a"),
// invalid UTF-8 in keys and values, lone surrogate escapes, control characters, odd numbers,
// a BOM, trailing data, nesting around the depth limit, then a few raw byte edits on top.

import fc from "fast-check";

const encoder = new TextEncoder();

/** Byte sequences that are not UTF-8 (stray continuation, overlong, surrogate, past U+10FFFF, truncated). */
export const INVALID_UTF8: readonly (readonly number[])[] = [
  [0x80],
  [0xbf],
  [0xc0, 0xaf],
  [0xc1, 0xbf],
  [0xc3, 0x28],
  [0xe0, 0x80, 0xaf],
  [0xe0, 0x9f, 0xbf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf0, 0x8f, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5, 0x80, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xfe],
  [0xff],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
];

/** Bytes a raw edit inserts or writes over: JSON punctuation, escapes, BOM, NUL and invalid UTF-8. */
const EDIT_BYTES: readonly (readonly number[])[] = [
  ...INVALID_UTF8,
  [0xef, 0xbb, 0xbf],
  [0x00],
  [0x22],
  [0x5c],
  [0x2c],
  [0x3a],
  [0x7b],
  [0x7d],
  [0x5b],
  [0x5d],
  [0x20],
  [0x0c],
  [0x30],
  [0x2d],
  [0xc2, 0xa0],
  [...encoder.encode("\\ud800")],
  [...encoder.encode('"a":1,')],
];

const SPACE = [" ", "\t", "\n", "\r", "\r\n  "];
const BAD_SPACE = ["\f", "\v", "\u00a0", "\u0000", "\u2028"];
const ODD_NUMBERS = [
  "-",
  "01",
  "1.",
  ".5",
  "+1",
  "1e",
  "1e+",
  "-0",
  "1e400",
  "-1e400",
  "0x1f",
  "1E2",
  "1.5E-3",
  "NaN",
  "Infinity",
  `1${"0".repeat(30)}`,
  `0.${"0".repeat(30)}1`,
  "1e-400",
  "--1",
  "1.e3",
  "00",
];

/** A small deterministic generator: fast-check shrinks its seed, the writer draws its choices from it. */
class Choices {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/** How often the writer spells something oddly (valid) or breaks it (invalid). */
export interface Rates {
  odd: number;
  broken: number;
}

/** Text the writer copies as it is (the deep field: built apart, so the writer's recursion stays shallow). */
class RawText {
  constructor(readonly text: string) {}
}

class NearJsonWriter {
  private readonly out: number[] = [];
  constructor(
    private readonly choices: Choices,
    private readonly rates: Rates,
  ) {}

  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }

  text(s: string): void {
    for (const b of encoder.encode(s)) this.out.push(b);
  }

  raw(bytes: readonly number[]): void {
    for (const b of bytes) this.out.push(b);
  }

  space(): void {
    if (this.choices.chance(this.rates.broken / 4)) this.text(this.choices.pick(BAD_SPACE));
    else if (this.choices.chance(this.rates.odd)) this.text(this.choices.pick(SPACE));
  }

  value(v: unknown): void {
    this.space();
    if (v instanceof RawText) this.text(v.text);
    else if (v === null || v === undefined || typeof v === "boolean") this.text(String(v ?? null));
    else if (typeof v === "number") this.number(v);
    else if (typeof v === "string") this.string(v);
    else if (Array.isArray(v)) this.array(v);
    else this.object(v as Record<string, unknown>);
    this.space();
  }

  number(n: number): void {
    const c = this.choices;
    if (c.chance(this.rates.broken)) return this.text(c.pick(ODD_NUMBERS));
    const plain = Number.isFinite(n) ? String(n) : "1e400";
    if (!c.chance(this.rates.odd) || !Number.isInteger(n)) return this.text(plain);
    this.text(c.pick([`${plain}.0`, `${plain}e0`, `${plain}E+00`, `${plain}.000e-0`, plain]));
  }

  string(s: string): void {
    const c = this.choices;
    const chars = [...s];
    const breakAt = c.chance(this.rates.broken) ? Math.floor(c.next() * (chars.length + 1)) : -1;
    this.raw([0x22]);
    for (let i = 0; i <= chars.length; i++) {
      if (i === breakAt) this.brokenStringPart();
      if (i < chars.length) this.char(chars[i]!);
    }
    this.raw([0x22]);
  }

  private brokenStringPart(): void {
    const c = this.choices;
    const kind = c.pick(["utf8", "utf8", "lone", "control", "escape"] as const);
    if (kind === "utf8") this.raw(c.pick(INVALID_UTF8));
    else if (kind === "lone") this.text(c.pick(["\\ud800", "\\udc00", "\\uDBFF\\u0041", "\\ud83d", "\\ud83d\\ud83d"]));
    else if (kind === "control") this.raw([c.pick([0x00, 0x01, 0x0a, 0x1f])]);
    else this.text(c.pick(["\\q", "\\u12", "\\u12g4", "\\x41", "\\U0041", "\\"]));
  }

  private char(ch: string): void {
    const c = this.choices;
    const code = ch.codePointAt(0)!;
    const mustEscape = code < 0x20 || ch === '"' || ch === "\\";
    if (!mustEscape && !c.chance(this.rates.odd)) return this.text(ch);
    if (ch === "/" && c.chance(0.5)) return this.text("\\/");
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined && c.chance(0.5)) return this.text(short);
    for (let i = 0; i < ch.length; i++) this.text(unicodeEscape(ch.charCodeAt(i), c.chance(0.5)));
  }

  array(items: unknown[]): void {
    const c = this.choices;
    if (items.length === 0 && c.chance(this.rates.odd / 2)) return this.text("set()");
    const asSet = items.length > 0 && c.chance(this.rates.odd / 2);
    this.raw([asSet ? 0x7b : 0x5b]);
    items.forEach((item, i) => {
      if (i > 0) this.raw([0x2c]);
      this.value(item);
    });
    if (items.length === 0) this.space();
    this.raw([asSet ? 0x7d : 0x5d]);
  }

  object(o: Record<string, unknown>): void {
    const c = this.choices;
    const entries = Object.entries(o);
    if (entries.length > 0 && c.chance(this.rates.broken)) {
      const [key, value] = c.pick(entries);
      entries.splice(Math.floor(c.next() * (entries.length + 1)), 0, [key, c.chance(0.5) ? value : "other"]);
    }
    if (c.chance(this.rates.odd / 4)) entries.push([c.pick(ODD_KEYS), 1]);
    this.raw([0x7b]);
    entries.forEach(([key, value], i) => {
      if (i > 0) this.raw([0x2c]);
      this.space();
      this.string(key);
      this.space();
      this.raw([0x3a]);
      this.value(value);
    });
    if (entries.length === 0) this.space();
    this.raw([0x7d]);
  }
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};
/** Keys that trip naive readers: prototype names, and é composed and decomposed. */
const ODD_KEYS = ["__proto__", "constructor", "toString", "é", "e\u0301"];

function unicodeEscape(unit: number, upper: boolean): string {
  const hex = unit.toString(16).padStart(4, "0");
  return `\\u${upper ? hex.toUpperCase() : hex}`;
}

/** `depth` containers (arrays and objects) nested in one another, innermost holding 1. */
function nested(depth: number, choices: Choices): string {
  let open = "";
  let close = "";
  for (let i = 0; i < depth; i++) {
    const kind = choices.pick(["array", "object"] as const);
    open += kind === "array" ? "[" : '{"d":';
    close = (kind === "array" ? "]" : "}") + close;
  }
  return `${open}1${close}`;
}

interface ByteEdit {
  op: "insert" | "replace" | "delete" | "truncate";
  at: number;
  bytes: number;
}

const byteEditArb: fc.Arbitrary<ByteEdit> = fc.record({
  op: fc.constantFrom<ByteEdit["op"]>("insert", "replace", "delete", "truncate"),
  at: fc.nat(),
  bytes: fc.nat(),
});

function applyEdit(bytes: Uint8Array, edit: ByteEdit): Uint8Array {
  const at = bytes.length === 0 ? 0 : edit.at % (bytes.length + 1);
  const insert = EDIT_BYTES[edit.bytes % EDIT_BYTES.length]!;
  const head = [...bytes.subarray(0, at)];
  if (edit.op === "truncate") return Uint8Array.from(head);
  if (edit.op === "insert") return Uint8Array.from([...head, ...insert, ...bytes.subarray(at)]);
  if (edit.op === "delete") return Uint8Array.from([...head, ...bytes.subarray(at + 1)]);
  return Uint8Array.from([...head, ...insert, ...bytes.subarray(at + insert.length)]);
}

export interface NearJsonOptions {
  /** Chances, per spelling choice, of an odd but valid and of a broken spelling. */
  rates?: Rates;
  /** Adds a field nesting this deep to top-level objects, now and then (around MAX_INPUT_DEPTH). */
  deepField?: boolean;
}

/** Near-JSON bytes around the values of `valueArb`. */
export function nearJsonArb(valueArb: fc.Arbitrary<unknown>, options: NearJsonOptions = {}): fc.Arbitrary<Uint8Array> {
  const rates = options.rates ?? { odd: 0.2, broken: 0.02 };
  const depthArb =
    options.deepField === false ? fc.constant(null) : fc.option(fc.integer({ min: 996, max: 1001 }), { freq: 8 });
  const editsArb = fc.option(fc.array(byteEditArb, { minLength: 1, maxLength: 2 }), { freq: 4 });
  return fc.tuple(valueArb, fc.integer(), depthArb, editsArb).map(([value, seed, depth, edits]) => {
    const choices = new Choices(seed);
    const writer = new NearJsonWriter(choices, rates);
    if (choices.chance(rates.broken)) writer.raw([0xef, 0xbb, 0xbf]);
    const top = depth !== null && isRecord(value) ? { ...value, deep: new RawText(nested(depth, choices)) } : value;
    writer.value(top);
    if (choices.chance(rates.broken)) writer.text(choices.pick(["x", "}", "{}", "0", "\u0000"]));
    let bytes = writer.bytes();
    for (const edit of edits ?? []) bytes = applyEdit(bytes, edit);
    return bytes;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
