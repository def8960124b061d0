// The constitution's digest (docs/language.md): SHA-256 over the non-test sources sorted by file
// name, each contributing `<basename> NUL <text> NUL`, so moving the directory keeps the digest.

import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { SourceFile } from "../diagnostics/span.js";
import { isTestFile } from "../source-kinds.js";

export function constitutionDigest(sources: readonly SourceFile[]): string {
  const hash = createHash("sha256");
  const files = sources
    .filter((s) => !isTestFile(s.path))
    .map((s) => ({ name: basename(s.path), text: s.text }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const file of files) hash.update(`${file.name}\0${file.text}\0`, "utf8");
  return `sha256:${hash.digest("hex")}`;
}
