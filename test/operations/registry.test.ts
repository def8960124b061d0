// The operation registry (compiler/operations/registry.ts) is the one place a builtin is declared:
// these tests hold the other places that name builtins (the docs, the prebuilt module) to it, and
// check the contract of `applyOperation` that every evaluator relies on.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { OPERATIONS, OPERATION_PRIMITIVES, applyOperation, operation } from "../../compiler/operations/registry.js";
import { BUILTINS } from "../../compiler/check/builtins.js";
import { PRIMITIVES, runtimeWasm } from "../../compiler/codegen/runtime-link.js";

const listsOnly = () => ({ isSet: false, sameElement: (a: unknown, b: unknown) => a === b });

describe("operation registry", () => {
  it("names each builtin once, and the checker knows exactly the registry's builtins", () => {
    const names = OPERATIONS.map((op) => op.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...BUILTINS.keys()]).toEqual(names);
    for (const op of OPERATIONS) expect(BUILTINS.get(op.name)!.params).toEqual(op.params);
  });

  it("docs/language.md's expression table documents every builtin with its parameters", () => {
    const doc = readFileSync("docs/language.md", "utf8");
    const table = doc.slice(doc.indexOf("## Expressions"), doc.indexOf("**Optional guards.**"));
    for (const op of OPERATIONS) expect(table, op.name).toMatch(new RegExp(`\`${op.name}\\([a-z, ]+\\)\``));
  });

  it("the prebuilt module exports every primitive the builtins name (musgo_<name>), and the linker takes them", () => {
    const exported = new Set(WebAssembly.Module.exports(new WebAssembly.Module(runtimeWasm())).map((e) => e.name));
    for (const primitive of OPERATION_PRIMITIVES) {
      expect(exported.has(`musgo_${primitive}`), primitive).toBe(true);
      expect(PRIMITIVES).toContain(primitive);
    }
  });

  it("property: applyOperation never throws; a wrong-shaped argument: predicate false, function absent", () => {
    const fitsParam = (kind: string | undefined, a: unknown) =>
      typeof a === "string" || (kind === "countable" && Array.isArray(a));
    fc.assert(
      fc.property(fc.constantFrom(...OPERATIONS), fc.array(fc.jsonValue(), { maxLength: 3 }), (op, args) => {
        const fits = args.length === op.params.length && args.every((a, i) => fitsParam(op.params[i], a));
        const result = applyOperation(op, args, listsOnly);
        if (fits) expect(typeof result).toBe(op.result === "bool" ? "boolean" : op.result);
        else expect(result).toBe(op.result === "bool" ? false : undefined);
      }),
    );
  });

  it("count: a set's distinct elements (evaluator's equality), a list's elements, a string's code points", () => {
    const count = operation("count")!;
    const byValue = { isSet: true, sameElement: (a: unknown, b: unknown) => a === b };
    expect(applyOperation(count, [["a", "a", "b"]], () => byValue)).toBe(2);
    expect(applyOperation(count, [["a", "a", "b"]], listsOnly)).toBe(3);
    expect(applyOperation(count, ["😀a"], listsOnly)).toBe(2);
  });
});
