// Stage 4: articles and their rules. Article numbers must be unique by value (`VII` and `7` clash),
// rule codes unique across the constitution (a limit claims `<name>_exceeded`); conditions are
// typed, remedies resolved with their defaults, `message` holes checked under the guards of the
// rule's condition, and limit keys held to required scalar input paths.

import type { ArticleDecl, ForbidRule, Identifier, LimitDecl, PermitRule, RemedyRef, Template } from "../ast/nodes.js";
import type { Span } from "../diagnostics/span.js";
import { articleLabel, INVALID_INPUT, NO_APPLICABLE_PERMIT, REMEDIES, type Remedy } from "../../contract/verdict.js";
import { rootEnv, withGuards, type Env, type Globals } from "./env.js";
import { typeCondition, typeExpr } from "./expressions.js";
import { suggestionHint } from "./fuzzy.js";
import { factsWhenTrue } from "./guards.js";
import type { CheckedArticle, CheckedForbid, CheckedLimit, CheckedPermit } from "./model.js";
import { isPathExpr, typePath } from "./paths.js";
import { whereIs, type Reporter } from "./reporter.js";
import { isScalar } from "./type-ops.js";
import { typeToString } from "../ast/types.js";

const WINDOW_SECONDS = { second: 1, minute: 60, hour: 3600 } as const;

export interface CheckedArticles {
  /** Sorted by article number. */
  articles: CheckedArticle[];
  permitsInSourceOrder: CheckedPermit[];
  /** Every code a verdict can name as its violation: forbid codes and `<limit>_exceeded`. */
  violationCodes: string[];
}

export function checkArticles(decls: readonly ArticleDecl[], globals: Globals): CheckedArticles {
  const codes = new RuleCodes(globals.reporter);
  const numbers = new Map<number, ArticleDecl>();
  const articles = decls.map((decl) => {
    claimNumber(decl, numbers, globals.reporter);
    return checkArticle(decl, codes, rootEnv(globals, { kind: "all" }));
  });
  return {
    articles: [...articles].sort((a, b) => a.numberValue - b.numberValue),
    permitsInSourceOrder: articles.flatMap((a) => a.rules.filter((r): r is CheckedPermit => r.kind === "permit")),
    violationCodes: codes.claimed(),
  };
}

function claimNumber(decl: ArticleDecl, numbers: Map<number, ArticleDecl>, reporter: Reporter): void {
  const value = decl.number.value;
  if (value === 0) return; // an invalid numeral, reported by the parser
  const first = numbers.get(value);
  if (first === undefined) {
    numbers.set(value, decl);
    return;
  }
  const valueNote = decl.number.text === String(value) ? "" : ` (${value})`;
  reporter.error(
    "MG2040",
    decl.number.span,
    `duplicate article number \`${decl.number.text}\`${valueNote}`,
    `article \`${first.number.text}\` is declared at ${whereIs(first.number.span)}`,
  );
}

/** Codes a verdict uses for its own outcomes. */
const RESERVED_CODES: ReadonlySet<string> = new Set([NO_APPLICABLE_PERMIT, INVALID_INPUT]);

/** Rule codes are unique across the constitution. */
class RuleCodes {
  private readonly firsts = new Map<string, Span>();
  private readonly violations: string[] = [];

  constructor(private readonly reporter: Reporter) {}

  /** `reportable`: the code can be a verdict's violation (forbids and limits, not permits). */
  claim(code: string, span: Span, reportable: boolean): void {
    const first = this.firsts.get(code);
    if (RESERVED_CODES.has(code)) {
      this.reporter.error(
        "MG2041",
        span,
        `rule code \`${code}\` is reserved`,
        "verdicts use it for their own outcome; choose another code",
      );
    } else if (first !== undefined) {
      this.reporter.error("MG2041", span, `duplicate rule code \`${code}\``, `first used at ${whereIs(first)}`);
    } else {
      this.firsts.set(code, span);
      if (reportable) this.violations.push(code);
    }
  }

  claimed(): string[] {
    return [...this.violations];
  }
}

function checkArticle(decl: ArticleDecl, codes: RuleCodes, env: Env): CheckedArticle {
  const rules: (CheckedForbid | CheckedPermit)[] = [];
  const limits: CheckedLimit[] = [];
  for (const item of decl.items) {
    if (item.kind === "Limit") limits.push(checkLimit(item, codes, env));
    else if (item.kind === "Forbid") rules.push(checkForbid(item, rules.length + 1, codes, env));
    else rules.push(checkPermit(item, rules.length + 1, decl, codes, env));
  }
  return {
    number: decl.number.text,
    numberValue: decl.number.value,
    title: decl.title.value,
    label: articleLabel(decl.number.text, decl.title.value),
    enforcement: decl.enforcement ?? "mandatory",
    rules,
    limits,
    node: decl,
  };
}

function checkForbid(rule: ForbidRule, position: number, codes: RuleCodes, env: Env): CheckedForbid {
  codes.claim(rule.code.name, rule.code.span, true);
  typeCondition(rule.when, env, "a `when` condition");
  if (rule.message !== undefined) checkTemplate(rule.message, withGuards(env, factsWhenTrue(rule.when)));
  return {
    kind: "forbid",
    code: rule.code.name,
    position,
    when: rule.when,
    remedy: resolveRemedy(rule.remedy, "none", env.globals.reporter),
    appeal: rule.appeal?.value ?? null,
    message: rule.message ?? null,
    node: rule,
  };
}

function checkPermit(
  rule: PermitRule,
  position: number,
  article: ArticleDecl,
  codes: RuleCodes,
  env: Env,
): CheckedPermit {
  if (rule.code !== undefined) codes.claim(rule.code.name, rule.code.span, false);
  typeCondition(rule.when, env, "a `when` condition");
  return { kind: "permit", code: permitCode(rule.code, article, position), position, when: rule.when, node: rule };
}

function permitCode(code: Identifier | undefined, article: ArticleDecl, position: number): string {
  return code?.name ?? `${article.number.text}.${position}`;
}

function resolveRemedy(ref: RemedyRef | undefined, fallback: Remedy, reporter: Reporter): Remedy {
  if (ref === undefined) return fallback;
  if ((REMEDIES as readonly string[]).includes(ref.name)) return ref.name as Remedy;
  reporter.error("MG2006", ref.span, `unknown remedy \`${ref.name}\``, suggestionHint(ref.name, REMEDIES, "remedies"));
  return fallback;
}

/** Holes are scalar paths; they may read what the rule's condition guards. */
function checkTemplate(template: Template, env: Env): void {
  for (const part of template.parts) {
    if (part.kind !== "Hole") continue;
    const type = typeExpr(part.expr, env);
    if (!isPathExpr(part.expr)) {
      env.globals.reporter.error(
        "MG2010",
        part.expr.span,
        "a `message` hole must be a path",
        "write a field path such as `{agent.id}`; compute values in the condition instead",
      );
    } else if (!isScalar(type) && type.kind !== "error") {
      env.globals.reporter.error(
        "MG2010",
        part.expr.span,
        `a \`message\` hole must be a string, number, bool or enum, found \`${typeToString(type)}\``,
        "interpolate a single field, e.g. `{agent.id}`",
      );
    }
  }
}

function checkLimit(limit: LimitDecl, codes: RuleCodes, env: Env): CheckedLimit {
  const { reporter } = env.globals;
  codes.claim(`${limit.name.name}_exceeded`, limit.name.span, true);
  const count = limit.count.value;
  if (!Number.isInteger(count) || count <= 0) {
    reporter.error(
      "MG2070",
      limit.count.span,
      `a limit count must be a positive integer, found \`${limit.count.raw}\``,
      "write how many events the window allows, e.g. `to 100 per minute`",
    );
  }
  limit.count.$type = { kind: "number" };
  return {
    name: limit.name.name,
    keyPath: checkLimitKey(limit, env),
    count,
    windowSeconds: WINDOW_SECONDS[limit.window],
    remedy: resolveRemedy(limit.remedy, "throttle", reporter),
    node: limit,
  };
}

/** The key must be a required input field of type string, number or enum; returns its path. */
function checkLimitKey(limit: LimitDecl, env: Env): string[] {
  const { reporter } = env.globals;
  const hint = "key limits by a required input field, e.g. `per agent.id`";
  if (!isPathExpr(limit.key)) {
    typeExpr(limit.key, env);
    reporter.error("MG2070", limit.key.span, "a limit key must be an input path", hint);
    return [];
  }
  const info = typePath(limit.key, env, undefined, typeExpr);
  if (info.type.kind === "error") return [];
  const last = info.steps?.[info.steps.length - 1];
  const optional = info.steps?.find((s) => s.optional);
  if (last === undefined || info.steps![0]!.node.$ref?.kind !== "input") {
    reporter.error("MG2070", limit.key.span, "a limit key must be an input path", hint);
  } else if (optional !== undefined) {
    reporter.error(
      "MG2070",
      limit.key.span,
      `limit key \`${last.key}\` may be absent: \`${optional.key}\` is optional`,
      hint,
    );
  } else if (info.type.kind !== "string" && info.type.kind !== "number" && info.type.kind !== "enum") {
    reporter.error(
      "MG2070",
      limit.key.span,
      `a limit key must be a string, number or enum, found \`${typeToString(info.type)}\``,
      hint,
    );
  }
  return last === undefined ? [] : last.key.split(".");
}
