// Guard.decideBytes: the Guard's entry for bytes (a file, a future HTTP body) reads them with the
// strict reader, so it judges as the module does, and its audit entry keeps the bytes it hashes.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSources } from "../../compiler/pipeline.js";
import { createInterpreterEngine } from "../../compiler/interp/index.js";
import { FileStateStore } from "../../guard/file-state-store.js";
import { Guard } from "../../guard/guard.js";
import { MalformedInput, type AuditEntry, type AuditSink } from "../../contract/ports.js";
import { DUPLICATE_CLEARANCE, SECRETS_SOURCE } from "../support/secrets-constitution.js";

function secretsGuard(): { guard: Guard; entries: AuditEntry[] } {
  const { constitution } = compileSources([{ path: "secrets.constitution", text: SECRETS_SOURCE }]);
  const entries: AuditEntry[] = [];
  const audit: AuditSink = { append: async (entry) => (entries.push(entry), { seq: entries.length - 1 }) };
  const stateStore = new FileStateStore(mkdtempSync(join(tmpdir(), "musgo-state-")));
  return { guard: new Guard({ engine: createInterpreterEngine(constitution!), audit, stateStore }), entries };
}

describe("Guard.decideBytes reads strictly", () => {
  it("issue 10's duplicate key is invalid_input, and the audit entry holds the raw bytes", async () => {
    const { guard, entries } = secretsGuard();
    const bytes = new TextEncoder().encode(DUPLICATE_CLEARANCE);
    const decision = await guard.decideBytes(bytes);
    expect(decision.permitted).toBe(false);
    expect(decision.verdict).toMatchObject({
      violation: "invalid_input",
      error: "input: malformed JSON (duplicate object key)",
    });
    const entry = entries[0] as Extract<AuditEntry, { kind: "decision" }>;
    expect(entry.input).toBeInstanceOf(MalformedInput);
    expect((entry.input as MalformedInput).raw).toBe(bytes);
    expect(entry.raw).toBe(bytes);
  });

  it("well-formed bytes are judged as their value is", async () => {
    const { guard } = secretsGuard();
    const single = DUPLICATE_CLEARANCE.replace('"clearance":"sandbox",', "");
    const fromBytes = await guard.decideBytes(new TextEncoder().encode(single));
    const fromValue = await guard.decide(JSON.parse(single));
    expect(fromBytes.verdict).toEqual(fromValue.verdict);
    expect(fromBytes.permitted).toBe(true);
  });
});
