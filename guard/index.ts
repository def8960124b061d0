// The Guard's public surface.

export { Guard, agentIdOf, type GuardOptions, type GuardResult, type ReleaseResult, type AuditOutcome } from "./guard.js";
export { SlidingWindowCounter } from "./sliding-window.js";
export { RateLimits, type ExceededLimit } from "./rate-limits.js";
export { mergeLimitViolations, limitViolation, articleNumberValue } from "./merge-limit-violations.js";
export { planRemedy, type RemedyPlan } from "./plan-remedy.js";
export { FileStateStore, DEFAULT_STATE_DIR, type FileStateStoreOptions } from "./file-state-store.js";
export { MalformedInput } from "../contract/ports.js";
export type * from "../contract/ports.js";
