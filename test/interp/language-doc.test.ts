// docs/language.md, "Verdicts", states the verdict assembly rules on its own: its example verdict
// and its action_taken table must say what the engines do.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateDecision } from "../../compiler/interp/index.js";
import { ACTION_TAKEN } from "../../contract/verdict.js";
import { compileReference } from "./compile.js";

const doc = readFileSync("docs/language.md", "utf8");
const verdicts = doc.slice(doc.indexOf("## Verdicts"), doc.indexOf("## Registration"));

describe("docs/language.md, Verdicts", () => {
  it("shows exactly the verdict the reference constitution gives the seed's Example 3, keys in order", () => {
    const example = /```json\n([\s\S]*?)```/.exec(verdicts)?.[1];
    expect(example, "the section's JSON example").toBeDefined();
    const input: unknown = JSON.parse(readFileSync("constitution/examples/example3-classified.json", "utf8"));
    const verdict = evaluateDecision(compileReference(), input);
    const documented = JSON.parse(example!) as { constitution: { digest: string } };
    expect(documented.constitution.digest).toBe("sha256:…");
    documented.constitution.digest = verdict.constitution.digest;
    expect(JSON.stringify(documented)).toBe(JSON.stringify(verdict));
  });

  it("lists each remedy's action_taken as the runtime names it", () => {
    const isTableRow = (line: string) => line.startsWith("| remedy") || line.startsWith("| `action_taken`");
    const rows = verdicts.split("\n").filter(isTableRow);
    const cells = rows.map((row) => [...row.matchAll(/`"?([a-z_]+)"?`/g)].map((m) => m[1]));
    expect(cells).toHaveLength(2);
    const [remedies, actions] = cells;
    expect(Object.fromEntries(remedies!.map((remedy, i) => [remedy, actions![i + 1]]))).toEqual(ACTION_TAKEN);
  });

  it("cites no document outside the repository", () => {
    expect(doc).not.toMatch(/LANGUAGE\.md|§/);
  });
});
