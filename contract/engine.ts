// What every decision engine offers its host: the interpreter (compiler/interp), the WASM fast
// path (runtime/) and anything the Guard or the audit log is given.

import type { ConstitutionId, RegistrationResult, Verdict } from "./verdict.js";
import type { Remedy } from "./verdict.js";

export const DECISION_ENTRYPOINT = "constitution/decision";
export const REGISTRATION_ENTRYPOINT = "constitution/registration";
export type Entrypoint = typeof DECISION_ENTRYPOINT | typeof REGISTRATION_ENTRYPOINT;

/** A `limit` declaration (docs/language.md, "Rate limits"), as compiled modules export it for the host. */
export interface LimitDeclaration {
  name: string;
  /** Article number as written, e.g. "III". */
  article: string;
  /** Numeric article value, for ordering the added violation among the others. */
  articleValue: number;
  /** Article label, e.g. "Article_III_Resource_Limits". */
  articleLabel: string;
  /** "mandatory" or "advisory", from the declaring article. */
  enforcement: "mandatory" | "advisory";
  keyPath: string[];
  count: number;
  windowSeconds: number;
  remedy: Remedy;
}

export interface DecisionEngine {
  readonly constitution: ConstitutionId;
  /** Hex SHA-256 of what judges: the module's bytes, or the sources for the interpreter (audit records carry it). */
  readonly artifactSha256: string;
  readonly limits: readonly LimitDeclaration[];
  decide(input: unknown): Verdict;
  register(input: unknown): RegistrationResult;
}
