#!/usr/bin/env node
// musgo's command line: `musgo <command> [options]`. Each command lives in cli/commands/<name>.ts.

import { pathToFileURL } from "node:url";
import { realpathSync } from "node:fs";
import { EXIT, UsageError, UserError, processIO, type CliIO, type Command } from "./io.js";
import { COMMANDS } from "./commands/index.js";
import { ConstitutionError } from "../guard/engines.js";
import { GuardSetupError } from "../guard/errors.js";
import { InternalCompilerError } from "../compiler/diagnostics/internal-error.js";
import { diagnosticsText } from "./report.js";
import { escapeControlCharacters } from "../compiler/diagnostics/render.js";

function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: musgo <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nRun \`musgo <command> --help\` for a command's options.\n`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(topLevelHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) {
    io.stderr(`error: unknown command \`${escapeControlCharacters(name)}\`\n\n${topLevelHelp()}`);
    return EXIT.usage;
  }
  const command: Command = await entry.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${escapeControlCharacters(e.message)}\n\n${command.usage}`);
      return EXIT.usage;
    }
    if (e instanceof UserError || e instanceof GuardSetupError) {
      // A message may quote what the user gave (a flag's value, a file's bytes): never raw to the terminal.
      io.stderr(`error: ${escapeControlCharacters(e.message)}\n`);
      return e instanceof UserError ? e.exitCode : EXIT.failure;
    }
    if (e instanceof ConstitutionError) {
      io.stderr(`error: the constitution has errors:\n${diagnosticsText(e.diagnostics, e.sources)}\n`);
      return EXIT.failure;
    }
    reportBug(e, io);
    return EXIT.internal;
  }
}

/** Anything else that escapes a command is a musgo bug: exit 3 with what a bug report needs. */
export function reportBug(e: unknown, io: CliIO): void {
  const where = e instanceof InternalCompilerError && e.stage !== null ? ` in the ${e.stage} stage` : "";
  const trace = e instanceof Error ? (e.stack ?? e.message) : String(e);
  const plea = "This is a bug in musgo; please report it with the command you ran.";
  io.stderr(`internal error[MG9001]${where}: ${trace}\n${plea}\n`);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2), processIO()).then((code) => {
    process.exitCode = code;
  });
}
