// The Guard's audit port over a real log: decisions (including malformed requests) and releases
// become records of one chain.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { guardAuditSink, openAuditLog, verifyAuditLog } from "../../adapters/audit/index.js";
import { MalformedInput } from "../../contract/ports.js";
import { invalidInputVerdict } from "../../contract/verdict.js";
import { LOG_NAME, newSigner, sampleVerdict, sha256Hex, tempDir, trustOf } from "./support.js";

describe("guardAuditSink", () => {
  it("records a decision, a malformed request (hash of its raw text) and a release, in order", async () => {
    const path = join(tempDir(), "audit.jsonl");
    const signer = newSigner();
    const log = await openAuditLog({ path, logName: LOG_NAME, signer, mode: "batch" });
    const sink = guardAuditSink(log, sha256Hex("module"));
    const verdict = sampleVerdict(1);
    const decision = await sink.append({
      kind: "decision",
      agent: "advisor_7f2a9c1b",
      input: { agent: { id: "advisor_7f2a9c1b" } },
      verdict,
      incident: null,
    });
    const malformed = new MalformedInput(
      new TextEncoder().encode("{not json"),
      "input: malformed JSON (unexpected character)",
    );
    const refused = await sink.append({
      kind: "decision",
      agent: null,
      input: malformed,
      verdict: invalidInputVerdict(malformed.error, verdict.constitution),
      incident: null,
    });
    const report = {
      operation: "release" as const,
      agent: "advisor_7f2a9c1b",
      target: "deployment agents/advisor-7f2a9c1b",
      complete: true,
      steps: [{ step: "scale-up", status: "done" as const, detail: "" }],
      remaining: [],
      error: null,
    };
    const released = await sink.append({ kind: "release", agent: "advisor_7f2a9c1b", actions: [report] });
    await log.close();
    expect([decision, refused, released]).toEqual([{ seq: 0 }, { seq: 1 }, { seq: 2 }]);
    const records = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(records.map((r) => r.kind)).toEqual(["verdict", "verdict", "release"]);
    expect(records[1].body).toMatchObject({
      violation: "invalid_input",
      agent: null,
      input_sha256: createHash("sha256").update("{not json").digest("hex"),
    });
    expect(records[2].body).toEqual({
      agent: "advisor_7f2a9c1b",
      complete: true,
      error: null,
      steps: ["scale-up:done"],
      target: report.target,
    });
    expect(await verifyAuditLog(path, { trust: trustOf(signer) })).toMatchObject({ ok: true, records: 3 });
  });
});
