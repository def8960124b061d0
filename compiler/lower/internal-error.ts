// A failure of a backend stage (planner, code generator) on a constitution the checker accepted.
// Users can never cause one on purpose: every user-facing rule lives in compiler/check. Reported as
// MG9001 with a "please report" hint by whoever catches it.

export class InternalCompilerError extends Error {
  readonly code = "MG9001";

  constructor(message: string) {
    super(`internal compiler error: ${message} (please report this as a musgo bug)`);
    this.name = "InternalCompilerError";
  }
}
