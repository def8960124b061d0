// Compiling constitution sources for the IR tests.

import { readFileSync } from "node:fs";
import { compileSources } from "../../compiler/pipeline.js";
import type { CheckedConstitution } from "../../compiler/check/model.js";
import { renderDiagnostics } from "../../compiler/diagnostics/render.js";

export const REFERENCE_PATH = "constitution/musgo.constitution";

export function checkSource(text: string, path = "test.constitution"): CheckedConstitution {
  const sources = [{ path, text }];
  const result = compileSources(sources);
  if (result.constitution === null)
    throw new Error(
      `the constitution does not check:\n${renderDiagnostics(result.diagnostics, (p) => (p === path ? text : undefined))}\n${text}`,
    );
  return result.constitution;
}

export function checkReference(): CheckedConstitution {
  return checkSource(readFileSync(REFERENCE_PATH, "utf8"), REFERENCE_PATH);
}
