// The decision entrypoint (docs/language.md, "Verdicts"), spelled out step by step: validate (fail closed),
// evaluate every rule, then combine — default deny, forbid overrides permit, advisory never denies.

import type { CheckedArticle, CheckedConstitution, CheckedForbid } from "../check/model.js";
import type { PermitRule } from "../ast/nodes.js";
import { validateInput } from "../../contract/validate-input.js";
import {
  ACTION_TAKEN,
  NO_APPLICABLE_PERMIT,
  invalidInputVerdict,
  makeVerdict,
  remedyRank,
  type ConstitutionId,
  type Verdict,
  type Violation,
} from "../../contract/verdict.js";
import { holds, rootScope, type Scope } from "./evaluate.js";
import { renderMessage } from "./message.js";
import { projectInput } from "./project-input.js";

export function constitutionId(c: CheckedConstitution): ConstitutionId {
  return { name: c.name, version: c.version, digest: c.digest };
}

/** A violation with what the verdict needs beyond the reported object. */
interface HeldForbid {
  violation: Violation;
  article: CheckedArticle;
  rule: CheckedForbid;
}

interface RuleOutcomes {
  /** In article-number order, then source order: the order `violations` reports. */
  forbids: HeldForbid[];
  permits: Set<PermitRule>;
}

export function evaluateDecision(c: CheckedConstitution, input: unknown): Verdict {
  const error = validateInput(c.schema, input);
  if (error !== null) return invalidInputVerdict(error, constitutionId(c));
  const outcomes = evaluateRules(c, rootScope(projectInput(c.schema, input), c.lets));
  return buildVerdict(c, outcomes);
}

/** Every rule is evaluated, in article-number order (stable, so source order within an article). */
function evaluateRules(c: CheckedConstitution, scope: Scope): RuleOutcomes {
  const outcomes: RuleOutcomes = { forbids: [], permits: new Set() };
  const articles = [...c.articles].sort((a, b) => a.numberValue - b.numberValue);
  for (const article of articles) {
    for (const rule of article.rules) {
      if (!holds(rule.when, scope)) continue;
      if (rule.kind === "permit") outcomes.permits.add(rule.node);
      else outcomes.forbids.push({ violation: violationOf(article, rule, scope), article, rule });
    }
  }
  return outcomes;
}

function violationOf(article: CheckedArticle, rule: CheckedForbid, scope: Scope): Violation {
  return {
    article: article.number,
    code: rule.code,
    remedy: rule.remedy,
    enforcement: article.enforcement,
    message: rule.message === null ? null : renderMessage(rule.message, scope),
  };
}

/**
 * The most severe mandatory violation. `forbids` is already in article, then source order, so
 * keeping the first of the highest rank breaks ties as step 4 of "Verdicts" says.
 */
function determiningViolation(forbids: readonly HeldForbid[]): HeldForbid | null {
  let determining: HeldForbid | null = null;
  for (const held of forbids) {
    if (held.violation.enforcement !== "mandatory") continue;
    if (determining === null || remedyRank(held.rule.remedy) > remedyRank(determining.rule.remedy)) determining = held;
  }
  return determining;
}

function buildVerdict(c: CheckedConstitution, outcomes: RuleOutcomes): Verdict {
  const determining = determiningViolation(outcomes.forbids);
  const permitted = determining === null && outcomes.permits.size > 0;
  const violation = permitted ? null : (determining?.rule.code ?? NO_APPLICABLE_PERMIT);
  const outcome = {
    permitted,
    violation,
    constitutional_article: determining?.article.label ?? null,
    action_taken: ACTION_TAKEN[determining?.rule.remedy ?? "none"],
    appeal_process: determining?.rule.appeal ?? null,
  };
  const violations = outcomes.forbids.map((held) => held.violation);
  const permits = c.permitsInSourceOrder
    .filter((permit) => outcomes.permits.has(permit.node))
    .map((permit) => permit.code);
  return makeVerdict(outcome, violations, permits, constitutionId(c));
}
