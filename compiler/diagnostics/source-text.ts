// Bytes of a constitution file → its text, or one diagnostic saying why it has none. A binary file
// gets a single "not a text file" error (not thousands of lexer errors about NUL bytes), and
// malformed UTF-8 is an error at its line and column instead of a silent U+FFFD.

import { error, type Diagnostic } from "./diagnostic.js";
import type { Position, Span } from "./span.js";

export type DecodedSource =
  | { text: string; diagnostic: null }
  /** `text` is null for a binary file, else a lossy decoding kept only to show the excerpt. */
  | { text: string | null; diagnostic: Diagnostic };

/** How much of the file's start the binary test looks at (git looks at the same amount). */
const SNIFF_BYTES = 8000;
/** Above this share of control bytes in the sniffed part, a file holding a NUL byte is binary. */
const BINARY_CONTROL_SHARE = 0.1;

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder("utf-8", { ignoreBOM: true });

export function decodeSource(bytes: Uint8Array, path: string): DecodedSource {
  if (startsWithUtf16Bom(bytes)) {
    const message = `\`${path}\` is UTF-16 text, not UTF-8`;
    return { text: null, diagnostic: error("MG4005", spanAt(path, START), message, "save the file as UTF-8") };
  }
  const invalidAt = firstInvalidUtf8(bytes);
  if (looksBinary(bytes, invalidAt !== -1)) {
    const hint = "a constitution is UTF-8 text; check the path";
    return { text: null, diagnostic: error("MG4004", spanAt(path, START), `\`${path}\` is not a text file`, hint) };
  }
  if (invalidAt === -1) return { text: strict.decode(bytes), diagnostic: null };
  const at = positionAfter(lossy.decode(bytes.subarray(0, invalidAt)));
  const message = `invalid UTF-8 (byte 0x${bytes[invalidAt]!.toString(16).toUpperCase().padStart(2, "0")})`;
  const hint = "save the file as UTF-8; other encodings (Latin-1, Windows-1252) are not read";
  return { text: lossy.decode(bytes), diagnostic: error("MG4005", spanAt(path, at), message, hint) };
}

const START: Position = { offset: 0, line: 1, column: 1 };

function spanAt(file: string, at: Position): Span {
  return { file, start: at, end: { ...at, offset: at.offset + 1, column: at.column + 1 } };
}

function startsWithUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

/**
 * A NUL byte alone does not make a file binary (a stray one in a comment is reported where it is);
 * a NUL together with malformed UTF-8 or many control bytes does.
 */
function looksBinary(bytes: Uint8Array, malformed: boolean): boolean {
  const sniffed = bytes.subarray(0, SNIFF_BYTES);
  if (!sniffed.includes(0)) return false;
  if (malformed) return true;
  let controls = 0;
  for (const byte of sniffed) if (isControlByte(byte)) controls++;
  return controls > sniffed.length * BINARY_CONTROL_SHARE;
}

/** C0 controls other than tab, line feed, form feed and carriage return. */
function isControlByte(byte: number): boolean {
  return byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d;
}

/** The position just after `prefix` (columns in UTF-16 code units, as everywhere). */
function positionAfter(prefix: string): Position {
  const lineStart = prefix.lastIndexOf("\n") + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (prefix.charCodeAt(i) === 10) line++;
  return { offset: prefix.length, line, column: prefix.length - lineStart + 1 };
}

/**
 * The index of the first byte that does not start a well-formed UTF-8 sequence (Unicode's table
 * 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or -1 when the whole is valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return -1;
}

/** The length of the well-formed sequence at `i`, or 0. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i]!;
  if (lead < 0x80) return 1;
  const [count, low, high] = leadRange(lead);
  if (count === 0 || i + count > bytes.length) return 0;
  if (!between(bytes[i + 1]!, low, high)) return 0;
  for (let k = 2; k < count; k++) if (!between(bytes[i + k]!, 0x80, 0xbf)) return 0;
  return count;
}

/** Sequence length for a lead byte and the range its second byte must fall in. */
function leadRange(lead: number): [count: number, low: number, high: number] {
  if (between(lead, 0xc2, 0xdf)) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (between(lead, 0xe1, 0xef)) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  if (between(lead, 0xf1, 0xf3)) return [4, 0x80, 0xbf];
  return [0, 0, 0];
}

function between(byte: number, low: number, high: number): boolean {
  return byte >= low && byte <= high;
}
