// Decodes a string token's raw text with JSON's escape rules. Besides the value it keeps, for every
// decoded UTF-16 unit, where that unit came from in the raw text, so message-template holes can
// point at the right columns even when the literal contains escapes.

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

export interface DecodedString {
  value: string;
  /** `rawStart[i]`/`rawEnd[i]`: offsets in the raw token text of the source of `value[i]`. */
  rawStart: number[];
  rawEnd: number[];
  /** The first problem found, with its offset in the raw token text. */
  problem?: { offset: number; length: number; message: string; hint?: string };
}

/** A terminated literal without escapes or control characters: the common case, nothing to decode. */
const PLAIN_STRING = /^"[^"\\\u0000-\u001f]*"$/;

export function isPlainString(raw: string): boolean {
  return PLAIN_STRING.test(raw);
}

/** The literal's value; cheaper than `decodeString` when the positions are not needed. */
export function stringValue(raw: string): string {
  return isPlainString(raw) ? raw.slice(1, -1) : decodeString(raw).value;
}

/** `raw` is the token image, opening quote included; the closing quote may be missing. */
export function decodeString(raw: string): DecodedString {
  const decoded: DecodedString = { value: "", rawStart: [], rawEnd: [] };
  const units: string[] = [];
  let terminated = false;
  let i = 1;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '"') {
      terminated = true;
      break;
    }
    const width = c === "\\" ? escapeWidth(raw, i) : 1;
    const unit = c === "\\" ? decodeEscape(raw, i) : c;
    if (typeof unit === "string") {
      units.push(unit);
      decoded.rawStart.push(i);
      decoded.rawEnd.push(i + width);
    } else if (unit !== undefined) decoded.problem ??= unit;
    if (c.charCodeAt(0) < 0x20) {
      decoded.problem ??= {
        offset: i,
        length: 1,
        message: "control character in string literal",
        hint: "write it as an escape such as `\\t` or `\\u0001`",
      };
    }
    i += width;
  }
  if (!terminated) {
    decoded.problem = {
      offset: 0,
      length: raw.length,
      message: "unterminated string literal",
      hint: 'close the string with `"` on the same line; strings cannot span lines',
    };
  }
  decoded.value = units.join("");
  return decoded;
}

function escapeWidth(raw: string, at: number): number {
  return raw[at + 1] === "u" && /^[0-9A-Fa-f]{4}$/.test(raw.slice(at + 2, at + 6)) ? 6 : Math.min(2, raw.length - at);
}

type Problem = NonNullable<DecodedString["problem"]>;

/** A `\` at the very end is left to the caller's "unterminated" check (undefined). */
function decodeEscape(raw: string, at: number): string | Problem | undefined {
  const letter = raw[at + 1];
  if (letter === undefined) return undefined;
  const simple = SIMPLE_ESCAPES[letter];
  if (simple !== undefined) return simple;
  if (escapeWidth(raw, at) === 6) return String.fromCharCode(parseInt(raw.slice(at + 2, at + 6), 16));
  return {
    offset: at,
    length: 2,
    message: `invalid escape \`\\${letter}\` in string literal`,
    hint: 'the JSON escapes are `\\"` `\\\\` `\\/` `\\b` `\\f` `\\n` `\\r` `\\t` and `\\uXXXX`',
  };
}
