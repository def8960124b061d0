// A failure of a compiler stage on input an earlier stage accepted (a checked constitution the
// planner cannot lower, a plan the code generator cannot encode). Users can never cause one on
// purpose: every user-facing rule lives in compiler/check. Reported as MG9001 with a "please
// report" hint by whoever catches it (the checker's boundary, or the CLI with exit 3).

export class InternalCompilerError extends Error {
  readonly code = "MG9001";
  /** The stage that failed, set by the driver (compiler/driver.ts) as the error passes through it. */
  stage: string | null = null;

  constructor(readonly detail: string) {
    super(`internal compiler error: ${detail} (please report this as a musgo bug)`);
    this.name = "InternalCompilerError";
  }
}
