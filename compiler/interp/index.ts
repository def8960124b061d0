// The reference interpreter: the executable specification of docs/language.md (expressions,
// verdicts, registration) that the WASM backend is differentially tested against. Favours clarity
// over speed; never throws on any input.

import type { CheckedConstitution } from "../check/model.js";
import type { DecisionEngine, LimitDeclaration } from "../../contract/engine.js";
import { constitutionId, evaluateDecision } from "./decision.js";
import { evaluateRegistration } from "./registration.js";

export { evaluateDecision } from "./decision.js";
export { evaluateRegistration } from "./registration.js";

/** The `limit` declarations ("Rate limits") the host runtime counts; the interpreter itself is stateless. */
export function limitDeclarations(c: CheckedConstitution): LimitDeclaration[] {
  return c.articles.flatMap((article) =>
    article.limits.map((limit) => ({
      name: limit.name,
      article: article.number,
      articleValue: article.numberValue,
      articleLabel: article.label,
      enforcement: article.enforcement,
      keyPath: limit.keyPath,
      count: limit.count,
      windowSeconds: limit.windowSeconds,
      remedy: limit.remedy,
    })),
  );
}

export function createInterpreterEngine(c: CheckedConstitution): DecisionEngine {
  return {
    constitution: constitutionId(c),
    artifactSha256: c.digest.replace(/^sha256:/, ""),
    limits: limitDeclarations(c),
    decide: (input) => evaluateDecision(c, input),
    register: (input) => evaluateRegistration(c, input),
  };
}
