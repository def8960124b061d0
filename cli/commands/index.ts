// The command registry. Commands load lazily: `musgo check` must not pay for importing the
// Kubernetes client or the WASM toolchain (start-up time is part of every CI run).

import type { Command } from "../io.js";

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: CommandEntry[] = [
  {
    name: "check",
    summary: "type-check a constitution and its tests",
    load: async () => (await import("./check.js")).checkCommand,
  },
  {
    name: "fmt",
    summary: "format constitutions in the canonical layout",
    load: async () => (await import("./fmt.js")).fmtCommand,
  },
  {
    name: "eval",
    summary: "judge decision inputs and print verdicts",
    load: async () => (await import("./eval.js")).evalCommand,
  },
  {
    name: "test",
    summary: "run the test blocks of *_test.constitution files",
    load: async () => (await import("./test.js")).testCommand,
  },
  {
    name: "build",
    summary: "compile a constitution to a WebAssembly module (OPA WASM ABI 1.3)",
    load: async () => (await import("./build.js")).buildCommand,
  },
  {
    name: "enforce",
    summary: "judge a decision input and carry out its remedy (Kubernetes, Vault)",
    load: async () => (await import("./enforce.js")).enforceCommand,
  },
  {
    name: "plan",
    summary: "print the actions a verdict would cause, as YAML, without touching anything",
    load: async () => (await import("./plan.js")).planCommand,
  },
  {
    name: "release",
    summary: "undo an agent's quarantine and suspension (after an appeal)",
    load: async () => (await import("./release.js")).releaseCommand,
  },
  {
    name: "audit",
    summary: "verify a signed audit log, prove a record, manage the audit key",
    load: async () => (await import("./audit.js")).auditCommand,
  },
];
