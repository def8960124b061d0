// The verdict shapes of docs/language.md ("Verdicts", "Registration"), shared by every engine
// (interpreter, WASM module, Node fast path), the Guard and the audit log. Key order is fixed here
// so that every engine serialises byte-identical JSON.

export const REMEDIES = ["none", "log", "warn", "rollback", "throttle", "quarantine", "suspend"] as const;
export type Remedy = (typeof REMEDIES)[number];

const REMEDY_RANKS = Object.fromEntries(REMEDIES.map((remedy, rank) => [remedy, rank])) as Readonly<
  Record<Remedy, number>
>;

/** Severity rank of a remedy (higher is more severe). */
export function remedyRank(remedy: Remedy): number {
  return REMEDY_RANKS[remedy];
}

export const ACTION_TAKEN: Readonly<Record<Remedy, string>> = {
  none: "none",
  log: "logged",
  warn: "warned",
  rollback: "state_rolled_back",
  throttle: "agent_throttled",
  quarantine: "agent_quarantined",
  suspend: "agent_suspended",
};

export type Enforcement = "mandatory" | "advisory";

/** One forbid that held. `message` is null when the rule declares none. */
export interface Violation {
  article: string;
  code: string;
  remedy: Remedy;
  enforcement: Enforcement;
  message: string | null;
}

export interface ConstitutionId {
  name: string;
  version: string;
  digest: string;
}

export interface Verdict {
  permitted: boolean;
  violation: string | null;
  constitutional_article: string | null;
  action_taken: string;
  appeal_process: string | null;
  violations: Violation[];
  permits: string[];
  /** Present only on `invalid_input` verdicts: names the offending path. */
  error?: string;
  constitution: ConstitutionId;
}

export interface RegistrationResult {
  namespace: string | null;
  permissions: string[];
  /** Present only when the registration request does not match the schema's `agent` field. */
  error?: string;
}

export const NO_APPLICABLE_PERMIT = "no_applicable_permit";
export const INVALID_INPUT = "invalid_input";
/** The violation of every decision made while no constitution is loaded (fail closed). */
export const GOVERNOR_UNAVAILABLE = "governor_unavailable";
/** The constitution named by verdicts made while none is loaded. */
export const NO_CONSTITUTION: ConstitutionId = Object.freeze({ name: "", version: "", digest: "" });

/** `Article_VII_Data_Protection`: number as written, title with spaces as underscores. */
export function articleLabel(number: string, title: string): string {
  return `Article_${number}_${title.replace(/ /g, "_")}`;
}

/** The leading fields of a verdict: what was decided, and the rule that decided it. */
export type VerdictOutcome = Pick<
  Verdict,
  "permitted" | "violation" | "constitutional_article" | "action_taken" | "appeal_process"
>;

/**
 * A verdict: the only place one is built, so every engine's verdicts have one key order (the order
 * they serialise in, and the WASM module's, contract/abi/layout.ts `LAYOUT_KEYS`) and one shape.
 * `error` is present only when given (invalid inputs).
 */
export function makeVerdict(
  outcome: VerdictOutcome,
  violations: Violation[],
  permits: string[],
  constitution: ConstitutionId,
  error?: string,
): Verdict {
  const { permitted, violation, constitutional_article, action_taken, appeal_process } = outcome;
  // Two literals rather than a conditional key, so that each shape is one hidden class.
  if (error === undefined) {
    return {
      permitted,
      violation,
      constitutional_article,
      action_taken,
      appeal_process,
      violations,
      permits,
      constitution,
    };
  }
  return {
    permitted,
    violation,
    constitutional_article,
    action_taken,
    appeal_process,
    violations,
    permits,
    error,
    constitution,
  };
}

/** A registration result: the only place one is built (one key order, `error` only when given). */
export function makeRegistration(namespace: string | null, permissions: string[], error?: string): RegistrationResult {
  return error === undefined ? { namespace, permissions } : { namespace, permissions, error };
}

/** The outcome of an input that does not match the schema. */
export const INVALID_INPUT_OUTCOME: Readonly<VerdictOutcome> = Object.freeze({
  permitted: false,
  violation: INVALID_INPUT,
  constitutional_article: null,
  action_taken: ACTION_TAKEN.none,
  appeal_process: null,
});

/** The fail-closed verdict for an input that does not match the schema. */
export function invalidInputVerdict(error: string, constitution: ConstitutionId): Verdict {
  return makeVerdict(INVALID_INPUT_OUTCOME, [], [], constitution, error);
}

/** The fail-closed registration result for a request that does not match the schema's `agent` field. */
export function invalidRegistration(error: string): RegistrationResult {
  return makeRegistration(null, [], error);
}

/** The fail-closed verdict while no constitution is loaded: every action is refused, no one is contained. */
export function unavailableVerdict(reason: string): Verdict {
  return makeVerdict({ ...INVALID_INPUT_OUTCOME, violation: GOVERNOR_UNAVAILABLE }, [], [], NO_CONSTITUTION, reason);
}
