// Parses the regex dialect of `matches`: the common subset of RE2 and ECMAScript with the `u` flag,
// so that the interpreter (JavaScript RegExp) and the WASM automaton agree and matching stays linear.
// Everything that needs backtracking or is spelled differently in the two engines is rejected with
// a message, the offset (UTF-16 index into the pattern) of the offending character, and a hint.

import { MAX_CODE_POINT, MAX_REPEAT, type CodePointRange, type RegexNode } from "./ast.js";
import { classEscapeRanges, negateRanges, normalizeRanges } from "./ranges.js";

export type RegexParseResult =
  { ok: true; regex: RegexNode } | { ok: false; message: string; offset: number; hint?: string };

class RegexSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const SYNTAX_CHARACTERS = "^$\\.*+?()[]{}|/";
const CONTROL_ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, f: 12, v: 11 };
const ESCAPE_HINT = "escape it with a backslash";
const LINEAR_HINT = "musgo regexes must match in time linear in the input, as in RE2";

export function parseRegex(pattern: string): RegexParseResult {
  let regex: RegexNode;
  try {
    regex = new RegexParser(pattern).parse();
  } catch (e) {
    if (!(e instanceof RegexSyntaxError)) throw e;
    return e.hint === undefined
      ? { ok: false, message: e.message, offset: e.offset }
      : { ok: false, message: e.message, offset: e.offset, hint: e.hint };
  }
  // The interpreter runs the pattern as a JavaScript RegExp: it must accept whatever we accept.
  try {
    new RegExp(pattern, "u");
  } catch (e) {
    return { ok: false, message: `JavaScript rejects the pattern: ${(e as Error).message}`, offset: 0 };
  }
  return { ok: true, regex };
}

/** A single code point or a class escape such as `\d`, as read inside `[...]`. */
type ClassAtom =
  { kind: "char"; codePoint: number; offset: number } | { kind: "set"; ranges: CodePointRange[]; offset: number };

class RegexParser {
  private index = 0;

  constructor(private readonly pattern: string) {}

  parse(): RegexNode {
    const node = this.parseAlternation();
    if (this.index < this.pattern.length) throw new RegexSyntaxError("unmatched `)`", this.index, ESCAPE_HINT);
    return node;
  }

  private peek(ahead = 0): string | undefined {
    return this.pattern[this.index + ahead];
  }

  private startsWith(text: string): boolean {
    return this.pattern.startsWith(text, this.index);
  }

  private parseAlternation(): RegexNode {
    const options = [this.parseConcat()];
    while (this.peek() === "|") {
      this.index++;
      options.push(this.parseConcat());
    }
    return options.length === 1 ? options[0]! : { kind: "alternation", options };
  }

  private parseConcat(): RegexNode {
    const items: RegexNode[] = [];
    while (this.index < this.pattern.length && this.peek() !== "|" && this.peek() !== ")") {
      items.push(this.parseQuantified());
    }
    return items.length === 1 ? items[0]! : { kind: "concat", items };
  }

  private parseQuantified(): RegexNode {
    const atomOffset = this.index;
    if (this.readQuantifier() !== null)
      throw new RegexSyntaxError("nothing to repeat", atomOffset, "escape the quantifier to match it literally");
    const atom = this.parseAtom();
    const quantifierOffset = this.index;
    const quantifier = this.readQuantifier();
    if (quantifier === null) return atom;
    if (atom.kind === "anchor") throw new RegexSyntaxError("an anchor cannot be repeated", quantifierOffset);
    const lazy = this.peek() === "?";
    if (lazy) this.index++;
    if (this.peek() === "+")
      throw new RegexSyntaxError(
        "possessive quantifiers are not supported",
        this.index,
        `${LINEAR_HINT}; drop the \`+\``,
      );
    const again = this.index;
    if (this.readQuantifier() !== null)
      throw new RegexSyntaxError(
        "a quantifier cannot follow another quantifier",
        again,
        "wrap the repeated part in `(?:…)` first",
      );
    return { kind: "repeat", node: atom, min: quantifier.min, max: quantifier.max, lazy };
  }

  /** Reads `* + ? {n} {n,} {n,m}` if one starts here; a `{` that is not a quantifier is left alone. */
  private readQuantifier(): { min: number; max: number | null } | null {
    const c = this.peek();
    if (c === "*") return this.consume({ min: 0, max: null });
    if (c === "+") return this.consume({ min: 1, max: null });
    if (c === "?") return this.consume({ min: 0, max: 1 });
    if (c !== "{") return null;
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.pattern.slice(this.index));
    if (match === null) return null;
    const start = this.index;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === "" ? null : Number(match[3]);
    if (min > MAX_REPEAT || (max !== null && max > MAX_REPEAT)) {
      throw new RegexSyntaxError(
        `repeat count exceeds ${MAX_REPEAT}`,
        start,
        `repeat bounds are limited to ${MAX_REPEAT}, as in RE2`,
      );
    }
    if (max !== null && max < min) throw new RegexSyntaxError(`repeat bounds out of order in \`${match[0]}\``, start);
    this.index += match[0].length;
    return { min, max };
  }

  private consume<T>(value: T): T {
    this.index++;
    return value;
  }

  private parseAtom(): RegexNode {
    const offset = this.index;
    const c = this.peek()!;
    switch (c) {
      case "(":
        return this.parseGroup();
      case "[":
        return this.parseClass();
      case ".":
        return this.consume({ kind: "any" });
      case "^":
        return this.consume({ kind: "anchor", at: "start" });
      case "$":
        return this.consume({ kind: "anchor", at: "end" });
      case "\\":
        return this.parseAtomEscape();
      case "{":
      case "}":
      case "]":
        throw new RegexSyntaxError(`a literal \`${c}\` must be escaped`, offset, `write \`\\${c}\``);
      default:
        return single(this.readCodePoint());
    }
  }

  private readCodePoint(): number {
    const codePoint = this.pattern.codePointAt(this.index)!;
    this.index += codePoint > 0xffff ? 2 : 1;
    return codePoint;
  }

  private parseGroup(): RegexNode {
    const open = this.index;
    this.index++;
    let capturing = true;
    if (this.peek() === "?") {
      this.rejectSpecialGroup(open);
      this.index += 2; // `?:`
      capturing = false;
    }
    const node = this.parseAlternation();
    if (this.peek() !== ")")
      throw new RegexSyntaxError("missing `)` for this group", open, "close the group or escape the `(`");
    this.index++;
    return { kind: "group", node, capturing };
  }

  /** Called on `(?`: accepts only `(?:`, explains everything else. */
  private rejectSpecialGroup(open: number): void {
    const rest = this.pattern.slice(this.index + 1);
    if (rest.startsWith(":")) return;
    if (rest.startsWith("=") || rest.startsWith("!"))
      throw new RegexSyntaxError("lookahead is not supported", open, LINEAR_HINT);
    if (rest.startsWith("<=") || rest.startsWith("<!"))
      throw new RegexSyntaxError("lookbehind is not supported", open, LINEAR_HINT);
    if (rest.startsWith("<") || rest.startsWith("P<"))
      throw new RegexSyntaxError("named groups are not supported", open, "use a plain group `(…)` or `(?:…)`");
    if (/^[a-zA-Z-]/.test(rest))
      throw new RegexSyntaxError(
        "inline flags are not supported",
        open,
        "patterns are case-sensitive; spell both cases, e.g. `[Aa]`",
      );
    throw new RegexSyntaxError("invalid group", open, "groups are `(…)` or `(?:…)`");
  }

  private parseAtomEscape(): RegexNode {
    const atom = this.parseEscape(false);
    return atom.kind === "set" ? { kind: "chars", ranges: atom.ranges } : single(atom.codePoint);
  }

  /** Reads `\…` (the backslash is at the current index). Inside a class, `\-` is also allowed. */
  private parseEscape(inClass: boolean): ClassAtom {
    const offset = this.index;
    this.index++;
    const c = this.peek();
    if (c === undefined)
      throw new RegexSyntaxError("pattern ends with a lone backslash", offset, "write `\\\\` for a literal backslash");
    const escapeRanges = classEscapeRanges(c);
    if (escapeRanges !== null) return this.consume({ kind: "set", ranges: escapeRanges, offset });
    if (c in CONTROL_ESCAPES) return this.consume({ kind: "char", codePoint: CONTROL_ESCAPES[c]!, offset });
    if (SYNTAX_CHARACTERS.includes(c) || (inClass && c === "-"))
      return this.consume({ kind: "char", codePoint: c.charCodeAt(0), offset });
    switch (c) {
      case "0":
        this.index++;
        if (/[0-9]/.test(this.peek() ?? ""))
          throw new RegexSyntaxError("octal escapes are not supported", offset, "write `\\xHH` or `\\u{…}`");
        return { kind: "char", codePoint: 0, offset };
      case "x":
        return {
          kind: "char",
          codePoint: this.readHex(offset, /^x([0-9A-Fa-f]{2})/, "`\\x` needs two hex digits, as in `\\x41`"),
          offset,
        };
      case "u":
        return { kind: "char", codePoint: this.readUnicodeEscape(offset), offset };
      case "b":
      case "B":
        throw new RegexSyntaxError(
          `word boundaries (\`\\${c}\`) are not supported`,
          offset,
          "match the neighbouring character explicitly, e.g. `(^|[^A-Za-z0-9_])`",
        );
      case "k":
        throw new RegexSyntaxError("backreferences are not supported", offset, LINEAR_HINT);
      case "p":
      case "P":
        throw new RegexSyntaxError(
          "unicode property escapes are not supported",
          offset,
          "list the code-point ranges in a class, e.g. `[\\u0370-\\u03ff]`",
        );
      case "c":
        throw new RegexSyntaxError("control escapes (`\\c`) are not supported", offset, "write `\\xHH` instead");
      default:
        if (/[1-9]/.test(c)) throw new RegexSyntaxError("backreferences are not supported", offset, LINEAR_HINT);
        throw new RegexSyntaxError(
          `unknown escape \`\\${c}\``,
          offset,
          "supported escapes: \\d \\w \\s \\D \\W \\S \\n \\t \\r \\f \\v \\0 \\xHH \\uXXXX \\u{…} and escaped metacharacters",
        );
    }
  }

  private readHex(offset: number, shape: RegExp, hint: string): number {
    const match = shape.exec(this.pattern.slice(this.index));
    if (match === null) throw new RegexSyntaxError("malformed escape", offset, hint);
    this.index += match[0].length;
    return parseInt(match[1]!, 16);
  }

  /** `\uXXXX` (a surrogate pair of two such escapes is one code point, as with the `u` flag) or `\u{…}`. */
  private readUnicodeEscape(offset: number): number {
    if (this.startsWith("u{")) {
      const codePoint = this.readHex(
        offset,
        /^u\{([0-9A-Fa-f]{1,6})\}/,
        "`\\u{…}` needs 1 to 6 hex digits, as in `\\u{1F600}`",
      );
      if (codePoint > MAX_CODE_POINT)
        throw new RegexSyntaxError("code point out of range", offset, "the largest code point is `\\u{10FFFF}`");
      return codePoint;
    }
    const unit = this.readHex(
      offset,
      /^u([0-9A-Fa-f]{4})/,
      "`\\u` needs four hex digits, as in `\\u00e9`, or braces, as in `\\u{1F600}`",
    );
    const trail = /^\\u(d[c-f][0-9a-f]{2})/i.exec(this.pattern.slice(this.index));
    if (unit >= 0xd800 && unit <= 0xdbff && trail !== null) {
      this.index += trail[0].length;
      return (unit - 0xd800) * 0x400 + (parseInt(trail[1]!, 16) - 0xdc00) + 0x10000;
    }
    return unit;
  }

  private parseClass(): RegexNode {
    const open = this.index;
    this.index++;
    const negated = this.peek() === "^";
    if (negated) this.index++;
    if (this.peek() === "]")
      throw new RegexSyntaxError(
        "empty character class",
        open,
        "RE2 and JavaScript read `[]` differently; escape a literal `]` as `\\]`",
      );
    const ranges: CodePointRange[] = [];
    while (this.peek() !== "]") {
      if (this.index >= this.pattern.length)
        throw new RegexSyntaxError("missing `]` for this character class", open, "close the class or escape the `[`");
      ranges.push(...this.parseClassItem());
    }
    this.index++;
    const normalized = normalizeRanges(ranges);
    return { kind: "chars", ranges: negated ? negateRanges(normalized) : normalized };
  }

  /** One class member: a code point, a class escape, or a range `a-z`. */
  private parseClassItem(): CodePointRange[] {
    const from = this.parseClassAtom();
    if (this.peek() !== "-" || this.peek(1) === "]" || this.peek(1) === undefined) return atomRanges(from);
    this.index++;
    const to = this.parseClassAtom();
    if (from.kind === "set" || to.kind === "set") {
      throw new RegexSyntaxError(
        "a class escape cannot bound a range",
        from.kind === "set" ? from.offset : to.offset,
        "escape the `-` as `\\-` to match it literally",
      );
    }
    if (to.codePoint < from.codePoint)
      throw new RegexSyntaxError(
        "range out of order in character class",
        from.offset,
        "write the smaller code point first",
      );
    return [[from.codePoint, to.codePoint]];
  }

  private parseClassAtom(): ClassAtom {
    const offset = this.index;
    const c = this.peek();
    if (c === "\\") return this.parseEscape(true);
    if (c === "[")
      throw new RegexSyntaxError(
        "a literal `[` inside a class must be escaped",
        offset,
        "write `\\[` (RE2 reads `[:` as a POSIX class)",
      );
    return { kind: "char", codePoint: this.readCodePoint(), offset };
  }
}

function single(codePoint: number): RegexNode {
  return { kind: "chars", ranges: [[codePoint, codePoint]] };
}

function atomRanges(atom: ClassAtom): CodePointRange[] {
  return atom.kind === "set" ? atom.ranges : [[atom.codePoint, atom.codePoint]];
}
