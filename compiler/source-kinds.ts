// Which files are constitutions and which are policy tests (docs/language.md, "Files").

import { basename } from "node:path";

export const CONSTITUTION_EXTENSION = ".constitution";
export const TEST_SUFFIX = "_test.constitution";

export function isTestFile(path: string): boolean {
  return basename(path).endsWith(TEST_SUFFIX);
}
