// How commands read decision inputs: the bytes of a file or stdin, one document or one per line, read
// by the one strict reader (contract/json-input.ts) that judges them exactly as the module's opa_eval
// does. A document it rejects is never an error: it is judged fail-closed (`invalid_input`).

import { resolve } from "node:path";
import { decisionInputOf } from "../contract/judge-bytes.js";
import { fileErrorReason } from "../contract/file-errors.js";
import { UserError, type CliIO } from "./io.js";

/** The bytes of `path` (`-`: stdin); a missing or unreadable file is a user error that says so in words. */
export async function readInputBytes(path: string, io: CliIO): Promise<Uint8Array> {
  if (path === "-") return io.readStdin();
  try {
    return await io.fs.readFile(resolve(io.cwd, path));
  } catch (e) {
    throw new UserError(`cannot read input \`${path}\`: ${fileErrorReason(e)}`);
  }
}

/** The decision input in `path`: its value, or a MalformedInput (judged fail-closed) for bytes the reader rejects. */
export async function readDecisionInput(path: string, io: CliIO): Promise<unknown> {
  return decisionInputOf(await readInputBytes(path, io));
}

/**
 * The lines of a JSON Lines file, every one of them (blank and malformed lines too), so that verdict N
 * answers line N. A final newline ends the last line; it does not start an empty one.
 */
export function splitLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, start)) {
    lines.push(bytes.subarray(start, at));
    start = at + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}
