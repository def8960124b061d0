// Adds `<name>_exceeded` violations to an engine's verdict (LANGUAGE.md §8) and recomputes the
// verdict's head with the rules of §6, in this one place. A limit's violation sorts after the rules
// of its own article: limit declarations carry no source position.

import type { ExceededLimit } from "./rate-limits.js";
import { ACTION_TAKEN, INVALID_INPUT, remedyRank, type Verdict, type Violation } from "../verdict.js";

const UNIT_NAMES: Readonly<Record<number, string>> = { 1: "second", 60: "minute", 3600: "hour" };

export function limitViolation({ limit, key, observed }: ExceededLimit): Violation {
  const unit = UNIT_NAMES[limit.windowSeconds] ?? `${limit.windowSeconds} seconds`;
  return {
    article: limit.article,
    code: `${limit.name}_exceeded`,
    remedy: limit.remedy,
    enforcement: limit.enforcement,
    message: `${limit.keyPath.join(".")} ${key} made ${observed} ${limit.name} in the last ${unit} (limit ${limit.count})`,
  };
}

/** The verdict with the exceeded limits' violations merged in; unchanged when none or the input was invalid. */
export function mergeLimitViolations(verdict: Verdict, exceeded: readonly ExceededLimit[]): Verdict {
  if (exceeded.length === 0 || verdict.violation === INVALID_INPUT) return verdict;
  const added = new Map<Violation, ExceededLimit>();
  const violations = [...verdict.violations];
  for (const entry of exceeded) {
    const violation = limitViolation(entry);
    added.set(violation, entry);
    violations.splice(insertionIndex(violations, entry.limit.articleValue), 0, violation);
  }
  const determining = determiningViolation(violations);
  if (determining === null || !added.has(determining)) return { ...verdict, violations };
  const { limit } = added.get(determining)!;
  return {
    permitted: false,
    violation: determining.code,
    constitutional_article: limit.articleLabel,
    action_taken: ACTION_TAKEN[determining.remedy],
    // Limits declare no appeal.
    appeal_process: null,
    violations,
    permits: verdict.permits,
    constitution: verdict.constitution,
  };
}

/** The most severe mandatory violation; ties go to the earliest (lowest article, then source order). */
function determiningViolation(violations: readonly Violation[]): Violation | null {
  let best: Violation | null = null;
  for (const v of violations) {
    if (v.enforcement === "mandatory" && (best === null || remedyRank(v.remedy) > remedyRank(best.remedy))) best = v;
  }
  return best;
}

/** After every violation whose article number is at most `articleValue`. */
function insertionIndex(violations: readonly Violation[], articleValue: number): number {
  let index = violations.length;
  while (index > 0 && articleNumberValue(violations[index - 1]!.article) > articleValue) index--;
  return index;
}

const ROMAN_DIGITS: Readonly<Record<string, number>> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

/** The value of an article number as written: decimal (`12`) or Roman (`XII`). */
export function articleNumberValue(written: string): number {
  if (/^[0-9]+$/.test(written)) return Number(written);
  let total = 0;
  for (let i = 0; i < written.length; i++) {
    const digit = ROMAN_DIGITS[written[i]!] ?? NaN;
    const next = i + 1 < written.length ? (ROMAN_DIGITS[written[i + 1]!] ?? NaN) : 0;
    total += digit < next ? -digit : digit;
  }
  return total;
}
