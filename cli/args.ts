// Option parsing for every command, on node:util's parseArgs; unknown options are usage errors.

import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./io.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

type WithHelp<O extends OptionSpec> = O & { help: { type: "boolean"; short: "h" } };
export type ParsedArgs<O extends OptionSpec> = ReturnType<
  typeof parseArgs<{ args: string[]; options: WithHelp<O>; allowPositionals: true; strict: true }>
>;

export function parseCommandArgs<O extends OptionSpec>(args: string[], options: O): ParsedArgs<O> {
  const withHelp = { ...options, help: { type: "boolean", short: "h" } } as WithHelp<O>;
  try {
    return parseArgs({ args, options: withHelp, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
