// Runs the musgo CLI in-process with captured output.

import * as nodeFs from "node:fs/promises";
import { main } from "../../cli/main.js";
import type { CliIO } from "../../cli/io.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` replaces the process environment for the run (default: a copy of it); `cwd` the directory. */
export async function runCli(
  argv: string[],
  stdin: string | Uint8Array = "",
  env: CliIO["env"] = { ...process.env },
  cwd = process.cwd(),
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => (typeof stdin === "string" ? new TextEncoder().encode(stdin) : stdin),
    cwd,
    fs: nodeFs,
    env,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
