// Property: the checker never throws and never hits an internal error, whatever the parser hands it
// (including the partial trees of files with syntax errors); a constitution comes back iff no errors.

import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkConstitution } from "../../compiler/check/index.js";
import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import type { SourceFile } from "../../compiler/diagnostics/span.js";
import { parseFile } from "../../compiler/syntax/index.js";
import { PRELUDE } from "./support.js";

const REFERENCE = readFileSync("constitution/musgo.constitution", "utf8");
const REFERENCE_TESTS = readFileSync("constitution/musgo_test.constitution", "utf8");

function parseAndCheck(sources: SourceFile[]): void {
  const files = sources.map((s) => parseFile(s).file);
  const result = checkConstitution(files, sources);
  expect(result.diagnostics.filter((d) => d.code === "MG9001")).toEqual([]);
  expect(result.constitution === null).toBe(hasErrors(result.diagnostics));
}

const TOKENS = [
  'constitution c version "1.0.0"',
  "enum",
  "E",
  "{",
  "}",
  "<",
  ",",
  "a",
  "b",
  "schema",
  "agent",
  ":",
  "string",
  "number",
  "set<string>",
  "?",
  "let",
  "=",
  "article",
  "I",
  "7",
  '"T"',
  "permit",
  "forbid",
  "when",
  "remedy",
  "suspend",
  "appeal",
  "message",
  '"m {agent.id}"',
  "limit",
  "per",
  "agent.id",
  "to",
  "1",
  "minute",
  "registration",
  "namespace",
  "grant",
  "test",
  "input",
  '{"agent": {}}',
  "expect",
  "deny",
  "and",
  "or",
  "not",
  "has",
  "in",
  "matches",
  '"a(?=b)"',
  "==",
  "<=",
  "+",
  "*",
  "(",
  ")",
  "[",
  "]",
  "any",
  "all",
  "x",
  "null",
  "true",
  "count",
  "lower",
  ".",
  "action.target",
  "E.a",
  "\n",
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((tokens) => tokens.join(" "));

/** Deletes, duplicates or overwrites a random slice of `text`. */
const mutation = fc.tuple(
  fc.nat(),
  fc.nat({ max: 40 }),
  fc.constantFrom("delete", "duplicate", "replace"),
  fc.constantFrom(...TOKENS),
);
function mutate(text: string, [at, length, kind, token]: [number, number, string, string]): string {
  const start = at % (text.length + 1);
  const end = Math.min(text.length, start + length);
  if (kind === "delete") return text.slice(0, start) + text.slice(end);
  if (kind === "duplicate") return text.slice(0, end) + text.slice(start, end) + text.slice(end);
  return text.slice(0, start) + token + text.slice(end);
}

describe("property: the checker never throws", () => {
  it("on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => parseAndCheck([{ path: "r.constitution", text }])),
      { numRuns: 300 },
    );
  });

  it("on token soup after a valid prelude", () => {
    fc.assert(
      fc.property(tokenSoup, (text) => parseAndCheck([{ path: "r.constitution", text: PRELUDE + text }])),
      { numRuns: 400 },
    );
  });

  it("on mutations of the reference constitution and its tests", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (mutations, mutateTests) => {
        const policy = mutateTests ? REFERENCE : mutations.reduce(mutate, REFERENCE);
        const tests = mutateTests ? mutations.reduce(mutate, REFERENCE_TESTS) : REFERENCE_TESTS;
        parseAndCheck([
          { path: "musgo.constitution", text: policy },
          { path: "musgo_test.constitution", text: tests },
        ]);
      }),
      { numRuns: 250 },
    );
  });
});
