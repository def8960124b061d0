// Collects the checker's diagnostics. Every stage reports here and carries on, so one run shows
// every problem; poisoned types (`{kind: "error"}`) keep a reported problem from cascading.

import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { DiagnosticCode } from "../diagnostics/codes.js";
import type { Span } from "../diagnostics/span.js";

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  error(code: DiagnosticCode, span: Span, message: string, hint?: string): void {
    this.diagnostics.push(
      hint === undefined
        ? { code, severity: "error", message, span }
        : { code, severity: "error", message, span, hint },
    );
  }

  warning(code: DiagnosticCode, span: Span, message: string, hint?: string): void {
    this.diagnostics.push(
      hint === undefined
        ? { code, severity: "warning", message, span }
        : { code, severity: "warning", message, span, hint },
    );
  }

  errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === "error").length;
  }
}

/** `file:line` of a span, for hints that point at an earlier declaration. */
export function whereIs(span: Span): string {
  return `${span.file}:${span.start.line}`;
}
