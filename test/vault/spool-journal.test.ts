// Opening the incident journal: a torn last entry is dropped, anything else that is not a journal is
// refused with a SpoolError naming the file, and the file is left as it was.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IncidentSpool, SpoolError } from "../../adapters/vault/spool.js";
import type { Incident } from "../../contract/ports.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "musgo-spool-"));

function incident(id: string): Incident {
  const at = "2026-01-01T00:00:00.000Z";
  return { id, at, agent: "a", action: "warn", reason: "r", verdict: {}, audit_seq: null } as unknown as Incident;
}

/** A journal holding one pending incident, and its text. */
function journalWithOne(dir: string): { file: string; text: string } {
  const file = join(dir, "incidents.jsonl");
  const spool = new IncidentSpool(file);
  spool.enqueue(incident("i1"));
  spool.close();
  return { file, text: readFileSync(file, "utf8") };
}

describe("incident spool journal", () => {
  it("property: a write cut short at any byte loses only the entry being written", () => {
    const dir = tempDir();
    const { file, text } = journalWithOne(dir);
    const second = `${JSON.stringify({ op: "enqueue", incident: incident("i2") })}`;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: second.length - 1 }), (cut) => {
        writeFileSync(file, text + second.slice(0, cut));
        const reopened = new IncidentSpool(file);
        expect(reopened.pending().map((p) => p.incident.id)).toEqual(["i1"]);
        reopened.close();
      }),
      { numRuns: 50 },
    );
  });

  it("property: a file that is not a journal is refused by name and left untouched", () => {
    const dir = tempDir();
    const notEntry = fc
      .oneof(fc.json(), fc.string())
      .filter((line) => !line.startsWith('{"op":"') && !line.includes("\n"));
    fc.assert(
      fc.property(fc.array(notEntry, { minLength: 1, maxLength: 3 }), fc.boolean(), (lines, terminated) => {
        const file = join(dir, "not-a-journal.txt");
        const text = `${lines.join("\n")}${terminated ? "\n" : ""}`;
        const last = lines.filter((line) => line !== "").at(-1);
        fc.pre(last !== undefined && (terminated || !'{"op":"'.startsWith(last)));
        writeFileSync(file, text);
        expect(() => new IncidentSpool(file)).toThrow(SpoolError);
        expect(() => new IncidentSpool(file)).toThrow(/incident spool `.*not-a-journal.txt` is corrupt at line \d+/);
        expect(readFileSync(file, "utf8")).toBe(text);
      }),
      { numRuns: 100 },
    );
  });

  it("a folder, or a file where its folder should be, is a SpoolError in words", () => {
    const dir = tempDir();
    const folder = join(dir, "folder");
    mkdirSync(folder);
    writeFileSync(join(dir, "file"), "x");
    expect(() => new IncidentSpool(folder)).toThrow(/cannot open the incident spool `.*folder`: it is a folder, not a/);
    expect(() => new IncidentSpool(join(dir, "file", "spool.jsonl"))).toThrow(SpoolError);
  });
});
