// Syntax errors: codes, positions and hints; error recovery reports every error of a file and
// keeps the declarations that survived.

import { describe, expect, test } from "vitest";
import type { ArticleDecl } from "../../compiler/ast/nodes.js";
import { parseFile } from "../../compiler/syntax/index.js";

function diagnosticsOf(text: string) {
  return parseFile({ path: "broken.constitution", text }).diagnostics.map((d) => ({
    code: d.code,
    line: d.span.start.line,
    col: d.span.start.column,
    message: d.message,
    hint: d.hint,
  }));
}

const SEVERAL_ERRORS = `constitution x version "1.0.0"
article VII "A" {
  forbid a when x == remedy warn
  permit b when y
  forbid c when z and
}
article VIII "B" {
  permit when 1 +
}
enum E { a < b, c }
let q = -x
let r = a == b == c
article IIII "C" {}
foo bar
registration { grant "x" when }
let s = "bad \\q escape"
`;

describe("one file, many errors: every one is reported at its line:col", () => {
  const found = diagnosticsOf(SEVERAL_ERRORS);

  test.each([
    ["MG1010", 3, 22, "unexpected token `remedy`"],
    ["MG1010", 6, 1, "unexpected token `}`"],
    ["MG1010", 9, 1, "unexpected token `}`"],
    ["MG1021", 10, 15, "enum mixes `<` and `,` separators"],
    ["MG1010", 11, 9, "unexpected token `-`"],
    ["MG1010", 12, 16, "unexpected token `==`"],
    ["MG1020", 13, 9, "invalid article number `IIII`"],
    ["MG1010", 14, 1, "unexpected token `foo`"],
    ["MG1010", 15, 31, "unexpected token `}`"],
    ["MG1002", 16, 14, "invalid escape `\\q` in string literal"],
  ])("%s at %i:%i: %s", (code, line, col, message) => {
    expect(found).toContainEqual(expect.objectContaining({ code, line, col, message }));
  });

  test("nothing else is reported", () => {
    expect(found).toHaveLength(10);
  });

  test("the declarations that survived recovery are kept", () => {
    const { file } = parseFile({ path: "broken.constitution", text: SEVERAL_ERRORS });
    expect(file.declarations.map((d) => d.kind)).toEqual([
      "Header",
      "Article",
      "Article",
      "Enum",
      "Let",
      "Let",
      "Article",
      "Registration",
      "Let",
    ]);
    expect((file.declarations[1] as ArticleDecl).items.map((i) => i.kind)).toEqual(["Permit"]);
  });
});

describe("single errors", () => {
  test.each([
    ["let x = 1 @ 2", "MG1001", 1, 11, "unexpected character `@`"],
    ['let x = "open', "MG1002", 1, 9, "unterminated string literal"],
    ['let x = "a\nb"', "MG1002", 1, 9, "unterminated string literal"],
    ['let x = "tab\there"', "MG1002", 1, 13, "control character in string literal"],
    ['let x = "\\u12G4"', "MG1002", 1, 10, "invalid escape `\\u` in string literal"],
    ["let x = 1\n/* open", "MG1003", 2, 1, "unterminated block comment"],
    ["let x = 01", "MG1004", 1, 9, "malformed number `01`"],
    ["let x = 1.", "MG1004", 1, 9, "malformed number `1.`"],
    ["let x = 1e+", "MG1004", 1, 9, "malformed number `1e+`"],
    ["let x = a ==", "MG1011", 1, 13, "unexpected end of file"],
    ['article 0 "t" {}', "MG1020", 1, 9, "invalid article number `0`"],
    ['article VIIII "t" {}', "MG1020", 1, 9, "invalid article number `VIIII`"],
    ["enum E { a, b < c }", "MG1021", 1, 15, "enum mixes `,` and `<` separators"],
    ['article I "t" { forbid a when b message "{a" }', "MG1022", 1, 42, "unclosed `{` in message template"],
    ['article I "t" { forbid a when b message "x } y" }', "MG1022", 1, 44, "unmatched `}` in message template"],
    [
      'article I "t" { forbid a when b message "{a b}" }',
      "MG1022",
      1,
      42,
      "malformed hole `{a b}` in message template",
    ],
    ['test "t" { input {"a": 1, "a": 2} expect permit }', "MG1023", 1, 27, "duplicate key `a` in test input"],
    ['article I "t" { forbid a when b remedy warn remedy log }', "MG1010", 1, 45, "unexpected token `remedy`"],
    ["let x = a matches b", "MG1010", 1, 19, "unexpected token `b`"],
  ])("%j → %s at %i:%i", (text, code, line, col, message) => {
    expect(diagnosticsOf(text)).toContainEqual(expect.objectContaining({ code, line, col, message }));
  });
});

describe("hints", () => {
  test("a missing expression says so instead of listing every token", () => {
    expect(diagnosticsOf("let x =")[0]).toMatchObject({ code: "MG1011", hint: "expected an expression" });
  });

  test("a stray word at the top level lists the declaration keywords", () => {
    expect(diagnosticsOf("hello")[0]?.hint).toContain("expected a declaration: `constitution`");
  });

  test("a rule keyword list names the expected clause", () => {
    expect(diagnosticsOf('article I "t" { forbid a b }')[0]).toMatchObject({
      code: "MG1010",
      message: "unexpected token `b`",
      hint: "expected `when`",
    });
  });

  test("unary minus suggests the subtraction", () => {
    expect(diagnosticsOf("let x = -y")[0]?.hint).toBe("there is no unary minus: write `0 - x`");
  });

  test("a Roman numeral in non-canonical form suggests the canonical one", () => {
    expect(diagnosticsOf('article IIII "t" {}')[0]?.hint).toMatch(/^did you mean `IV`\?/);
  });
});

describe("common mistakes get one diagnostic that names them", () => {
  test.each([
    [
      'article I "t" {\n  forbid f when action.tool = shell\n}',
      "MG1012",
      2,
      29,
      "`=` is not a comparison",
      "did you mean `==`?",
    ],
    ["let y = a = b", "MG1012", 1, 11, "`=` is not a comparison", "did you mean `==`?"],
    [
      'article I "t" {\n  forbid limit when x\n}',
      "MG1013",
      2,
      10,
      "`limit` is a reserved word",
      "reserved words cannot be names",
    ],
    ['article I "t" { permit set when x }', "MG1013", 1, 24, "`set` is a reserved word", "such as `my_set`"],
    ['constitution test version "1"', "MG1013", 1, 14, "`test` is a reserved word", "reserved words cannot be names"],
    ["enum E { a < set < c }", "MG1013", 1, 14, "`set` is a reserved word", "reserved words cannot be names"],
    [
      "schema { input: string, b?: number }",
      "MG1013",
      1,
      10,
      "`input` is a reserved word",
      "reserved words cannot be names",
    ],
    [
      'article I "t" { limit per per a to 1 per hour }',
      "MG1013",
      1,
      23,
      "`per` is a reserved word",
      "reserved words cannot be names",
    ],
    ["let y = any in in xs: true", "MG1013", 1, 13, "`in` is a reserved word", "reserved words cannot be names"],
    ["let y = xs[0]", "MG1014", 1, 11, "indexing is not in the language", "any x in xs: …"],
    ['let y = action.args["k"].v == 1', "MG1014", 1, 20, "indexing is not in the language", "v in xs"],
    ['article 007 "t" {}', "MG1020", 1, 9, "invalid article number `007`", "did you mean `7`?"],
    [
      'test "t" { input {} expect deny f article 007 }',
      "MG1020",
      1,
      43,
      "invalid article number `007`",
      "did you mean `7`?",
    ],
  ])("%j → only %s at %i:%i", (text, code, line, col, message, hint) => {
    const found = diagnosticsOf(text);
    expect(found).toEqual([expect.objectContaining({ code, line, col, message })]);
    expect(found[0]!.hint).toContain(hint);
  });

  test("a missing rule code is still an unexpected token, not a reserved `when`", () => {
    expect(diagnosticsOf('article I "t" { forbid when x }')).toEqual([
      expect.objectContaining({ code: "MG1010", message: "unexpected token `when`", hint: "expected an identifier" }),
    ]);
  });

  test("a permit without a code is not affected", () => {
    expect(diagnosticsOf('article I "t" { permit when x }')).toEqual([]);
  });
});
