// Adds `<name>_exceeded` violations to an engine's verdict (docs/language.md, "Rate limits") and
// recomputes the verdict's head with the steps of "Verdicts" there, in this one place. A limit's
// violation sorts after the rules of its own article: limit declarations carry no source position.

import type { LimitDeclaration } from "../contract/engine.js";
import type { ExceededLimit } from "./rate-limits.js";
import {
  ACTION_TAKEN,
  INVALID_INPUT,
  makeVerdict,
  remedyRank,
  type Verdict,
  type Violation,
} from "../contract/verdict.js";

const UNIT_NAMES: Readonly<Record<number, string>> = { 1: "second", 60: "minute", 3600: "hour" };

/** The constant parts of a limit's violation, built once per declaration: merging runs per decision. */
interface LimitText {
  code: string;
  /** `<key path> ` */
  prefix: string;
  /** ` <name> in the last <unit> (limit <N>)` */
  suffix: string;
}

const limitTexts = new WeakMap<LimitDeclaration, LimitText>();

function limitText(limit: LimitDeclaration): LimitText {
  let text = limitTexts.get(limit);
  if (text === undefined) {
    const unit = UNIT_NAMES[limit.windowSeconds] ?? `${limit.windowSeconds} seconds`;
    text = {
      code: `${limit.name}_exceeded`,
      prefix: `${limit.keyPath.join(".")} `,
      suffix: ` ${limit.name} in the last ${unit} (limit ${limit.count})`,
    };
    limitTexts.set(limit, text);
  }
  return text;
}

export function limitViolation({ limit, key, observed }: ExceededLimit): Violation {
  const text = limitText(limit);
  return {
    article: limit.article,
    code: text.code,
    remedy: limit.remedy,
    enforcement: limit.enforcement,
    message: `${text.prefix}${key} made ${observed}${text.suffix}`,
  };
}

/** The verdict with the exceeded limits' violations merged in; unchanged when none or the input was invalid. */
export function mergeLimitViolations(verdict: Verdict, exceeded: readonly ExceededLimit[]): Verdict {
  if (exceeded.length === 0 || verdict.violation === INVALID_INPUT) return verdict;
  let violations = verdict.violations;
  // added[i] is exceeded[i]'s violation.
  const added: Violation[] = [];
  for (const entry of exceeded) {
    const violation = limitViolation(entry);
    added.push(violation);
    violations = inserted(violations, insertionIndex(violations, entry.limit.articleValue), violation);
  }
  const determining = determiningViolation(violations);
  const index = determining === null ? -1 : added.indexOf(determining);
  if (index < 0) return makeVerdict(verdict, violations, verdict.permits, verdict.constitution, verdict.error);
  const { limit } = exceeded[index]!;
  const outcome = {
    permitted: false,
    violation: determining!.code,
    constitutional_article: limit.articleLabel,
    action_taken: ACTION_TAKEN[determining!.remedy],
    // Limits declare no appeal.
    appeal_process: null,
  };
  return makeVerdict(outcome, violations, verdict.permits, verdict.constitution);
}

/** The most severe mandatory violation; ties go to the earliest (lowest article, then source order). */
function determiningViolation(violations: readonly Violation[]): Violation | null {
  let best: Violation | null = null;
  for (const v of violations) {
    if (v.enforcement === "mandatory" && (best === null || remedyRank(v.remedy) > remedyRank(best.remedy))) best = v;
  }
  return best;
}

/** A copy of `list` with `item` at `at` (cheaper than copying, then splicing). */
function inserted<T>(list: readonly T[], at: number, item: T): T[] {
  const result = list.slice(0, at);
  result.push(item);
  for (let i = at; i < list.length; i++) result.push(list[i]!);
  return result;
}

/** After every violation whose article number is at most `articleValue`. */
function insertionIndex(violations: readonly Violation[], articleValue: number): number {
  let index = violations.length;
  while (index > 0 && articleNumberValue(violations[index - 1]!.article) > articleValue) index--;
  return index;
}

const ROMAN_DIGITS: Readonly<Record<string, number>> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

/** Article numbers seen so far: a constitution has few, and limit merging reads them per decision. */
const articleValues = new Map<string, number>();

/** The value of an article number as written: decimal (`12`) or Roman (`XII`). */
export function articleNumberValue(written: string): number {
  let value = articleValues.get(written);
  if (value === undefined) {
    value = parseArticleNumber(written);
    if (articleValues.size < 4096) articleValues.set(written, value);
  }
  return value;
}

function parseArticleNumber(written: string): number {
  if (/^[0-9]+$/.test(written)) return Number(written);
  let total = 0;
  for (let i = 0; i < written.length; i++) {
    const digit = ROMAN_DIGITS[written[i]!] ?? NaN;
    const next = i + 1 < written.length ? (ROMAN_DIGITS[written[i + 1]!] ?? NaN) : 0;
    total += digit < next ? -digit : digit;
  }
  return total;
}
