// Judging a decision input given as bytes: the strict reader (json-input.ts), then the engine. Every
// entry point that holds bytes comes through here, so every engine judges the same bytes as the
// module's `opa_eval` does: bytes it cannot read get the same fail-closed result, with the same error.

import { DECISION_ENTRYPOINT, REGISTRATION_ENTRYPOINT, type DecisionEngine, type Entrypoint } from "./engine.js";
import { readDecisionInput } from "./json-input.js";
import { invalidInputVerdict, invalidRegistration, type RegistrationResult, type Verdict } from "./verdict.js";
import { MalformedInput } from "./ports.js";

/** The decision input in `bytes` for the Guard: the value read, or a MalformedInput judged fail-closed. */
export function decisionInputOf(bytes: Uint8Array): unknown {
  const read = readDecisionInput(bytes);
  return read.ok ? read.value : new MalformedInput(bytes, read.error);
}

type Judged<E extends Entrypoint> = E extends typeof REGISTRATION_ENTRYPOINT ? RegistrationResult : Verdict;

/** What `engine` says of `bytes` at `entrypoint` (default: the decision). */
export function judgeBytes<E extends Entrypoint = typeof DECISION_ENTRYPOINT>(
  engine: DecisionEngine,
  bytes: Uint8Array,
  entrypoint?: E,
): Judged<E> {
  return judgeRead(engine, bytes, entrypoint ?? DECISION_ENTRYPOINT) as Judged<E>;
}

function judgeRead(engine: DecisionEngine, bytes: Uint8Array, entrypoint: Entrypoint): Verdict | RegistrationResult {
  const read = readDecisionInput(bytes);
  if (entrypoint === REGISTRATION_ENTRYPOINT) {
    return read.ok ? engine.register(read.value) : invalidRegistration(read.error);
  }
  return read.ok ? engine.decide(read.value) : invalidInputVerdict(read.error, engine.constitution);
}
