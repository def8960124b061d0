// A small constitution around issue 10's example (a duplicate `clearance` key that JSON.parse
// resolves to its last value), for the strict-input tests of the library and of the CLI.

import fc from "fast-check";

export const SECRETS_SOURCE = `constitution secrets version "1.0.0"

enum Clearance { sandbox < standard < breakglass }
enum Kind { coder, reviewer }

schema {
  agent: { id: string, kind: Kind, clearance: Clearance },
  action: {
    tool: string,
    secret?: { name: string, tier: Clearance },
    tags?: set<string>,
    steps?: list<number>,
  },
}

article I "Secrets" {
  permit read_secret
    when action.tool == "secret_read" and has action.secret and agent.clearance >= action.secret.tier
  permit tagged when has action.tags and "safe" in action.tags
  forbid reviewer_breakglass
    when has action.secret and action.secret.tier == breakglass and agent.kind == reviewer
    remedy suspend
    message "agent {agent.id} may not read {action.secret.name}"
  forbid long_plan when has action.steps and count(action.steps) > 2 message "{agent.id}: too many steps"
}

registration {
  namespace "coders" when agent.kind == coder
  grant "read:secrets" when agent.clearance >= standard
}
`;

/** Issue 10's example: a sandbox coder whose second `clearance` key says breakglass. */
export const DUPLICATE_CLEARANCE =
  '{"agent":{"id":"c1","kind":"coder","clearance":"sandbox","clearance":"breakglass"},' +
  '"action":{"tool":"secret_read","secret":{"name":"prod/root","tier":"breakglass"}}}';

const clearanceArb = fc.constantFrom<unknown>("sandbox", "standard", "breakglass", "root", 2);

/** Decision inputs for SECRETS_SOURCE: mostly well-typed, so permits, forbids and mismatches all occur. */
export const secretsInputArb: fc.Arbitrary<unknown> = fc.record(
  {
    agent: fc.record({
      id: fc.constantFrom("c1", "r2", "é😀", "", 'a"b\\c'),
      kind: fc.constantFrom<unknown>("coder", "reviewer", "admin"),
      clearance: clearanceArb,
    }),
    action: fc.record(
      {
        tool: fc.constantFrom("secret_read", "deploy"),
        secret: fc.record({ name: fc.constantFrom("prod/root", "dev/key"), tier: clearanceArb }),
        tags: fc.array(fc.constantFrom("safe", "x", "safe")),
        steps: fc.array(fc.oneof(fc.integer(), fc.double({ noNaN: true })), { maxLength: 4 }),
      },
      { requiredKeys: ["tool"] },
    ),
  },
  { requiredKeys: ["agent"] },
);
