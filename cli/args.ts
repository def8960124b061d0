// Option parsing for every command, on node:util's parseArgs; unknown options are usage errors.

import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./io.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export function parseCommandArgs<O extends OptionSpec>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
