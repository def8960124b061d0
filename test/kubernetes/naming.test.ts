import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deploymentNameFor } from "../../adapters/kubernetes/naming.js";

describe("deploymentNameFor", () => {
  it("follows the seed: advisor_7f2a9c1b runs as advisor-7f2a9c1b", () => {
    expect(deploymentNameFor("advisor_7f2a9c1b")).toBe("advisor-7f2a9c1b");
  });

  it("applies a naming rule and lowercases", () => {
    expect(deploymentNameFor("Advisor_7F", "agent-{agent}")).toBe("agent-advisor-7f");
  });

  it("rejects ids that cannot be made DNS-1123 labels, saying why", () => {
    expect(() => deploymentNameFor("_leading")).toThrow(/`-leading` is not a DNS-1123 label/);
    expect(() => deploymentNameFor("has.dot")).toThrow(/not a DNS-1123 label/);
    expect(() => deploymentNameFor("a".repeat(60))).toThrow(/at most 52 are allowed/);
    expect(() => deploymentNameFor("x", "fixed")).toThrow(/must contain `\{agent\}`/);
  });

  it("property: every name it returns is a DNS-1123 label that leaves room for `quarantine-`", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (agent) => {
        let name: string;
        try {
          name = deploymentNameFor(agent);
        } catch {
          return;
        }
        expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
        expect(`quarantine-${name}`.length).toBeLessThanOrEqual(63);
      }),
    );
  });
});
