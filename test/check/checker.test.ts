import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSemanticVersion } from "../../compiler/check/declarations.js";
import { checkConstitution } from "../../compiler/check/index.js";
import type { FileNode } from "../../compiler/ast/nodes.js";
import { compileSources } from "../../compiler/pipeline.js";
import { BROKEN_DIR, brief, compile, diagnosticsOf, PRELUDE, readFixture } from "./support.js";

const rule = (condition: string) => `article I "A" {\n  forbid x when ${condition}\n}\n`;
const codesOf = (body: string) => diagnosticsOf(body).map((d) => d.code);

describe("the checker reports every problem", () => {
  it("reports all independent mistakes of one file, without cascades", () => {
    const { diagnostics } = compileSources([readFixture(BROKEN_DIR, "several-errors.constitution")]);
    expect(diagnostics.map(brief)).toEqual([
      "MG2004 10:19", // unknown type `tstamp`
      "MG2061 13:15", // `ceiling` refers to itself
      "MG2001 16:23", // `clearence`, and no cascade on the bare `secret`
      "MG2020 17:17", // unguarded optional read
      "MG2041 18:10", // duplicate code `a`
      "MG2011 18:17", // `<` on an unordered enum
      "MG2040 21:9", // article `1` duplicates `I`
      "MG2030 22:38", // `\b`, pointed at inside the string
      "MG2006 22:54", // unknown remedy
    ]);
  });
});

describe("type rules", () => {
  const accepted = [
    'action.type == "a" and agent.clearance < secret',
    "secret > agent.clearance",
    "agent.kind == bot or agent.kind != human",
    "agent.kind in {human, bot}",
    "agent.kind in [bot] and [Kind.human] != [bot]",
    "agent.clearance >= Clearance.internal",
    "Kind.bot == agent.kind",
    '"a" in action.type and action.type in {"a", "b"} and "x" in agent.tags',
    'count(agent.tags) + count(action.type) * 2 - 1 > 3 and count(["a"]) == 1',
    'contains(lower(action.type), "x") and starts_with(upper(agent.id), "A") and ends_with(agent.id, "z")',
    'any t in agent.tags: t == "admin"',
    "all t in agent.tags: any u in agent.tags: t == u",
    'action.type < "m" and 1 < 2',
    'has output and output.text matches "^[a-z]+\\\\d{2,3}$"',
    "agent.tags == {} and {} == agent.tags",
  ];
  it.each(accepted)("accepts %s", (condition) => {
    expect(diagnosticsOf(rule(condition))).toEqual([]);
  });

  const rejected: [condition: string, code: string][] = [
    ["agent.clearance < 3", "MG2010"],
    ['"a" + 1 == 2', "MG2010"],
    ["action.type", "MG2010"],
    ["not action.type", "MG2010"],
    ['action.type == "a" and 1', "MG2010"],
    ["agent.kind == Clearance.public", "MG2010"],
    ['agent.kind == "bot"', "MG2010"],
    ["action.type == null", "MG2010"],
    ["1 in agent.tags", "MG2010"],
    ['"a" in 3', "MG2010"],
    ["1 in action.type", "MG2010"],
    ['lower(1) == "a"', "MG2010"],
    ["count(1) == 1", "MG2010"],
    ["any t in action.type: true", "MG2010"],
    ['{1, "a"} == {1}', "MG2010"],
    ["agent.id.length == 1", "MG2010"],
    ["agent.clearance == Clearance", "MG2010"],
    ["{human} == {human}", "MG2003"],
    ["agent.kind < bot", "MG2011"],
    ["true < false", "MG2011"],
    ["agent.tags < agent.tags", "MG2011"],
    ["agent.clearance < secrett", "MG2002"],
    ["agent.clearance == Clearance.top", "MG2002"],
    ["secret == public", "MG2003"],
    ["nothing_here", "MG2003"],
    ['agent.nme == "a"', "MG2001"],
    ["size(agent.tags) == 1", "MG2005"],
    ['lower() == "a"', "MG2005"],
    ["any agent in agent.tags: true", "MG2042"],
    ["any t in agent.tags: any t in agent.tags: true", "MG2042"],
  ];
  it.each(rejected)("rejects %s with %s", (condition, code) => {
    expect(codesOf(rule(condition))).toEqual([code]);
  });

  it("rejects a bare name that is both a let and the expected enum's member (MG2043)", () => {
    expect(codesOf(`let secret = 1\n${rule("agent.clearance == secret")}`)).toEqual(["MG2043"]);
    expect(codesOf(`let secret = 1\n${rule("agent.clearance == Clearance.secret and secret == 1")}`)).toEqual([]);
  });

  it("checks templates: scalar paths only", () => {
    const forbid = (message: string) => `article I "A" {\n  forbid x when true message "${message}"\n}\n`;
    expect(codesOf(forbid("{agent.id} {agent.clearance} {agent.kind}"))).toEqual([]);
    expect(codesOf(forbid("{agent.tags}"))).toEqual(["MG2010"]);
    expect(codesOf(forbid("{agent}"))).toEqual(["MG2010"]);
    expect(codesOf(forbid("{agent.nope}"))).toEqual(["MG2001"]);
  });
});

describe("optional guards", () => {
  const guarded = [
    'has action.target and action.target == "x"',
    'not has action.target or action.target == "x"',
    'not (not has action.target) and action.target == "x"',
    'has output.meta.lang and output.meta.lang == "en" and output.text == "t"',
    "has output and (any t in agent.tags: t == output.text)",
    'has action.target and (action.type == "a" or action.target == "b")',
    'not has output or not has output.meta or output.meta.lang == "x"',
  ];
  it.each(guarded)("accepts %s", (condition) => {
    expect(diagnosticsOf(rule(condition))).toEqual([]);
  });

  const unguarded = [
    'action.target == "x"',
    'action.target == "x" and has action.target',
    'has action.target or action.target == "x"',
    'has output and output.meta.lang == "en"',
    'not (has action.target and action.target == "x") and action.target == "y"',
    "any t in agent.tags: t == output.text",
  ];
  it.each(unguarded)("rejects %s with MG2020", (condition) => {
    expect(codesOf(rule(condition))).toEqual(["MG2020"]);
  });

  it("lets a message read what its condition guards, and only that", () => {
    const forbid = (when: string) => `article I "A" {\n  forbid x when ${when} message "{action.target}"\n}\n`;
    expect(codesOf(forbid('has action.target and action.type == "r"'))).toEqual([]);
    expect(codesOf(forbid('action.type == "r"'))).toEqual(["MG2020"]);
    expect(codesOf(forbid('action.type == "r" or has action.target'))).toEqual(["MG2020"]);
  });

  it("warns on `has` of a path with no optional part (MG2090), without failing", () => {
    const { diagnostics, constitution } = compile({ "t.constitution": PRELUDE + rule("has agent.id") });
    expect(diagnostics.map((d) => `${d.code} ${d.severity}`)).toEqual(["MG2090 warning"]);
    expect(constitution).not.toBeNull();
  });
});

describe("let constants", () => {
  const letsOf = (body: string) => {
    const result = compile({ "t.constitution": PRELUDE + body });
    expect(result.diagnostics).toEqual([]);
    return Object.fromEntries(result.constitution!.lets);
  };

  it("folds literals, collections, arithmetic, builtins and other lets in any order", () => {
    expect(
      letsOf(`let b = a * 2 + 1
let a = 20
let s = {"x", "y", "x"}
let l = ["x", "x"]
let n = count(s) + count(l) + count("héllo")
let t = lower("AB") == "ab" and "x" in s and not contains("abc", "d")
let e = {Clearance.public, Clearance.secret}
let c = Clearance.public < Clearance.secret
let q = any v in s: v == "y"
let m = "abc" matches "^a"
let neg = -3.5
`),
    ).toEqual({
      a: 20,
      b: 41,
      s: ["x", "y"],
      l: ["x", "x"],
      n: 9,
      t: true,
      e: ["public", "secret"],
      c: true,
      q: true,
      m: true,
      neg: -3.5,
    });
  });

  it("folds trim as JavaScript trims, and types its argument as a string (MG2010)", () => {
    const lets = letsOf(`let k = trim("\\u00a0\\t key\\u2028\\u3000")\nlet z = count(trim("\\u200b "))\n`);
    expect(lets).toEqual({ k: "key", z: 1 });
    expect(codesOf("let bad = trim(1)")).toEqual(["MG2010"]);
    expect(codesOf('let bad = trim("a", "b")')).toEqual(["MG2005"]);
  });

  it("rejects input reads (MG2060), cycles (MG2061) and overflow (MG2060)", () => {
    expect(codesOf("let me = agent.id")).toEqual(["MG2060"]);
    expect(codesOf("let a = b\nlet b = c\nlet c = a")).toEqual(["MG2061"]);
    expect(codesOf("let huge = 1e308 * 10")).toEqual(["MG2060"]);
  });

  it("rejects a let that shadows a schema root (MG2042)", () => {
    expect(codesOf('let agent = "a"')).toEqual(["MG2042"]);
  });
});

describe("files and declarations", () => {
  it("accepts a constitution split over several files, tests included", () => {
    const result = compile({
      "a.constitution": PRELUDE,
      "b.constitution": 'article I "A" {\n  permit when agent.id == "x"\n}\n',
      "b_test.constitution":
        'test "t" {\n  input {"agent": {"id": "x", "kind": "bot", "clearance": "public", "tags": []}, "action": {"type": "r"}}\n  expect permit\n}\n',
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.constitution!.tests.map((t) => t.name.value)).toEqual(["t"]);
  });

  it("rejects non-test declarations in test files and a header in two files", () => {
    const result = compile({
      "a.constitution": PRELUDE,
      "b.constitution": PRELUDE.split("\n")[0]!,
      "x_test.constitution": "let a = 1",
    });
    expect(result.diagnostics.map(brief)).toEqual(expect.arrayContaining(["MG2050 1:1", "MG2080 1:1"]));
    expect(result.diagnostics.map((d) => d.span.file).sort()).toEqual(["b.constitution", "x_test.constitution"]);
  });

  it.each([
    ["1.0.0", []],
    ["0.1.0-rc.1+build.7", []],
    ["one", ["MG2052"]],
    ["1", ["MG2052"]],
    ["1.0", ["MG2052"]],
    ["01.0.0", ["MG2052"]],
    ["v1.0.0", ["MG2052"]],
  ])("accepts only a semantic version: `%s`", (version, codes) => {
    const text = PRELUDE.replace('version "1.0.0"', `version "${version}"`);
    expect(compile({ "t.constitution": text }).diagnostics.map((d) => d.code)).toEqual(codes);
  });

  it("property: MAJOR.MINOR.PATCH of non-negative integers is a version; a leading zero or a `v` is not", () => {
    const part = fc.nat();
    const tail = fc.constantFrom("", "-rc.1", "-alpha.beta", "+build.5", "-0.3+sha.a1b2");
    fc.assert(
      fc.property(part, part, part, tail, (a, b, c, tail) => {
        const version = `${a}.${b}.${c}${tail}`;
        return isSemanticVersion(version) && !isSemanticVersion(`0${version}`) && !isSemanticVersion(`v${version}`);
      }),
    );
  });

  it("suggests the full version for `1` and `1.0` (MG2052)", () => {
    const hintFor = (version: string) =>
      compile({ "t.constitution": PRELUDE.replace('"1.0.0"', `"${version}"`) }).diagnostics[0]?.hint;
    expect(hintFor("1")).toBe("write all three parts: `1.0.0`");
    expect(hintFor("2.3")).toBe("write all three parts: `2.3.0`");
  });

  it("rejects a repeated registration block (MG2051) and an enum named like a built-in type (MG2042)", () => {
    expect(codesOf('registration {\n  grant "a" when true\n}\nregistration {\n  grant "b" when true\n}')).toEqual([
      "MG2051",
    ]);
    expect(codesOf("enum string { a }")).toEqual(["MG2042"]);
    expect(codesOf("enum E { a, b, a }")).toEqual(["MG2042"]);
  });

  it("rejects reserved and duplicate codes, counting limit names as `<name>_exceeded` (MG2041)", () => {
    expect(codesOf('article I "A" {\n  forbid invalid_input when true\n}')).toEqual(["MG2041"]);
    expect(
      codesOf('article I "A" {\n  limit a per agent.id to 1 per second\n  limit a per agent.id to 2 per second\n}'),
    ).toEqual(["MG2041"]);
    expect(codesOf('article I "A" {\n  permit p when true\n}\narticle II "B" {\n  forbid p when true\n}')).toEqual([
      "MG2041",
    ]);
  });

  it("holds limits to positive integer counts and required scalar keys (MG2070)", () => {
    const limit = (key: string, count: string) => `article I "A" {\n  limit l per ${key} to ${count} per hour\n}`;
    expect(codesOf(limit("agent.id", "10"))).toEqual([]);
    expect(codesOf(limit("agent.clearance", "1"))).toEqual([]);
    expect(codesOf(limit("agent.id", "1.5"))).toEqual(["MG2070"]);
    expect(codesOf(limit("agent.tags", "1"))).toEqual(["MG2070"]);
    expect(codesOf(limit("agent", "1"))).toEqual(["MG2070"]);
    expect(codesOf(limit("output.text", "1"))).toEqual(["MG2070"]);
  });
});

describe("policy tests", () => {
  const withTest = (input: string, expectation: string) =>
    compile({
      "t.constitution": `${PRELUDE}article VII "A" {\n  forbid f when true\n  limit l per agent.id to 1 per minute\n}\n`,
      "t_test.constitution": `test "t" {\n  input ${input}\n  ${expectation}\n}\n`,
    }).diagnostics.map((d) => d.code);
  const good = '{"agent": {"id": "x", "kind": "bot", "clearance": "public", "tags": ["a"]}, "action": {"type": "r"}}';
  const bad = '{"agent": {"id": "x", "kind": "bot", "clearance": "public", "tags": [1]}, "action": {"type": "r"}}';

  it.each([
    ["expect deny f", []],
    ["expect deny l_exceeded", []],
    ["expect deny no_applicable_permit article 7", []],
    ['expect verdict {"violation": "f", "violations": [{"article": "VII", "code": "f"}]}', []],
    ["expect deny g", ["MG3002"]],
    ["expect deny f article VIII", ["MG3002"]],
    ['expect verdict {"violation": "g"}', ["MG3002"]],
    ['expect verdict {"violations": [{"article": "7", "code": "f"}]}', ["MG3002"]],
    ['expect verdict {"permitted": false, "action_taken": "none", "permits": [], "error": "", "constitution": {}}', []],
    ['expect verdict {"permited": false}', ["MG3003"]],
    ['expect verdict {"violations": [{"code": "f", "remedie": "none"}]}', ["MG3003"]],
    ['expect registration {"namespace": null, "permission": []}', ["MG3003"]],
    ['expect deny f action_taken "agent_suspended"', []],
    ['expect deny f action_taken "suspended"', ["MG3004"]],
    ['expect verdict {"action_taken": "agent_quarantine"}', ["MG3004"]],
  ])("checks the expectation `%s`", (expectation, codes) => {
    const agentOnly = '{"agent": {"id": "x", "kind": "bot", "clearance": "public", "tags": []}}';
    const input = expectation.includes("registration") ? agentOnly : good;
    expect(withTest(input, expectation)).toEqual(codes);
  });

  it("suggests the field or value meant (MG3003, MG3004), and names a remedy's action", () => {
    const hintOf = (expectation: string) =>
      compile({
        "t.constitution": `${PRELUDE}article VII "A" {\n  forbid f when true\n}\n`,
        "t_test.constitution": `test "t" {\n  input ${good}\n  ${expectation}\n}\n`,
      }).diagnostics.map((d) => `${d.code} ${d.message} / ${d.hint}`);
    expect(hintOf('expect verdict {"permited": false}')).toEqual([
      "MG3003 `permited` is not a field of a verdict / did you mean `permitted`?",
    ]);
    expect(hintOf('expect deny f action_taken "suspend"')).toEqual([
      "MG3004 `suspend` is not an `action_taken` value / `suspend` is a remedy; the verdict says `agent_suspended`",
    ]);
    expect(hintOf('expect deny f action_taken "agent_quarantine"')[0]).toContain("did you mean `agent_quarantined`?");
  });

  it("validates inputs against the schema unless the test expects invalid input", () => {
    expect(withTest(bad, "expect permit")).toEqual(["MG3001"]);
    expect(withTest(bad, "expect deny invalid_input")).toEqual([]);
    expect(withTest(bad, 'expect verdict {"violation": "invalid_input"}')).toEqual([]);
  });

  it("validates registration requests against the schema's `agent` only", () => {
    const agent = '{"agent": {"id": "x", "kind": "bot", "clearance": "public", "tags": []}}';
    expect(withTest(agent, 'expect registration {"namespace": null, "permissions": []}')).toEqual([]);
    expect(withTest('{"agent": {"id": 1}}', 'expect registration {"namespace": null, "permissions": []}')).toEqual([
      "MG3001",
    ]);
  });

  it("points MG3001 at the offending JSON value", () => {
    const result = compile({
      "t.constitution": PRELUDE,
      "t_test.constitution": `test "t" {\n  input ${bad}\n  expect permit\n}\n`,
    });
    const d = result.diagnostics[0]!;
    expect(d.message).toContain("agent.tags[0]: expected string, got number");
    expect(brief(d)).toBe(`MG3001 2:${bad.indexOf("[1]") + 10}`);
  });
});

describe("internal errors", () => {
  it("turns a crash into MG9001 instead of throwing", () => {
    const broken = {
      kind: "File",
      path: "x.constitution",
      declarations: [{ kind: "Let", name: { kind: "Identifier", name: "a" }, value: { kind: "Bogus" } }],
    } as unknown as FileNode;
    const result = checkConstitution([broken], []);
    expect(result.constitution).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toEqual(["MG9001"]);
  });
});

describe("regex diagnostics point inside the string literal", () => {
  it("accounts for JSON escapes before the offending character", () => {
    const source = PRELUDE + rule('action.type matches "\\u00e9\\\\d(?=x)"');
    const [d] = compile({ "t.constitution": source }).diagnostics;
    const line = source.split("\n")[d!.span.start.line - 1]!;
    expect(line.slice(d!.span.start.column - 1, d!.span.end.column - 1)).toBe("(");
    expect(d!.message).toBe("invalid regular expression: lookahead is not supported");
  });
});

it("reads the reference constitution without diagnostics", () => {
  const paths = ["constitution/musgo.constitution", "constitution/musgo_test.constitution"];
  const result = compileSources(paths.map((path) => ({ path, text: readFileSync(path, "utf8") })));
  expect(result.diagnostics).toEqual([]);
  expect(result.constitution).not.toBeNull();
});

it("still checks the contents of a repeated schema or registration block", () => {
  expect(codesOf("schema { x: strng }")).toEqual(["MG2051", "MG2004"]);
  expect(
    codesOf('registration {\n  grant "a" when true\n}\nregistration {\n  grant "b" when agent.nme == "x"\n}'),
  ).toEqual(["MG2051", "MG2001"]);
});
