// How commands read decision inputs: from a file or stdin, one document or one per line. A document that
// is not JSON is never an error: it is judged fail-closed (`invalid_input`) like any other input.

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileErrorReason } from "../contract/file-errors.js";
import { MalformedInput } from "../contract/ports.js";
import { UserError, type CliIO } from "./io.js";

/** The text of `path` (`-`: stdin); a missing or unreadable file is a user error that says so in words. */
export async function readInputText(path: string, io: CliIO): Promise<string> {
  if (path === "-") return io.readStdin();
  try {
    return await readFile(resolve(io.cwd, path), "utf8");
  } catch (e) {
    throw new UserError(`cannot read input \`${path}\`: ${fileErrorReason(e)}`);
  }
}

export type Parsed = { ok: true; input: unknown } | { ok: false; error: string };

export function parseJson(text: string): Parsed {
  try {
    return { ok: true, input: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `input: malformed JSON (${(e as Error).message})` };
  }
}

/** The decision input in `path`; text that is not JSON comes back as a MalformedInput, judged fail-closed. */
export async function readDecisionInput(path: string, io: CliIO): Promise<unknown> {
  const text = await readInputText(path, io);
  return decisionInputOf(text);
}

export function decisionInputOf(text: string): unknown {
  const parsed = parseJson(text);
  return parsed.ok ? parsed.input : new MalformedInput(text, parsed.error);
}
