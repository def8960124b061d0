// Lexical rules (docs/language.md, "Lexical structure"): keywords vs identifiers, JSON strings and numbers, comments.

import { describe, expect, test } from "vitest";
import type { LetDecl, StringLiteral } from "../../compiler/ast/nodes.js";
import { LineMap } from "../../compiler/diagnostics/span.js";
import { parseFile } from "../../compiler/syntax/index.js";
import { lex } from "../../compiler/syntax/lexer.js";

function lexText(text: string) {
  return lex(text, new LineMap("lex.constitution", text));
}

function letValue(source: string) {
  const { file, diagnostics } = parseFile({ path: "lex.constitution", text: `let x = ${source}` });
  expect(diagnostics).toEqual([]);
  return (file.declarations[0] as LetDecl).value;
}

describe("keywords and identifiers", () => {
  test("a keyword prefix does not split an identifier (longer_alt)", () => {
    const tokens = lexText("inputs settings input setting andy and").tokens;
    expect(tokens.map((t) => t.tokenType.name)).toEqual([
      "Identifier",
      "Identifier",
      "Kw_input",
      "Identifier",
      "Identifier",
      "Kw_and",
    ]);
  });

  test("words with a meaning in one place only stay usable as names", () => {
    expect(letValue("to + second + minute + hour + deny + verdict + action_taken").kind).toBe("Binary");
  });

  test("reserved keywords are not names: one MG1013 where a name is declared", () => {
    expect(parseFile({ path: "k.constitution", text: "let input = 1" }).diagnostics.map((d) => d.code)).toEqual([
      "MG1013",
    ]);
  });
});

describe("strings use JSON escapes", () => {
  test.each([
    ['"plain"', "plain"],
    ['"q\\"b\\\\s\\/"', 'q"b\\s/'],
    ['"\\b\\f\\n\\r\\t"', "\b\f\n\r\t"],
    ['"\\u00e9\\u00E9"', "éé"],
    ['"\\ud83d\\ude00"', "😀"],
    ['"raw 😀 é"', "raw 😀 é"],
  ])("%s", (source, value) => {
    expect((letValue(source) as StringLiteral).value).toBe(value);
  });
});

describe("numbers are JSON numbers", () => {
  test.each([
    ["0", 0],
    ["12", 12],
    ["3.5", 3.5],
    ["1e3", 1000],
    ["2.5E-3", 0.0025],
    ["1E+2", 100],
  ])("%s", (raw, value) => {
    expect(letValue(raw)).toMatchObject({ kind: "Number", value, raw });
  });
});

describe("comments", () => {
  test("line and block comments are kept in source order with their spans", () => {
    const { comments, tokens, diagnostics } = lexText("// one\nlet /* two\n lines */ x = 1 // three");
    expect(diagnostics).toEqual([]);
    expect(comments.map((c) => c.text)).toEqual(["// one", "/* two\n lines */", "// three"]);
    expect(comments.map((c) => [c.span.start.line, c.span.start.column])).toEqual([
      [1, 1],
      [2, 5],
      [3, 17],
    ]);
    expect(tokens.map((t) => t.image)).toEqual(["let", "x", "=", "1"]);
  });

  test("block comments do not nest", () => {
    expect(lexText("/* a /* b */ c */").tokens.map((t) => t.image)).toEqual(["c", "*"]);
  });

  test("the parser sees no comments", () => {
    expect(parseFile({ path: "c.constitution", text: "let /* c */ x = // c\n 1" }).diagnostics).toEqual([]);
  });
});
