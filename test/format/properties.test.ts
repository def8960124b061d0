// PBT: the formatter's round-trip properties over random well-formed trees (test/support/ast-arbitraries.ts).

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { ArticleItem, Declaration, Expr, FileNode, RegistrationItem } from "../../compiler/ast/nodes.js";
import { astEqual, stripSpans } from "../../compiler/ast/equal.js";
import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import { LineMap } from "../../compiler/diagnostics/span.js";
import { formatFile } from "../../compiler/format/index.js";
import { parseFile } from "../../compiler/syntax/index.js";
import { lex } from "../../compiler/syntax/lexer.js";
import { printExpr } from "../../compiler/format/expr.js";
import { fileArb, GENERATED_PATH, longChainArb, NO_SPAN } from "../support/ast-arbitraries.js";

const RUNS = { numRuns: 300 };

function reparse(text: string): FileNode {
  const { file, diagnostics } = parseFile({ path: GENERATED_PATH, text });
  if (hasErrors(diagnostics))
    throw new Error(`formatted text does not parse:\n${text}\n${JSON.stringify(diagnostics, null, 1)}`);
  return file;
}

/** Inserts `/* cN *\/` and `// cN` comments at the chosen token boundaries of `text`. */
function sprinkleComments(text: string, picks: { at: number; line: boolean }[]): { text: string; comments: string[] } {
  const boundaries = [
    0,
    ...lex(text, new LineMap(GENERATED_PATH, text)).tokens.map((t) => t.startOffset + t.image.length),
  ];
  const insertions = picks.map((pick, i) => ({
    offset: boundaries[pick.at % boundaries.length]!,
    comment: pick.line ? `// c${i}` : `/* c${i} */`,
  }));
  let out = text;
  for (const { offset, comment } of [...insertions].sort((a, b) => b.offset - a.offset)) {
    out = `${out.slice(0, offset)} ${comment}${comment.startsWith("//") ? "\n" : " "}${out.slice(offset)}`;
  }
  return { text: out, comments: insertions.map((i) => i.comment) };
}

describe("formatter properties", () => {
  test("PBT parse ∘ format ≡ id (span-free)", () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        const reparsed = reparse(formatFile(file));
        expect(stripSpans(reparsed)).toEqual(stripSpans(file));
        return astEqual(reparsed, file);
      }),
      RUNS,
    );
  });

  test("PBT format is idempotent: format(parse(format(x))) === format(x)", () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        const once = formatFile(file);
        expect(formatFile(reparse(once))).toBe(once);
      }),
      RUNS,
    );
  });

  test("PBT formatting preserves every comment, the tree, and stays idempotent", () => {
    const picks = fc.array(fc.record({ at: fc.nat(), line: fc.boolean() }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fileArb, picks, (file, chosen) => {
        const { text, comments } = sprinkleComments(formatFile(file), chosen);
        const formatted = formatFile(reparse(text));
        for (const comment of comments)
          expect(formatted.split(comment).length - 1, `${comment} in:\n${formatted}`).toBe(1);
        const again = reparse(formatted);
        expect(astEqual(again, file)).toBe(true);
        expect(formatFile(again)).toBe(formatted);
      }),
      RUNS,
    );
  });

  const name = (text: string) => ({ kind: "Identifier" as const, name: text, span: NO_SPAN });
  const article = (items: ArticleItem[]): Declaration => ({
    kind: "Article",
    number: { kind: "ArticleNumber", text: "VII", value: 7, span: NO_SPAN },
    title: { kind: "String", value: "t", span: NO_SPAN },
    items,
    span: NO_SPAN,
  });
  const grant = (when: Expr): RegistrationItem => ({
    kind: "Grant",
    value: { kind: "String", value: "tools", span: NO_SPAN },
    when,
    span: NO_SPAN,
  });
  const fileOf = (when: Expr): FileNode => ({
    kind: "File",
    path: GENERATED_PATH,
    comments: [],
    span: NO_SPAN,
    declarations: [
      { kind: "Let", name: name("guard"), value: when, span: NO_SPAN },
      article([
        { kind: "Forbid", code: name("f"), when, span: NO_SPAN },
        { kind: "Permit", code: name("p"), when, span: NO_SPAN },
      ]),
      { kind: "Registration", items: [grant(when)], span: NO_SPAN },
    ],
  });

  /** Lines over 100 columns have no break point left: before `and`/`or`, after a quantifier's `:`. */
  function expectBreakPointsUsed(text: string): void {
    for (const line of text.split("\n").filter((l) => l.length > 100)) {
      // A continuation line's own leading operator is where it already broke.
      const words = lex(line, new LineMap(GENERATED_PATH, line))
        .tokens.slice(1)
        .map((t) => t.image);
      const isBreakPoint = (word: string, i: number) =>
        word === "and" || word === "or" || (word === ":" && i < words.length - 1);
      expect(words.filter(isBreakPoint), `a line over 100 columns with a break point left:\n${text}`).toEqual([]);
    }
  }

  test("PBT long conditions: lines fit in 100 columns unless no break point is left; parse ∘ format ≡ id; idempotent", () => {
    fc.assert(
      fc.property(longChainArb, (when) => {
        expect(printExpr(when).length).toBeGreaterThan(100);
        const file = fileOf(when);
        const text = formatFile(file);
        expectBreakPointsUsed(text);
        const reparsed = reparse(text);
        expect(astEqual(reparsed, file)).toBe(true);
        expect(formatFile(reparsed)).toBe(text);
      }),
      RUNS,
    );
  });

  test("PBT long conditions re-wrapped by hand (breaks between random tokens) reach a fixed point: same tree, width kept", () => {
    const breaks = fc.array(fc.nat(), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(longChainArb, breaks, (when, picks) => {
        const file = fileOf(when);
        const text = formatFile(file);
        const ends = lex(text, new LineMap(GENERATED_PATH, text)).tokens.map((t) => t.startOffset + t.image.length);
        const offsets = [...new Set(picks.map((pick) => ends[pick % ends.length]!))].sort((x, y) => y - x);
        const rewrapped = offsets.reduce((out, offset) => `${out.slice(0, offset)}\n${out.slice(offset)}`, text);
        const once = formatFile(reparse(rewrapped));
        expectBreakPointsUsed(once);
        const again = reparse(once);
        expect(astEqual(again, file)).toBe(true);
        expect(formatFile(again)).toBe(once);
      }),
      RUNS,
    );
  });
});
