// The one reader of decision inputs given as bytes (files, stdin, `--inputs` lines, the Guard, HTTP
// bodies). It accepts exactly what the module's own reader (runtime/module/json-read.ts, run by
// `opa_eval`) accepts and fails with the same reason on the same bytes, so every engine judges the
// same bytes alike: strict RFC 8259 over UTF-8 (no BOM, no invalid or overlong UTF-8, no lone
// surrogate escapes, no duplicate keys after unescaping, nesting at most MAX_INPUT_DEPTH, nothing
// after the value). Rego set literals (`{1, "x"}`, `set()`) are not JSON and are refused here as in
// `opa_eval`; only `opa_value_parse` (an SDK's data API) reads them.
//
// The reader mirrors the module's structure function by function, because the order in which the
// checks run decides which reason wins: a duplicate key is reported when its object closes (so an
// error later in that object wins), an escape is checked once its string is closed.
//
// Why not a library: JSON.parse keeps the last duplicate key and decodes invalid UTF-8 to U+FFFD;
// the strict parsers on npm either accept duplicates, compare them before unescaping, report other
// reasons, or read strings (not bytes), so none would agree with the module byte for byte.

/** Objects, arrays and sets nested deeper than this are rejected (the module's MAX_DEPTH). */
export const MAX_INPUT_DEPTH = 1000;

export type JsonInput =
  | { readonly ok: true; readonly value: unknown }
  /** `reason` is the module's readError(); `error` the `invalid_input` verdict's text for it. */
  | { readonly ok: false; readonly reason: string; readonly error: string };

/** The `error` of the fail-closed verdict for bytes the reader rejects, as `opa_eval` writes it. */
export function malformedInputError(reason: string): string {
  return `input: malformed JSON (${reason})`;
}

/** Reads one JSON value (or Rego set literal) from `input`; never throws on any bytes. */
export function readJsonInput(input: Uint8Array): JsonInput {
  bytes = input;
  pos = 0;
  end = input.length;
  depth = 0;
  try {
    skipSpace();
    const value = readValue();
    skipSpace();
    if (pos !== end) reject("unexpected data after the JSON value");
    return { ok: true, value };
  } catch (e) {
    if (!(e instanceof Rejection)) throw e;
    return { ok: false, reason: e.reason, error: malformedInputError(e.reason) };
  } finally {
    bytes = EMPTY;
  }
}

/**
 * Reads a decision input as `opa_eval` does: no bytes at all mean no input (judged as undefined:
 * `input: expected object, got undefined`), anything else goes through readJsonInput.
 */
export function readDecisionInput(input: Uint8Array): JsonInput {
  return input.length === 0 ? NO_INPUT : readJsonInput(input);
}

const NO_INPUT: JsonInput = { ok: true, value: undefined };

// Thrown to unwind on the first problem: every failure of the module's reader ends the read, so
// the first reason raised is the one it reports. Not an Error: no stack trace to capture.
class Rejection {
  constructor(readonly reason: string) {}
}

function reject(reason: string): never {
  throw new Rejection(reason);
}

const EMPTY = new Uint8Array(0);
// The read in progress (the reader is synchronous and never re-entered).
let bytes: Uint8Array = EMPTY;
let pos = 0;
let end = 0;
let depth = 0;

function peek(): number {
  return pos < end ? bytes[pos]! : -1;
}

// The hot loops work on locals: the read's state lives in module variables, dearer to touch.
function skipSpace(): void {
  const b = bytes;
  let p = pos;
  while (p < end) {
    const c = b[p]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    p++;
  }
  pos = p;
}

function readValue(): unknown {
  const c = peek();
  if (c < 0) reject("unexpected end of input");
  if (c === 0x7b) return readBraces();
  if (c === 0x5b) return readArray();
  if (c === 0x22) return readString();
  if (c === 0x74) return expectWord(TRUE_WORD, true);
  if (c === 0x66) return expectWord(FALSE_WORD, false);
  if (c === 0x6e) return expectWord(NULL_WORD, null);
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return readNumber();
  return reject("unexpected character");
}

const TRUE_WORD = ascii("true");
const FALSE_WORD = ascii("false");
const NULL_WORD = ascii("null");

function ascii(word: string): Uint8Array {
  return Uint8Array.from(word, (ch) => ch.charCodeAt(0));
}

function expectWord<T>(word: Uint8Array, value: T): T {
  if (end - pos < word.length) reject("unexpected end of input");
  for (let i = 0; i < word.length; i++) if (bytes[pos + i] !== word[i]) reject("unexpected character");
  pos += word.length;
  return value;
}

function enter(): void {
  if (++depth > MAX_INPUT_DEPTH) reject(`nesting deeper than ${MAX_INPUT_DEPTH} levels`);
  pos++;
  skipSpace();
}

function leave(): void {
  pos++;
  depth--;
}

function readArray(): unknown[] {
  enter();
  const items: unknown[] = [];
  if (peek() !== 0x5d) {
    while (true) {
      items.push(readValue());
      skipSpace();
      const c = peek();
      if (c === 0x2c) {
        pos++;
        skipSpace();
        continue;
      }
      if (c === 0x5d) break;
      reject("expected `,` or `]`");
    }
  }
  leave();
  return items;
}

/** `{` opens an object; its keys are strings. */
function readBraces(): unknown {
  enter();
  if (peek() === 0x7d) {
    leave();
    return {};
  }
  if (peek() !== 0x22) reject("expected a string key");
  const first = readString();
  skipSpace();
  return readObjectFrom(first);
}

const hasOwn = Object.prototype.hasOwnProperty;

function readObjectFrom(firstKey: string): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  // The module finds duplicates once the object is complete, so a later error in it wins.
  let duplicate = false;
  let key = firstKey;
  while (true) {
    if (peek() !== 0x3a) reject("expected `:`");
    pos++;
    skipSpace();
    const value = readValue();
    skipSpace();
    // Values are never undefined: the first test is a cheap miss for almost every key.
    if (object[key] !== undefined && hasOwn.call(object, key)) duplicate = true;
    else if (key === "__proto__") defineOwn(object, key, value);
    else object[key] = value;
    const c = peek();
    if (c === 0x7d) {
      leave();
      if (duplicate) reject("duplicate object key");
      return object;
    }
    if (c !== 0x2c) reject("expected `,` or `}`");
    pos++;
    skipSpace();
    if (peek() !== 0x22) reject("expected a string key");
    key = readString();
    skipSpace();
  }
}

/** `object.__proto__ = v` would set the prototype: JSON.parse makes an own property, and so does this. */
function defineOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

function readNumber(): number {
  const start = pos;
  if (peek() === 0x2d) pos++;
  if (peek() === 0x30) pos++;
  else if (!skipDigits()) reject("malformed number");
  let integer = true;
  if (peek() === 0x2e) {
    pos++;
    if (!skipDigits()) reject("malformed number");
    integer = false;
  }
  if (peek() === 0x65 || peek() === 0x45) {
    pos++;
    if (peek() === 0x2b || peek() === 0x2d) pos++;
    if (!skipDigits()) reject("malformed number");
    integer = false;
  }
  return integer && pos - start <= 15 ? smallInteger(start) : Number(latin1(start, pos));
}

function skipDigits(): boolean {
  const start = pos;
  while (pos < end && (bytes[pos]! - 0x30) >>> 0 < 10) pos++;
  return pos > start;
}

/** Integers of at most 15 characters are exact in f64: no rounding to do (JSON.parse agrees). */
function smallInteger(start: number): number {
  const negative = bytes[start] === 0x2d;
  let n = 0;
  for (let i = negative ? start + 1 : start; i < pos; i++) n = n * 10 + (bytes[i]! - 0x30);
  return negative ? -n : n;
}

/** 1 for printable ASCII other than `"` and `\` (copied as it is), 0 for every other byte. */
const PLAIN = Uint8Array.from({ length: 256 }, (_, b) => (b >= 0x20 && b < 0x80 && b !== 0x22 && b !== 0x5c ? 1 : 0));

function readString(): string {
  pos++;
  const start = pos;
  let escaped = false;
  let ascii = true;
  while (true) {
    pos = skipPlain(pos);
    if (pos >= end) reject("unterminated string");
    const c = bytes[pos]!;
    if (c === 0x22) break;
    if (c < 0x20) reject("control character in string");
    if (c === 0x5c) {
      escaped = true;
      pos += 2;
    } else {
      skipUtf8Sequence(c);
      ascii = false;
    }
  }
  if (pos > end) reject("unterminated string");
  const stop = pos;
  pos++;
  if (escaped) return unescape(start, stop);
  return ascii ? latin1(start, stop) : utf8(start, stop);
}

function skipPlain(from: number): number {
  const b = bytes;
  const stop = end;
  let p = from;
  while (p < stop && PLAIN[b[p]!] === 1) p++;
  return p;
}

/** Validates one multi-byte UTF-8 sequence starting with `lead` at `pos` and skips it. */
function skipUtf8Sequence(lead: number): void {
  let count: number;
  let minimum: number;
  let cp: number;
  if (lead >= 0xc2 && lead <= 0xdf) {
    count = 1;
    minimum = 0x80;
    cp = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    count = 2;
    minimum = 0x800;
    cp = lead & 0x0f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    count = 3;
    minimum = 0x10000;
    cp = lead & 0x07;
  } else return reject("invalid UTF-8");
  if (end - pos <= count) reject("invalid UTF-8");
  for (let i = 1; i <= count; i++) {
    const b = bytes[pos + i]!;
    if ((b & 0xc0) !== 0x80) reject("invalid UTF-8");
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < minimum || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) reject("invalid UTF-8");
  pos += count + 1;
}

/** Decodes the escapes of an already scanned string body (UTF-8 already validated). */
function unescape(start: number, stop: number): string {
  let out = "";
  let run = start;
  let r = start;
  while (r < stop) {
    if (bytes[r] !== 0x5c) {
      r++;
      continue;
    }
    out += utf8(run, r);
    const e = bytes[r + 1]!;
    r += 2;
    if (e === 0x75) {
      let cp = hex4(r, stop);
      if (cp < 0) reject("malformed \\u escape");
      r += 4;
      if (cp >= 0xd800 && cp <= 0xdbff) {
        const low = r + 6 <= stop && bytes[r] === 0x5c && bytes[r + 1] === 0x75 ? hex4(r + 2, stop) : -1;
        if (low < 0xdc00 || low > 0xdfff) reject("unpaired surrogate escape");
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        r += 6;
      } else if (cp >= 0xdc00 && cp <= 0xdfff) reject("unpaired surrogate escape");
      out += String.fromCodePoint(cp);
    } else {
      const decoded = simpleEscape(e);
      if (decoded < 0) reject("unknown escape");
      out += String.fromCharCode(decoded);
    }
    run = r;
  }
  return out + utf8(run, stop);
}

function simpleEscape(e: number): number {
  if (e === 0x22 || e === 0x5c || e === 0x2f) return e;
  if (e === 0x62) return 0x08;
  if (e === 0x66) return 0x0c;
  if (e === 0x6e) return 0x0a;
  if (e === 0x72) return 0x0d;
  if (e === 0x74) return 0x09;
  return -1;
}

function hex4(at: number, stop: number): number {
  if (at + 4 > stop) return -1;
  let v = 0;
  for (let i = 0; i < 4; i++) {
    const c = bytes[at + i]!;
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    else return -1;
    v = (v << 4) | d;
  }
  return v;
}

// ignoreBOM: a string may begin with U+FEFF, which is text here, not a byte-order mark to drop.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
/** Below this length, building a string from char codes beats a call into the decoder. */
const SHORT = 32;

/** The string of ASCII (or number) bytes `[start, stop)`. */
function latin1(start: number, stop: number): string {
  if (stop - start > SHORT) return decoder.decode(bytes.subarray(start, stop));
  let s = "";
  for (let i = start; i < stop; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** The string of validated UTF-8 bytes `[start, stop)`. */
function utf8(start: number, stop: number): string {
  if (start === stop) return "";
  return decoder.decode(bytes.subarray(start, stop));
}
