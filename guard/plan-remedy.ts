// Remedy → action: what the Guard does about a verdict. The determining violation's remedy is the
// one `action_taken` names; advisory violations never determine, so they never contain anyone.

import { ACTION_TAKEN, REMEDIES, type Remedy, type Verdict } from "../contract/verdict.js";
import type { ContainmentOperation } from "../contract/ports.js";

export interface RemedyPlan {
  remedy: Remedy;
  /** The containment to run: suspend and quarantine go to the actuator, rollback to the state store. */
  containment: Exclude<ContainmentOperation, "release"> | null;
  /** Whether the decision is an incident (any remedy but `none`). */
  incident: boolean;
}

const CONTAINMENT: Readonly<Record<Remedy, RemedyPlan["containment"]>> = {
  none: null,
  log: null,
  warn: null,
  // A throttled agent's action is refused by the verdict itself; nothing else changes.
  throttle: null,
  rollback: "rollback",
  quarantine: "quarantine",
  suspend: "suspend",
};

const REMEDY_BY_ACTION = new Map<string, Remedy>(REMEDIES.map((remedy) => [ACTION_TAKEN[remedy], remedy]));

export function planRemedy(verdict: Verdict): RemedyPlan {
  const remedy = REMEDY_BY_ACTION.get(verdict.action_taken);
  if (remedy === undefined) throw new Error(`verdict names an unknown action_taken \`${verdict.action_taken}\``);
  return { remedy, containment: CONTAINMENT[remedy], incident: remedy !== "none" };
}
