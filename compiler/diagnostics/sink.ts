// The one place every compiler stage reports to. It drops exact repeats (two stages, or two paths
// through one stage, can find the same problem) and stops collecting a file's errors after a limit,
// so a file of garbage yields a readable report: the first N errors and one MG4090 summary saying
// how many more there were and where the first of them is.

import { error, hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostic.js";

/** Errors kept per file unless the sink is told otherwise. */
export const DEFAULT_ERROR_LIMIT = 100;

export interface DiagnosticSinkOptions {
  /** Errors collected per file before the rest are only counted (warnings are always kept). */
  errorLimitPerFile?: number;
}

interface Overflow {
  count: number;
  first: Diagnostic;
}

export class DiagnosticSink {
  readonly errorLimitPerFile: number;
  private readonly kept: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  private readonly errorsPerFile = new Map<string, number>();
  private readonly overflow = new Map<string, Overflow>();

  constructor(options: DiagnosticSinkOptions = {}) {
    this.errorLimitPerFile = options.errorLimitPerFile ?? DEFAULT_ERROR_LIMIT;
    if (!(this.errorLimitPerFile >= 1)) throw new RangeError("the error limit must be at least 1");
  }

  report(diagnostic: Diagnostic): void {
    const key = identity(diagnostic);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (diagnostic.severity === "error" && !this.withinLimit(diagnostic)) return;
    this.kept.push(diagnostic);
  }

  reportAll(diagnostics: Iterable<Diagnostic>): void {
    for (const d of diagnostics) this.report(d);
  }

  /** True once any error was reported (the limit keeps at least one per file). */
  hasErrors(): boolean {
    return hasErrors(this.kept);
  }

  /** What was collected, in file/position order, with one MG4090 summary per file over the limit. */
  diagnostics(): Diagnostic[] {
    return sortDiagnostics([...this.kept, ...[...this.overflow.values()].map((o) => this.summary(o))]);
  }

  private withinLimit(d: Diagnostic): boolean {
    const file = d.span.file;
    const errors = this.errorsPerFile.get(file) ?? 0;
    if (errors < this.errorLimitPerFile) {
      this.errorsPerFile.set(file, errors + 1);
      return true;
    }
    const over = this.overflow.get(file);
    if (over === undefined) this.overflow.set(file, { count: 1, first: d });
    else over.count++;
    return false;
  }

  private summary({ count, first }: Overflow): Diagnostic {
    const more = `${count} more error${count === 1 ? "" : "s"}`;
    return error(
      "MG4090",
      first.span,
      `${more} in \`${first.span.file}\` not shown (the first of them is here)`,
      `fix the errors above and run again: at most ${this.errorLimitPerFile} errors are collected per file`,
    );
  }
}

/** Two diagnostics are the same when everything a reader sees of them is the same. */
function identity(d: Diagnostic): string {
  const { file, start, end } = d.span;
  return JSON.stringify([d.code, d.severity, file, start.offset, end.offset, d.message, d.hint ?? null]);
}
