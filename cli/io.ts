// The CLI talks to the world only through this interface, so every command runs in-process in tests.
// Every relative path a command is given is resolved against `cwd`, never the process's directory.

import { escapeControlCharacters } from "../compiler/diagnostics/render.js";

import * as nodeFs from "node:fs/promises";
import type { SourceFileSystem } from "../compiler/sources.js";

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of stdin, as bytes (decision inputs are read strictly, invalid UTF-8 included). */
  readStdin(): Promise<Uint8Array>;
  cwd: string;
  /** Where constitutions, modules and inputs are read from. */
  fs: SourceFileSystem;
  env: Record<string, string | undefined>;
}

export const EXIT = {
  ok: 0,
  /** Diagnostics, failed tests, failed verification. */
  failure: 1,
  usage: 2,
  internal: 3,
} as const;

/** A mistake in how the command was called: printed with the command's usage, exit 2, no stack. */
export class UsageError extends Error {}

/** A user-facing failure (unreadable file, bad config): printed as `error: message`, exit 1, no stack. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

/** A command's implementation; its name and one-line summary live in cli/commands/index.ts. */
export interface Command {
  /** Full help text printed by `musgo <name> --help`. */
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    cwd: process.cwd(),
    fs: nodeFs,
    env: process.env,
  };
}

/**
 * Problems that do not stop the run (a checkpoint Vault did not anchor, a crashed log's tail), on stderr;
 * escaped, since agent ids and paths in them come from inputs.
 */
export function cliWarnings(io: CliIO): (message: string) => void {
  return (message) => io.stderr(`warning: ${escapeControlCharacters(message)}\n`);
}

/** One `error:` line for a failure the command reports before exiting 1; escaped like the warnings. */
export function printError(io: CliIO, message: string): void {
  io.stderr(`error: ${escapeControlCharacters(message)}\n`);
}
