// The shared diagnostic sink: exact repeats are dropped, a file's errors past the limit become one
// MG4090 summary, warnings are never limited.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { DEFAULT_ERROR_LIMIT, DiagnosticSink } from "../../compiler/diagnostics/sink.js";

type Severity = Diagnostic["severity"];

function diagnostic(file: string, offset: number, severity: Severity = "error", message = "m"): Diagnostic {
  const at = { offset, line: 1, column: offset + 1 };
  return { code: severity === "error" ? "MG2001" : "MG2090", severity, message, span: { file, start: at, end: at } };
}

const arbitraryDiagnostic = fc
  .record({
    file: fc.constantFrom("a.constitution", "b.constitution"),
    offset: fc.nat({ max: 20 }),
    severity: fc.constantFrom<Severity>("error", "warning"),
    message: fc.constantFrom("one", "two"),
  })
  .map(({ file, offset, severity, message }) => diagnostic(file, offset, severity, message));

describe("DiagnosticSink", () => {
  it("property: reporting any diagnostics (with repeats) keeps each distinct one exactly once", () => {
    fc.assert(
      fc.property(fc.array(arbitraryDiagnostic, { maxLength: 60 }), (reported) => {
        const sink = new DiagnosticSink({ errorLimitPerFile: 1000 });
        sink.reportAll(reported);
        sink.reportAll(reported);
        const distinct = new Set(reported.map((d) => JSON.stringify(d)));
        const kept = sink.diagnostics();
        expect(kept).toHaveLength(distinct.size);
        expect(new Set(kept.map((d) => JSON.stringify(d)))).toEqual(distinct);
        expect(sink.hasErrors()).toBe(reported.some((d) => d.severity === "error"));
      }),
    );
  });

  it("property: a file's errors past the limit become one MG4090 summary counting them; warnings are all kept", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.nat({ max: 12 }), fc.nat({ max: 4 }), (limit, errors, warns) => {
        const sink = new DiagnosticSink({ errorLimitPerFile: limit });
        for (let i = 0; i < errors; i++) sink.report(diagnostic("a.constitution", i));
        for (let i = 0; i < warns; i++) sink.report(diagnostic("a.constitution", 100 + i, "warning"));
        sink.report(diagnostic("b.constitution", 0));
        const out = sink.diagnostics();
        const inA = out.filter((d) => d.span.file === "a.constitution");
        expect(inA.filter((d) => d.code === "MG2001")).toHaveLength(Math.min(errors, limit));
        expect(inA.filter((d) => d.severity === "warning")).toHaveLength(warns);
        const summaries = inA.filter((d) => d.code === "MG4090");
        if (errors <= limit) {
          expect(summaries).toEqual([]);
          return;
        }
        const more = errors - limit;
        expect(summaries).toHaveLength(1);
        const errorsWord = `error${more === 1 ? "" : "s"}`;
        const file = "`a.constitution`";
        const message = `${more} more ${errorsWord} in ${file} not shown (the first of them is here)`;
        expect(summaries[0]!.message).toBe(message);
        expect(summaries[0]!.span.start.offset).toBe(limit);
        expect(summaries[0]!.hint).toContain(`at most ${limit} errors`);
        expect(out.filter((d) => d.span.file === "b.constitution").map((d) => d.code)).toEqual(["MG2001"]);
      }),
    );
  });

  it("a repeat of a diagnostic left out by the limit is not counted twice", () => {
    const sink = new DiagnosticSink({ errorLimitPerFile: 1 });
    for (const offset of [0, 1, 1, 2, 2]) sink.report(diagnostic("a.constitution", offset));
    const messages = sink.diagnostics().map((d) => d.message);
    expect(messages).toEqual(["m", "2 more errors in `a.constitution` not shown (the first of them is here)"]);
  });

  it("defaults to 100 errors per file and rejects a limit below 1", () => {
    expect(new DiagnosticSink().errorLimitPerFile).toBe(DEFAULT_ERROR_LIMIT);
    expect(DEFAULT_ERROR_LIMIT).toBe(100);
    expect(() => new DiagnosticSink({ errorLimitPerFile: 0 })).toThrow(RangeError);
  });
});
