// Opening a log the writer cannot continue is an AuditLogError naming the file and what to do; the
// CLI (`eval`, `enforce`) turns it into one `error:` line and exit 1, never a stack trace.

import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AuditLogError, openAuditLog, type AuditSigner } from "../../adapters/audit/index.js";
import { runCli } from "../support/cli.js";
import { forgeChained, LOG_NAME, newSigner, tempDir, writeLog } from "./support.js";

interface Case {
  name: string;
  /** Makes the file to open; returns its path and the signer and name to open it with. */
  setup(dir: string, signer: AuditSigner): Promise<{ path: string; logName?: string; signer?: AuditSigner }>;
  message: RegExp;
}

const lines = (path: string): string[] => readFileSync(path, "utf8").split("\n").slice(0, -1);
const rewrite = (path: string, edit: (lines: string[]) => string[]): void => {
  writeFileSync(
    path,
    edit(lines(path))
      .map((l) => `${l}\n`)
      .join(""),
  );
};

const CASES: Case[] = [
  {
    name: "a missing parent directory",
    setup: async (dir) => ({ path: join(dir, "missing", "audit.jsonl") }),
    message: /^cannot create the audit log `.*\/missing\/audit\.jsonl`: the directory `.*\/missing` does not exist/,
  },
  {
    name: "a directory",
    setup: async (dir) => {
      mkdirSync(join(dir, "logs"));
      return { path: join(dir, "logs") };
    },
    message: /^`.*\/logs` is a directory, not an audit log file: name a file \(e\.g\. `.*\/logs\/audit\.jsonl`\)$/,
  },
  {
    name: "a text file that is not an audit log",
    setup: async (dir) => {
      writeFileSync(join(dir, "notes.txt"), "remember the milk\n");
      return { path: join(dir, "notes.txt") };
    },
    message: /^`.*\/notes\.txt` is not an audit log: line 1 is not an audit record \(name another file\)$/,
  },
  {
    name: "a JSON file that is not an audit log",
    setup: async (dir) => {
      writeFileSync(join(dir, "config.json"), '{"vault":{"address":"https://vault"}}');
      return { path: join(dir, "config.json") };
    },
    message: /^`.*\/config\.json` is not an audit log: line 1 is not an audit record \(name another file\)$/,
  },
  {
    name: "a log with a deleted record",
    setup: async (dir, signer) => {
      const path = join(dir, "audit.jsonl");
      await writeLog(path, signer, 10);
      rewrite(path, (l) => l.filter((_, i) => i !== 3));
      return { path };
    },
    message: /^`.*\/audit\.jsonl` has 9 records but a checkpoint covers 10: the log was truncated \(run/,
  },
  {
    name: "a log with a record deleted after its last checkpoint",
    setup: async (dir, signer) => {
      const path = join(dir, "audit.jsonl");
      await writeLog(path, signer, 4);
      rewrite(path, (l) => [...l, ...forgeChained(l, 3, signer)].filter((_, i) => i !== 5));
      return { path };
    },
    message: /^`.*\/audit\.jsonl`: record 5 \(line 6\): expected seq 5, found 6 \(records deleted, .* \(run/,
  },
  {
    name: "a log with something other than records after its last checkpoint",
    setup: async (dir, signer) => {
      const path = join(dir, "audit.jsonl");
      await writeLog(path, signer, 4);
      rewrite(path, (l) => [...l, "\u0000\u0000\u0000"]);
      return { path };
    },
    message: /^`.*\/audit\.jsonl`: line 5, after the last checkpoint, is not an audit record \(run/,
  },
  {
    name: "a log with an altered record",
    setup: async (dir, signer) => {
      const path = join(dir, "audit.jsonl");
      await writeLog(path, signer, 10);
      rewrite(path, (l) => l.map((line, i) => (i === 4 ? line.replace('"agent-1"', '"agent-2"') : line)));
      return { path };
    },
    message: /^`.*\/audit\.jsonl` does not match its last checkpoint \(size 10\): records were altered \(run/,
  },
  {
    name: "a checkpoints file with something other than a checkpoint after the last one",
    setup: async (dir, signer) => {
      const path = join(dir, "audit.jsonl");
      await writeLog(path, signer, 3);
      appendFileSync(`${path}.checkpoints`, "not a note\n");
      return { path };
    },
    message: /^`.*\/audit\.jsonl\.checkpoints`: what follows the last checkpoint is not a checkpoint \(run/,
  },
  {
    name: "a log whose checkpoints file is missing",
    setup: async (dir, signer) => {
      const path = join(dir, "audit.jsonl");
      await writeLog(path, signer, 3);
      rmSync(`${path}.checkpoints`);
      return { path };
    },
    message: /^`.*\/audit\.jsonl` holds records but its checkpoints file `.*\.checkpoints` is missing: restore it/,
  },
  {
    name: "another log name",
    setup: async (dir, signer) => {
      const path = join(dir, "audit.jsonl");
      await writeLog(path, signer, 3);
      return { path, logName: "other.example/log" };
    },
    message: /^`.*\/audit\.jsonl` is the audit log `musgo\.test\/audit`, not `other\.example\/log`: use that log name/,
  },
  {
    name: "a log signed by another key",
    setup: async (dir, signer) => {
      const path = join(dir, "audit.jsonl");
      await writeLog(path, signer, 3, { mode: "batch" });
      return { path, signer: newSigner() };
    },
    message: /^`.*\/audit\.jsonl` was signed by another key than the configured one \(kid [\w-]{43}\): sign with/,
  },
  {
    name: "records of another key and no checkpoint",
    setup: async (dir, signer) => {
      const path = join(dir, "audit.jsonl");
      await writeLog(path, signer, 3);
      writeFileSync(`${path}.checkpoints`, "");
      return { path, signer: newSigner() };
    },
    message: /^`.*\/audit\.jsonl` was signed by another key \(kid [\w-]{43}\) than the configured one \(kid/,
  },
];

describe("opening a log that cannot be continued", () => {
  for (const c of CASES) {
    it(`${c.name}: an AuditLogError naming the file and what to do; the file is left as it was`, async () => {
      const dir = tempDir();
      const signer = newSigner();
      const target = await c.setup(dir, signer);
      const before = existsSync(target.path) && statSync(target.path).isFile() ? readFileSync(target.path) : null;
      const logName = target.logName ?? LOG_NAME;
      const opening = openAuditLog({ path: target.path, logName, signer: target.signer ?? signer, mode: "batch" });
      await expect(opening).rejects.toBeInstanceOf(AuditLogError);
      await expect(opening).rejects.toThrow(c.message);
      if (before !== null) expect(readFileSync(target.path)).toEqual(before);
    });
  }
});

/** A key made with `musgo audit keygen` and a log `eval --audit-log` wrote with it (2 records). */
async function cliLog(dir: string, name = "key.pem") {
  const key = join(dir, name);
  expect((await runCli(["audit", "keygen", "--out", key])).code).toBe(0);
  const log = join(dir, "audit.jsonl");
  return { key, log };
}

const EXAMPLE = "constitution/examples/example3-classified.json";

async function evalInto(log: string, key: string): Promise<void> {
  const run = await runCli(["eval", "constitution/", "--input", EXAMPLE, "--audit-log", log, "--key-file", key]);
  expect(run.code).toBe(0);
}
/** No cluster, no Vault: `enforce` must fail on the log before it could contact either. */
const offline = ([name]: [string, unknown]): boolean => name !== "KUBECONFIG" && !name.startsWith("VAULT");
const ENV = Object.fromEntries(Object.entries(process.env).filter(offline));

interface CliCase {
  name: string;
  setup(dir: string): Promise<{ log: string; args: string[] }>;
  message: RegExp;
}

const CLI_CASES: CliCase[] = [
  {
    name: "a missing parent directory",
    setup: async (dir) => {
      const { key } = await cliLog(dir);
      return { log: join(dir, "missing", "audit.jsonl"), args: ["--key-file", key] };
    },
    message: /the directory `.*\/missing` does not exist \(create it first\)/,
  },
  {
    name: "a directory",
    setup: async (dir) => {
      const { key } = await cliLog(dir);
      return { log: dir, args: ["--key-file", key] };
    },
    message: /is a directory, not an audit log file: name a file/,
  },
  {
    name: "a file that is not an audit log",
    setup: async (dir) => {
      const { key } = await cliLog(dir);
      writeFileSync(join(dir, "notes.txt"), "remember the milk\n");
      return { log: join(dir, "notes.txt"), args: ["--key-file", key] };
    },
    message: /is not an audit log: line 1 is not an audit record/,
  },
  {
    name: "a log with a deleted record",
    setup: async (dir) => {
      const { key, log } = await cliLog(dir);
      for (let i = 0; i < 2; i++) await evalInto(log, key);
      rewrite(log, (l) => l.slice(1));
      return { log, args: ["--key-file", key] };
    },
    message: /has 1 records but a checkpoint covers 2: the log was truncated/,
  },
  {
    name: "another --log-name",
    setup: async (dir) => {
      const { key, log } = await cliLog(dir);
      await evalInto(log, key);
      return { log, args: ["--key-file", key, "--log-name", "other/log"] };
    },
    message: /is the audit log `musgo\/musgo`, not `other\/log`/,
  },
  {
    name: "another signing key",
    setup: async (dir) => {
      const { key, log } = await cliLog(dir);
      await evalInto(log, key);
      const other = join(dir, "other.pem");
      expect((await runCli(["audit", "keygen", "--out", other])).code).toBe(0);
      return { log, args: ["--key-file", other] };
    },
    message: /was signed by another key than the configured one/,
  },
];

describe("musgo eval and enforce --audit-log: a log that cannot be continued is a user error", () => {
  for (const command of ["eval", "enforce"]) {
    for (const c of CLI_CASES) {
      it(`${command}, ${c.name}: one error line naming the file, exit 1, no verdict`, async () => {
        const dir = tempDir();
        const { log, args } = await c.setup(dir);
        const run = await runCli([command, "constitution/", "--input", EXAMPLE, "--audit-log", log, ...args], "", ENV);
        expect(run.stdout).toBe("");
        expect(run.stderr).toMatch(/^error: audit: [^\n]*\n$/);
        expect(run.stderr).toContain(`\`${log}`);
        expect(run.stderr).toMatch(c.message);
        expect(run.code).toBe(1);
      });
    }
  }
});
