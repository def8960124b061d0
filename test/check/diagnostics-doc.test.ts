import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { DIAGNOSTIC_CODES } from "../../compiler/diagnostics/codes.js";

it("docs/diagnostics.md documents exactly the codes of codes.ts, with their titles, in order", () => {
  const doc = readFileSync("docs/diagnostics.md", "utf8");
  const documented = [...doc.matchAll(/^### (MG\d{4}) — (.+)$/gm)].map((m) => [m[1], m[2]]);
  expect(documented).toEqual(Object.entries(DIAGNOSTIC_CODES));
});
