// musgo/guard: the Guard (rate limits, remedies, containment, incidents, audit) and `createGuard`, which
// builds it from settings the way `musgo enforce` does from flags and musgo.config.json.

export { createGuard, buildActuator, type GuardConfig, type GuardHandle } from "./create-guard.js";
export {
  Guard,
  agentIdOf,
  type GuardOptions,
  type GuardResult,
  type GuardPlan,
  type Decision,
  type DecideOptions,
  type ReleaseResult,
  type AuditOutcome,
} from "./guard.js";
export {
  loadEngine,
  engineFor,
  compileOrThrow,
  ConstitutionError,
  ENGINE_KINDS,
  type EngineKind,
  type EngineSource,
} from "./engines.js";
export {
  resolveTargets,
  vaultClientFor,
  type TargetSettings,
  type ResolvedTargets,
  type Environment,
} from "./targets.js";
export {
  openGuardAuditLog,
  signerOptionsFor,
  constitutionLogName,
  SIGNER_KINDS,
  AUDIT_MODES,
  type AuditSettings,
  type SignerSettings,
  type SignerKind,
} from "./audit-log.js";
export { GuardSetupError } from "./errors.js";
export {
  createSignerFromOptions,
  pkcs11Target,
  transitTarget,
  PIN_ENV,
  DEFAULT_PKCS11_MODULE,
  type SignerOptions,
} from "./signers.js";
export { SlidingWindowCounter } from "./sliding-window.js";
export { RateLimits, type ExceededLimit } from "./rate-limits.js";
export { mergeLimitViolations, limitViolation, articleNumberValue } from "./merge-limit-violations.js";
export { planRemedy, type RemedyPlan } from "./plan-remedy.js";
export { FileStateStore, DEFAULT_STATE_DIR, type FileStateStoreOptions } from "./file-state-store.js";
export { MalformedInput } from "../contract/ports.js";
export type * from "../contract/ports.js";
