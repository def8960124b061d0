import canonicalize from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  inputDigest,
  RecordFormatter,
  RecordWriter,
  signedBytesOf,
  verdictBody,
  withSignature,
  type AuditContext,
  type AuditRecord,
} from "../../adapters/audit/record.js";
import { leafHash } from "../../adapters/audit/merkle.js";
import type { Verdict } from "../../contract/verdict.js";

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const text = fc.string({ unit: "grapheme", maxLength: 12 });
const verdict: fc.Arbitrary<Verdict> = fc.record({
  permitted: fc.boolean(),
  violation: fc.option(text, { nil: null }),
  constitutional_article: fc.option(text, { nil: null }),
  action_taken: text,
  appeal_process: fc.constant(null),
  violations: fc.array(
    text.map((code) => ({
      article: "Article_I_X",
      code,
      remedy: "log" as const,
      enforcement: "advisory" as const,
      message: null,
    })),
    { maxLength: 4 },
  ),
  permits: fc.constant([]),
  constitution: fc.record({ name: text, version: text, digest: hex64 }),
});
const fixedVerdicts: Verdict[] = [
  {
    permitted: true,
    violation: null,
    constitutional_article: null,
    action_taken: "none",
    appeal_process: null,
    violations: [],
    permits: [],
    constitution: { name: "musgo", version: "1.0.0", digest: "d" },
  },
  {
    permitted: false,
    violation: "rate_limit_exceeded",
    constitutional_article: "Article_IV_Resource_Limits",
    action_taken: "agent_quarantined",
    appeal_process: null,
    violations: [
      {
        article: "Article_IV_Resource_Limits",
        code: "rate_limit_exceeded",
        remedy: "quarantine",
        enforcement: "mandatory",
        message: null,
      },
      { article: "Article_VII", code: 'pii_\u00e9"\n', remedy: "log", enforcement: "advisory", message: null },
    ],
    permits: [],
    constitution: { name: "musgo ✓", version: "2", digest: "d" },
  },
];
const context: fc.Arbitrary<AuditContext> = fc.record(
  { inputSha256: hex64, moduleSha256: hex64, agent: text },
  { requiredKeys: ["inputSha256", "moduleSha256"] },
);

describe("record writer", () => {
  it("property: the fixed-shape writer is byte-identical to RFC 8785 canonicalize of verdictBody, with and without sig", () => {
    fc.assert(
      fc.property(
        verdict,
        context,
        text,
        fc.nat(),
        fc.date({ min: new Date(0), max: new Date("9999-12-31"), noInvalidDate: true }),
        fc.boolean(),
        (v, c, log, seq, date, es256) => {
          const alg = es256 ? "ES256" : "EdDSA";
          const kid = leafHash(`kid ${log}`);
          const prev = leafHash(`prev ${seq}`);
          const ts = date.toISOString();
          const formatter = new RecordFormatter(log, kid, alg);
          const unsigned = formatter.unsigned(seq, ts, prev, v, c);
          const record: AuditRecord = { v: 1, log, seq, ts, prev, kind: "verdict", body: verdictBody(v, c), kid, alg };
          expect(unsigned).toBe(canonicalize(record));
          // The memoised encodings must not leak between records.
          expect(formatter.unsigned(seq, ts, prev, v, c)).toBe(unsigned);
          const sig = Buffer.alloc(64, seq % 256).toString("base64url");
          const line = withSignature(unsigned, sig);
          expect(line).toBe(canonicalize({ ...record, sig }));
          expect(signedBytesOf(JSON.parse(line) as AuditRecord)).toBe(unsigned);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("property: the byte writer (batch fast path) is byte-identical to canonicalize across a sequence of records", () => {
    // Few distinct verdicts and agents, so the writer's shape and agent caches hit, miss and evict.
    const record = fc.record({
      verdict: fc.oneof(verdict, fc.constantFrom(...fixedVerdicts)),
      context: fc.oneof(
        context,
        fc.constantFrom<AuditContext>(
          { inputSha256: "a".repeat(64), moduleSha256: "b".repeat(64), agent: "advisor_1" },
          { inputSha256: "c".repeat(64), moduleSha256: "b".repeat(64) },
        ),
      ),
      seq: fc.maxSafeNat(),
      date: fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }),
    });
    fc.assert(
      fc.property(text, fc.boolean(), fc.array(record, { minLength: 1, maxLength: 60 }), (log, es256, records) => {
        const alg = es256 ? "ES256" : "EdDSA";
        const kid = leafHash(`kid ${log}`);
        const writer = new RecordWriter(log, kid, alg);
        const bytes = Buffer.alloc(1 << 16, 0xff);
        let at = 7;
        for (const [i, r] of records.entries()) {
          const prev = leafHash(`prev ${i}`);
          const ts = r.date.toISOString();
          const bound = writer.measure(r.verdict, r.context);
          const end = writer.write(bytes, at, r.seq, ts, prev, r.context.inputSha256);
          const expected = canonicalize({
            v: 1,
            log,
            seq: r.seq,
            ts,
            prev,
            kind: "verdict",
            body: verdictBody(r.verdict, r.context),
            kid,
            alg,
          });
          expect(bytes.toString("utf8", at, end)).toBe(expected);
          expect(end - at).toBeLessThanOrEqual(bound);
          expect(bytes[end]).toBe(0xff);
          at = end + 1 > 1 << 15 ? 7 : end + 1;
        }
      }),
      { numRuns: 200 },
    );
  });

  it("the byte writer rejects what the generic mapping rejects", () => {
    const writer = new RecordWriter("l", leafHash("k"), "EdDSA");
    const v = fixedVerdicts[0]!;
    const ok = { inputSha256: "0".repeat(64), moduleSha256: "1".repeat(64) };
    const bytes = Buffer.alloc(4096);
    expect(() => writer.measure(v, { ...ok, inputSha256: '{"secret":1}' })).toThrow(/inputSha256/);
    expect(() => writer.measure(v, { ...ok, moduleSha256: "x" })).toThrow(/moduleSha256/);
    expect(() => writer.measure(v, { ...ok, moduleSha256: "A".repeat(64) })).toThrow(/moduleSha256/);
    writer.measure(v, { ...ok, inputSha256: "F".repeat(64) });
    expect(() => writer.write(bytes, 0, 0, new Date(0).toISOString(), leafHash("p"), "F".repeat(64))).toThrow(
      /inputSha256/,
    );
  });

  it("never stores the raw input: only its SHA-256, which must be hex", () => {
    const formatter = new RecordFormatter("l", leafHash("k"), "EdDSA");
    const v: Verdict = {
      permitted: true,
      violation: null,
      constitutional_article: null,
      action_taken: "none",
      appeal_process: null,
      violations: [],
      permits: [],
      constitution: { name: "c", version: "1", digest: "d" },
    };
    expect(() =>
      formatter.unsigned(0, new Date(0).toISOString(), leafHash("p"), v, {
        inputSha256: '{"secret":1}',
        moduleSha256: "0".repeat(64),
      }),
    ).toThrow(/inputSha256/);
  });

  it("inputDigest hashes the canonical form, so key order and spacing do not matter", () => {
    expect(inputDigest(JSON.parse('{"b": 1, "a": [true, null]}'))).toBe(inputDigest({ a: [true, null], b: 1 }));
    expect(inputDigest({ a: 1 })).toBe("015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862");
  });
});
