// The runtime's Unicode case tables (runtime/module/generated/unicode-case.ts) are what
// scripts/gen-unicode-case.mjs generates from this Node's JavaScript and AssemblyScript's casemap,
// so a Node whose ICU brings a newer Unicode fails here with the command that regenerates them.

import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";

describe("the runtime's Unicode case tables", () => {
  it("runtime/module/generated/unicode-case.ts is what scripts/gen-unicode-case.mjs generates on this Node", () => {
    // Needs assemblyscript (a dependency) to compile the casemap probe; takes a few seconds.
    const { status, stdout, stderr } = spawnSync(process.execPath, ["scripts/gen-unicode-case.mjs", "--check"], {
      encoding: "utf8",
    });
    expect(status, stderr).toBe(0);
    expect(stdout).toContain("is up to date");
  });
});
