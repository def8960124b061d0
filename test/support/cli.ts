// Runs the musgo CLI in-process with captured output.

import { main } from "../../cli/main.js";
import type { CliIO } from "../../cli/io.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` replaces the process environment for the run (default: a copy of it). */
export async function runCli(
  argv: string[],
  stdin: string | Uint8Array = "",
  env: CliIO["env"] = { ...process.env },
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => (typeof stdin === "string" ? new TextEncoder().encode(stdin) : stdin),
    cwd: process.cwd(),
    env,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
