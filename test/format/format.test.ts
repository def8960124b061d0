// The canonical layout (docs/grammar.md, "Layout"): golden files, comment placement, condition
// breaking, and the refusal to format a broken file.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { astEqual } from "../../compiler/ast/equal.js";
import { formatSource } from "../../compiler/format/index.js";
import { parseFile } from "../../compiler/syntax/index.js";

const fixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), "utf8");

function format(text: string): string {
  const result = formatSource({ path: "f.constitution", text });
  expect(result.diagnostics).toEqual([]);
  return result.text!;
}

describe("golden files", () => {
  test("a messy file takes the canonical layout", () => {
    expect(format(fixture("format/messy.constitution"))).toBe(fixture("format/messy.formatted.constitution"));
  });

  test.each(["s3-header", "s4-articles", "s7-registration", "s8-limits"])(
    "language example %s is already canonical",
    (name) => {
      const text = fixture(`language/${name}.constitution`);
      expect(format(text)).toBe(text);
    },
  );

  test("the reference constitution is canonical (`musgo fmt --check` passes)", () => {
    const text = readFileSync(new URL("../../constitution/musgo.constitution", import.meta.url), "utf8");
    expect(format(text)).toBe(text);
  });
});

describe("conditions", () => {
  const rule = (condition: string) => `article I "t" {\n  forbid f\n    when ${condition}\n}\n`;

  test("a long conjunction breaks before every `and`, right-aligned under `when`", () => {
    const long = Array.from({ length: 5 }, (_, i) => `agent.field_number_${i} == "value_${i}"`).join(" and ");
    expect(format(rule(long))).toBe(rule(long.split(" and ").join("\n     and ")));
  });

  test("the author's breaks before `and`/`or` are kept; other whitespace is not", () => {
    expect(format('article I "t" {\n  forbid f when a   and b\n  and c\n}')).toBe(rule("a and b\n     and c"));
    expect(format('article I "t" {\n  forbid f when a\n or b\n}')).toBe(rule("a\n      or b"));
  });

  test("parentheses are minimal", () => {
    expect(format("let x = ((a and b)) or (c and (d or e)) or (not (f == g))")).toBe(
      "let x = a and b or c and (d or e) or not f == g\n",
    );
    expect(format("let x = (a - b) - (c - d) * (e * f)")).toBe("let x = a - b - (c - d) * (e * f)\n");
    expect(format("let x = (any y in z: y) and (all y in z: (y))")).toBe(
      "let x = (any y in z: y) and (all y in z: y)\n",
    );
  });

  test("a chain operand that does not fit breaks inside parentheses, its operators aligned one level deeper", () => {
    const long = (i: number) => `agent.field_number_${i} == "value_${i}"`;
    const inner = [0, 1, 2].map(long).join(" and ");
    expect(format(rule(`${inner} or ${long(3)}`))).toBe(
      rule(`(${[0, 1, 2].map(long).join("\n      and ")})\n      or ${long(3)}`),
    );
    expect(format(rule(`not (${[0, 1, 2].map(long).join(" or ")})`))).toBe(
      rule(`not (${[0, 1, 2].map(long).join("\n           or ")})`),
    );
  });

  test("a quantifier's body breaks after its head, or below it when the head leaves no room", () => {
    const body = [0, 1, 2].map((i) => `tool.field_number_${i} == "value_${i}"`);
    const aligned = body.join(`\n${" ".repeat(31)}and `);
    expect(format(rule(`any tool in action.tools: ${body.join(" and ")}`))).toBe(
      rule(`any tool in action.tools: ${aligned}`),
    );
    const longHead = "any tool in action.tools_with_a_name_long_enough_to_leave_no_room_for_the_body_on_its_line";
    expect(format(rule(`${longHead}: ${body[0]}`))).toBe(rule(`${longHead}:\n             ${body[0]}`));
  });

  test("a long `let` value breaks like a condition", () => {
    const parts = [0, 1, 2, 3].map((i) => `agent.field_number_${i} == "value_${i}"`);
    expect(format(`let guard = ${parts.join(" or ")}`)).toBe(`let guard = ${parts.join("\n         or ")}\n`);
  });

  test("every line of the long conditions above is within 100 columns", () => {
    const parts = [0, 1, 2, 3, 4, 5].map((i) => `agent.field_number_${i} == "value_${i}"`);
    const [and3, or3] = [parts.slice(0, 3).join(" and "), parts.slice(3).join(" or ")];
    const text = format(rule(`${and3} or not (${or3}) or (any t in ts: ${parts.join(" and ")})`));
    expect(text.split("\n").filter((line) => line.length > 100)).toEqual([]);
    expect(format(text)).toBe(text);
  });

  test.each([
    ["let x = q and any y in ys: y.ok", "let x = q and (any y in ys: y.ok)\n"],
    ["let x = not all y in ys: y.ok", "let x = not (all y in ys: y.ok)\n"],
    ["let x = p or q and any y in ys: all z in y: z", "let x = p or q and (any y in ys: all z in y: z)\n"],
  ])(
    "a quantifier ending an `and`/`or`/`not` is printed in parentheses and re-parses to the same tree: %s",
    (source, printed) => {
      expect(format(source)).toBe(printed);
      const tree = (text: string) => parseFile({ path: "f.constitution", text }).file;
      expect(astEqual(tree(printed), tree(source))).toBe(true);
    },
  );

  test("a permit stays on one line when it fits and was written so", () => {
    expect(format('article I "t" {\n  permit p when a and b\n  permit q\n    when c\n}')).toBe(
      'article I "t" {\n  permit p when a and b\n  permit q\n    when c\n}\n',
    );
  });
});

describe("comments", () => {
  test("leading, trailing and dangling comments keep their places", () => {
    const text = "// file\n\nschema {\n  // lead\n  a: string, // trail\n\n  b: number,\n  // dangling\n}\n";
    expect(format(text)).toBe(text);
  });

  test("a comment inside a re-laid-out item moves above it", () => {
    expect(format('article I "t" {\n  forbid f when a /* why */ and b remedy warn\n}')).toBe(
      'article I "t" {\n  /* why */\n  forbid f\n    when a and b\n    remedy warn\n}\n',
    );
  });

  test("comments inside an inline record open it; a trailing comment keeps its source column", () => {
    expect(format("schema { a: { b: string /* c */ } }")).toBe(
      `schema {\n  a: {\n    b: string,${" ".repeat(10)}/* c */\n  },\n}\n`,
    );
  });
});

describe("broken files are never formatted", () => {
  test("formatSource returns null text and the diagnostics", () => {
    const result = formatSource({ path: "b.constitution", text: "let x = (" });
    expect(result.text).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toEqual(["MG1011"]);
  });
});
