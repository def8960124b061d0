// Property: no argv makes musgo exit 3. Every command runs in-process on flags drawn from its own usage
// text, plus unknown ones, with values that are numbers, words, empty, paths that exist or not, folders
// where files are expected, files of random bytes, JSON valid or not, constitutions valid or broken and
// garbage modules. A user's mistake must exit 1 or 2 with one line in words: never an internal error.
// Nothing leaves the machine: Vault and the cluster, when configured, are 127.0.0.1:1 (refused).

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../cli/commands/index.js";
import { runCli, type CliRun } from "../support/cli.js";

const REFUSED = "http://127.0.0.1:1";

const VALID = [
  'constitution t version "1.0.0"',
  "schema { agent: { id: string }, action: { type: string } }",
  'article I "A" {',
  '  permit p when action.type == "read"',
  '  forbid f when action.type == "kill"',
  "    remedy suspend",
  '    appeal "ask"',
  '    message "no"',
  '  forbid r when action.type == "undo"',
  "    remedy rollback",
  '    appeal "ask"',
  '    message "no"',
  "}",
  "",
].join("\n");
const TESTS = 'test "denies kill" {\n  input {"agent": {"id": "a"}, "action": {"type": "kill"}}\n  expect deny\n}\n';
const INPUT = '{"agent": {"id": "a_1"}, "action": {"type": "kill"}}';
/** An agent id no Kubernetes deployment can be named after (nor shown raw on a terminal). */
const UNMAPPABLE = '{"agent": {"id": "UPPER!!\\u001b[2J"}, "action": {"type": "kill"}}';
/** A rollback, of an agent whose state file in `state/` is not one. */
const ROLLBACK = '{"agent": {"id": "a_1"}, "action": {"type": "undo"}}';

/** A kubeconfig that parses and names a cluster nobody listens on. */
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u, namespace: agents}}]
current-context: x
`;

/** The files every run starts from (copied afresh, so a run that writes cannot change the next one's). */
const FIXTURES: Record<string, string | Uint8Array> = {
  "constitution/t.constitution": VALID,
  "constitution/t_test.constitution": TESTS,
  "ok/t.constitution": VALID,
  "ok/t_test.constitution": TESTS,
  "broken/b.constitution": 'constitution b version "1"\narticle I "A" { permit p when nope ==\n',
  "empty/.keep": "",
  "folder.wasm/.keep": "",
  "folder.json/.keep": "",
  "garbage.wasm": Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0xff, 0x13, 0x37]),
  "text.wasm": "(module)",
  "in.json": INPUT,
  "unmappable.json": UNMAPPABLE,
  "rollback.json": ROLLBACK,
  "state/a_1.json": "[1]",
  "state-file": "x",
  "inputs.jsonl": `${INPUT}\n{broken\n[1]\n`,
  "bad.json": '{"agent": ',
  "array.json": "[1, 2, 3]",
  "musgo.config.json": JSON.stringify({ vault: { address: REFUSED, transitKey: "k" }, state: { dir: "state" } }),
  "wrong.config.json": JSON.stringify({ vault: { address: "vault.example" }, extra: 1 }),
  "kubeconfig.yaml": KUBECONFIG,
  "bad-kubeconfig.yaml": "not: yaml: [\n",
  "not-a-key.pem": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
  "log.jsonl": '{"seq": 0}\nnot json\n',
};

/** Built once: a real module, a key and its trust file, so runs get past them to deeper paths. */
async function buildFixtures(dir: string): Promise<void> {
  for (const [path, contents] of Object.entries(FIXTURES)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
  const build = await runCli(["build", join(dir, "ok"), "-o", join(dir, "ok.wasm")]);
  expect(build.code).toBe(0);
  const keygen = await runCli(["audit", "keygen", "--out", join(dir, "key.pem")]);
  expect(keygen.code).toBe(0);
  writeFileSync(join(dir, "trust.pem"), keygen.stdout);
  const log = join(dir, "good.jsonl");
  const inputs = join(dir, "inputs.jsonl");
  const audited = ["--audit-log", log, "--key-file", join(dir, "key.pem")];
  const evaluated = await runCli(["eval", join(dir, "ok.wasm"), "--inputs", inputs, ...audited]);
  expect(evaluated.code).toBe(0);
  const proof = await runCli(["audit", "prove", log, "1"]);
  expect(proof.code).toBe(0);
  writeFileSync(join(dir, "proof.txt"), proof.stdout);
}

/** Paths a user might give: fixtures, missing files, a folder for a file, a file for a folder, the random file. */
const PATHS = [
  ...Object.keys(FIXTURES).filter((p) => !p.endsWith(".keep")),
  "ok",
  "broken",
  "empty",
  "constitution",
  "folder.wasm",
  "folder.json",
  "ok.wasm",
  "key.pem",
  "trust.pem",
  "good.jsonl",
  "good.jsonl.checkpoints",
  "proof.txt",
  "missing",
  "missing.json",
  "missing.wasm",
  "missing.pem",
  "missing/dir/file.json",
  "in.json/below",
  ".",
  "random.bin",
  "random.wasm",
  "random.json",
  "random.pem",
  "random.constitution",
];
const WORDS = [
  "a",
  "x",
  "batch",
  "per-record",
  "software",
  "pkcs11",
  "transit",
  "wasm",
  "interp",
  "ir",
  "wat",
  "json",
  "text",
  "EdDSA",
  "ES256",
  "decision",
  "registration",
  "constitution/registration",
  "{agent}",
  "a_1",
  "verify",
  "prove",
  "verify-proof",
  "keygen",
  "pubkey",
  REFUSED,
  "https://127.0.0.1:1",
  "ftp://x",
  "-",
];

const value = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PATHS) },
  { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: 1e6 }).map(String) },
  { weight: 1, arbitrary: fc.constant("") },
  // No `..`, no absolute path, no `:` (so never a URL to somewhere): runs stay in their folder and on loopback.
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }).filter((s) => !/\.\.|^\/|:/.test(s)) },
);

interface Flag {
  name: string;
  /** The flag takes a value (the usage shows one after it: `--input FILE|-`, `-o, --output FILE`). */
  takesValue: boolean;
  /** The values the usage lists (`--engine wasm|interp`), if it lists them. */
  choices: string[];
}

/** A command's flags, read from its usage text, so the fuzz follows the options as they change. */
function flagsOf(usage: string): Flag[] {
  const flags = new Map<string, Flag>();
  const options = usage.replace(/`[^`]*`/g, "");
  for (const match of options.matchAll(/(?<![\w-])(--?[a-z][a-z0-9-]*)(,? (?:--[a-z-]+ )?(\S+))?/g)) {
    const name = match[1]!;
    if (name === "--help" || name === "-h") continue;
    const shown = match[3] ?? "";
    const takesValue = /^[A-Z]/.test(shown) || shown.includes("|");
    const listed = shown.replace(/[()[\]]/g, "").split("|");
    const words = listed.length > 1 && listed.every((c) => /^[a-z]/i.test(c) && c !== c.toUpperCase());
    const known = flags.get(name);
    flags.set(name, {
      name,
      takesValue: takesValue || (known?.takesValue ?? false),
      choices: [...(known?.choices ?? []), ...(words ? listed : [])],
    });
  }
  return [...flags.values()];
}

/** Positional words a command names in its usage (`<verify|prove|...>`). */
function subcommandsOf(usage: string): string[] {
  const alternatives = /<([a-z-]+(?:\|[a-z-]+)+)>/.exec(usage);
  return alternatives === null ? [] : alternatives[1]!.split("|");
}

/**
 * The flags the usage line shows (`--input`, `-o`), as groups of which a run gives one (`(--input | --inputs)`):
 * most runs give them, so they get past the usage checks.
 */
function requiredOf(usage: string, flags: Flag[]): Flag[][] {
  const line = usage.split("\n")[0]!.replace(/\[[^\]]*\]/g, "");
  const alternativesOf = (group: string) => group.split(/\s*\|\s*/).map((alt) => alt.split(" ")[0]!);
  const groups = [...line.matchAll(/\(([^)]*)\)|(\S+)/g)].map((m) => alternativesOf(m[1] ?? m[2]!));
  return groups.map((names) => flags.filter((f) => names.includes(f.name))).filter((group) => group.length > 0);
}

/** Values that get a run past a flag to what follows it (drawn three times in four, else any value). */
const FITTING: Record<string, string[]> = {
  "--input": ["in.json", "-", "bad.json", "unmappable.json", "rollback.json"],
  "--inputs": ["inputs.jsonl"],
  "--key-file": ["key.pem"],
  "--trust": ["trust.pem"],
  "--checkpoints": ["good.jsonl.checkpoints"],
  "--kubeconfig": ["kubeconfig.yaml"],
  "--config": ["musgo.config.json", "wrong.config.json"],
  "--context": ["x"],
  "--namespace": ["agents"],
  "--deployment-name": ["{agent}", "agent-{agent}"],
  "--vault-addr": [REFUSED],
  "--spool-file": ["spool.jsonl"],
  "--state-dir": ["state", "state-file"],
  "--transit-key": ["k"],
  "--pkcs11-token": ["token"],
  "--pkcs11-key": ["key"],
  "--out": ["new.pem"],
  "--output": ["out.wasm", "-"],
  "-o": ["out.wasm", "-"],
};

/** Positionals that fit a command (constitutions and modules unless listed), drawn three times in four. */
const POSITIONALS: Record<string, string[]> = {
  release: ["a_1"],
  audit: ["good.jsonl", "0", "1", "proof.txt"],
};

/** Constitution sources, and a built module where the usage takes one (`PATHS...|FILE.wasm`). */
function sourcesOf(usage: string): string[] {
  return usage.includes("FILE.wasm") ? ["ok", "ok.wasm"] : ["ok"];
}

/**
 * Most of a run is well-formed and one or two parts are not: a run with every part random stops at its
 * first mistake, and the mistakes behind it are never reached.
 */
const mostlyFitting = (fitting: string[]) =>
  fitting.length === 0
    ? value
    : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...fitting) }, { weight: 1, arbitrary: value });

/**
 * Values of the audit log's own flags stay well-formed: a log that is garbage, a folder or under a missing
 * folder, an invalid log name or another log's name, are the audit log's cases (adapters/audit).
 */
const AUDIT_LOG_VALUES: Record<string, string[]> = {
  "--audit-log": ["new.jsonl", "good.jsonl"],
  "--log-name": ["musgo/t"],
};

function flagArgs(flag: Flag): fc.Arbitrary<string[]> {
  if (!flag.takesValue) return fc.constant([flag.name]);
  const own = AUDIT_LOG_VALUES[flag.name];
  const fitting =
    own === undefined ? mostlyFitting([...flag.choices, ...(FITTING[flag.name] ?? [])]) : fc.constantFrom(...own);
  return fc.oneof(
    { weight: 9, arbitrary: fitting.map((v) => [flag.name, v]) },
    { weight: 1, arbitrary: fitting.map((v) => [`${flag.name}=${v}`]) },
  );
}

/** Mostly well-formed argv (known flags with values, a few positionals), sometimes malformed. */
function argvFor(name: string, usage: string): fc.Arbitrary<string[]> {
  const flags = flagsOf(usage);
  const subcommands = subcommandsOf(usage);
  const wellFormed = fc.oneof(...flags.map(flagArgs));
  const malformed = fc
    .oneof(
      fc.constantFrom("--no-such-flag", "-z", "--"),
      fc.constantFrom(...flags.map((f) => f.name)).map((flag) => [flag]),
    )
    .map((t) => [t].flat());
  const token = fc.oneof(
    { weight: 12, arbitrary: wellFormed },
    { weight: 4, arbitrary: mostlyFitting(POSITIONALS[name] ?? sourcesOf(usage)).map((v) => [v]) },
    { weight: 1, arbitrary: malformed },
  );
  const usually = (group: Flag[]) =>
    fc.oneof({ weight: 4, arbitrary: fc.oneof(...group.map(flagArgs)) }, { weight: 1, arbitrary: fc.constant([]) });
  const required = fc.tuple(...requiredOf(usage, flags).map(usually));
  const lead = subcommands.length === 0 ? fc.constant([]) : fc.constantFrom(...subcommands).map((s) => [s]);
  return fc
    .tuple(lead, required, fc.array(token, { maxLength: 5 }))
    .map(([head, needed, tokens]) => [name, ...head, ...needed.flat(), ...tokens.flat()]);
}

type Env = Record<string, string | undefined>;

/** The environment a run sees (nothing of the host's): Vault, cluster and PIN set well, badly or not at all. */
/** A variable unset, set well or set badly (empty, not a URL, a file that is no kubeconfig, a folder). */
const variable = (good: string, ...bad: string[]) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constant(good) },
    { weight: 1, arbitrary: fc.constantFrom("", ...bad) },
  );

const envArbitrary: fc.Arbitrary<Env> = fc.record({
  VAULT_ADDR: variable(REFUSED, "not a url", "ftp://x"),
  VAULT_TOKEN: fc.oneof(
    { weight: 3, arbitrary: fc.constant("t") },
    { weight: 1, arbitrary: fc.constantFrom(undefined, "") },
  ),
  KUBECONFIG: variable("kubeconfig.yaml", "bad-kubeconfig.yaml", "missing.yaml", "key.pem", "empty"),
  MUSGO_PKCS11_PIN: variable("1234"),
});

/** Slow commands (they build modules or contact the refused targets) are drawn less often. */
const WEIGHTS: Record<string, number> = { build: 1, enforce: 2, release: 1 };

const stdin = fc.oneof(
  fc.constantFrom(INPUT, UNMAPPABLE, ROLLBACK),
  fc.constant(""),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString("utf8")),
  fc.json(),
);

const runArbitrary = fc.record({
  argv: fc
    .oneof(...COMMANDS.map((c) => ({ weight: WEIGHTS[c.name] ?? 3, arbitrary: fc.constant(c.name) })))
    .chain((name) => usageArbitrary(name)),
  stdin,
  env: envArbitrary,
  random: fc.uint8Array({ maxLength: 256 }),
});

const usages = new Map<string, string>();
function usageArbitrary(name: string): fc.Arbitrary<string[]> {
  return argvFor(name, usages.get(name)!);
}

let fixtures = "";
let runs = "";
const home = process.cwd();

/** Runs argv in a fresh copy of the fixtures, as the working directory, with only the given environment. */
async function runIsolated(argv: string[], input: string, env: Env, random: Uint8Array): Promise<CliRun> {
  const dir = mkdtempSync(join(runs, "run-"));
  cpSync(fixtures, dir, { recursive: true });
  for (const name of ["random.bin", "random.wasm", "random.json", "random.pem", "random.constitution"]) {
    writeFileSync(join(dir, name), random);
  }
  process.chdir(dir);
  try {
    const set = Object.entries(env).filter(([, v]) => v !== undefined);
    // SoftHSM reads its token store from this file: a missing one keeps runs off the host's tokens.
    const softhsm = { SOFTHSM2_CONF: join(dir, "softhsm2.conf") };
    return await runCli(argv, input, { PATH: process.env.PATH, ...softhsm, ...Object.fromEntries(set) });
  } finally {
    process.chdir(home);
    rmSync(dir, { recursive: true, force: true });
  }
}

function expectUserFacing(run: CliRun, argv: string[]): void {
  const shown = `musgo ${JSON.stringify(argv)} exited ${run.code}:\n${run.stderr}`;
  expect([0, 1, 2], shown).toContain(run.code);
  expect(run.stderr, shown).not.toContain("internal error");
  expect(run.stderr, shown).not.toMatch(/\n\s+at /);
  // What files, inputs and argv hold reaches the terminal escaped (tab and line feed aside).
  expect(run.stderr, shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
}

beforeAll(async () => {
  for (const command of COMMANDS) usages.set(command.name, (await command.load()).usage);
  const root = mkdtempSync(join(tmpdir(), "musgo-argv-fuzz-"));
  fixtures = join(root, "fixtures");
  runs = join(root, "runs");
  mkdirSync(fixtures);
  mkdirSync(runs);
  await buildFixtures(fixtures);
});

afterAll(() => {
  process.chdir(home);
  rmSync(join(fixtures, ".."), { recursive: true, force: true });
});

describe("musgo argv fuzzing", () => {
  const title = "property: no argv makes musgo exit 3 (exit 0, 1 or 2; no stack, no raw control character)";
  it(
    title,
    async () => {
      await fc.assert(
        fc.asyncProperty(runArbitrary, async ({ argv, stdin: input, env, random }) => {
          expectUserFacing(await runIsolated(argv, input, env, random), argv);
        }),
        { numRuns: 400 },
      );
    },
    120_000,
  );
});

interface Mistake {
  argv: string[];
  code: number;
  says: RegExp;
  env: Env;
}

/** `line` is the argv joined by spaces (no argument here holds one); `says` what follows `error: `. */
const mistake = (line: string, code: number, says: RegExp, env: Env = {}): Mistake => ({
  argv: line.split(" "),
  code,
  says,
  env,
});

const SPOOL_REFUSED = /(cannot open )?the incident spool `.*`(: it is a folder|: it already exists| is corrupt at)/;
const NOT_A_URL = /the Vault address must be an http:\/\/ or https:\/\/ URL, not `/;
const VAULT = { VAULT_TOKEN: "t" };

/** Each user mistake the fuzzing found, and the files next to them: exit 1 or 2 and one line in words. */
const REGRESSIONS: Mistake[] = [
  // The incident spool was read raw: a folder, a file in its folder's place or a file that is no spool was exit 3.
  ...["empty", "in.json/spool.jsonl", "in.json", "ok/t.constitution"].map((spool) =>
    mistake(`enforce ok --input in.json --spool-file ${spool}`, 1, SPOOL_REFUSED, VAULT),
  ),
  // A naming rule without {agent} from the flag (not the config file) was exit 3 in plan.
  mistake("plan ok --input in.json --deployment-name x", 1, /deployment naming rule `x` must contain `\{agent\}`/),
  // A Vault address that is no URL failed deep inside the client ("Invalid URL").
  mistake("enforce ok --input in.json --vault-addr vault.example", 1, NOT_A_URL, VAULT),
  mistake("enforce ok --input in.json --vault-addr ftp://x", 1, NOT_A_URL, VAULT),
  // Files named by flags say what is wrong in words, not ENOENT / EISDIR / ENOTDIR / EEXIST.
  mistake("eval ok --input missing.json", 1, /cannot read input `missing.json`: no such file/),
  mistake("eval ok --input in.json/x", 1, /cannot read input `in.json\/x`: a part of the path is a file/),
  mistake("eval missing.wasm --input in.json", 1, /cannot read module `.*missing.wasm`: no such file/),
  mistake(
    "eval ok --input in.json --audit-log new.jsonl --key-file missing.pem",
    1,
    /audit: cannot read audit key file `.*missing.pem`: no such file/,
  ),
  mistake("plan ok --input in.json --config missing.json", 1, /cannot read config `.*missing.json`: no such file/),
  mistake("plan ok --input in.json --config empty", 1, /cannot read config `.*empty`: it is a folder, not a file/),
  mistake(
    "plan ok --input in.json --kubeconfig missing.yaml",
    1,
    /cannot load kubeconfig `.*missing.yaml`: no such file/,
  ),
  mistake(
    "plan ok --input in.json --kubeconfig bad-kubeconfig.yaml",
    1,
    /cannot load kubeconfig `.*`: not a kubeconfig \([^\n]*\)\n$/,
  ),
  mistake("release a_1", 1, /cannot load kubeconfig `.*empty`: it is a folder, not a file/, {
    KUBECONFIG: "empty",
    ...VAULT,
  }),
  mistake("build ok -o empty", 1, /cannot write `empty`: it is a folder, not a file/),
  mistake("build ok -o missing/x.wasm", 1, /cannot write `missing\/x.wasm`: no such file/),
  mistake("audit verify missing.jsonl --trust trust.pem", 1, /cannot read the log `missing.jsonl`: no such file/),
  mistake("audit verify empty --trust trust.pem", 1, /cannot read the log `empty`: it is a folder, not a file/),
  mistake("audit verify good.jsonl --trust missing.pem", 1, /cannot read the trust file `missing.pem`: no such file/),
  mistake(
    "audit verify good.jsonl --trust trust.pem --checkpoints missing",
    1,
    /cannot read the checkpoints file `missing`: no such file/,
  ),
  mistake("audit prove empty 0", 1, /cannot read the log `empty`: it is a folder, not a file/),
  mistake("audit verify-proof missing.txt --trust trust.pem", 1, /cannot read the proof `missing.txt`: no such file/),
  mistake(
    "audit keygen --out key.pem",
    1,
    /cannot write the key `key.pem`: it already exists \(an existing key is never replaced/,
  ),
  mistake("audit pubkey --key-file empty", 1, /cannot read audit key file `.*empty`: it is a folder, not a file/),
  // A state file that is none, or a state folder that is a file: the rollback is incomplete, in words.
  mistake("enforce ok --input rollback.json", 1, /rollback of a_1 is incomplete: `.*a_1.json` is not a musgo/, VAULT),
  mistake(
    "enforce ok --input rollback.json --state-dir state-file",
    1,
    /rollback of a_1 is incomplete: cannot read the state of agent a_1 in `.*`: a part of the path is a file/,
    VAULT,
  ),
  // An agent id from the input reaches the terminal escaped.
  mistake("enforce ok --input unmappable.json", 1, /suspend of UPPER!!\\u001b\[2J is incomplete: agent/, {
    KUBECONFIG: "kubeconfig.yaml",
    ...VAULT,
  }),
  // What the user typed reaches the terminal escaped.
  mistake("\u001b[2Jnope", 2, /unknown command `\\u001b\[2Jnope`/),
];

describe("musgo argv fuzzing: the mistakes it found", () => {
  it.each(REGRESSIONS)("musgo $argv exits $code with a one-line error", async ({ argv, env, code, says }) => {
    const run = await runIsolated(argv, "", env, new Uint8Array());
    expectUserFacing(run, argv);
    expect(run.stderr).toMatch(new RegExp(`^error: ${says.source}`));
    expect(run.code).toBe(code);
  });

  it("plan shows an agent id that names no deployment as a request not sent", async () => {
    const run = await runIsolated(["plan", "ok", "--input", "-"], UNMAPPABLE, {}, new Uint8Array());
    expect(run.code).toBe(0);
    const documents = parseAllDocuments(run.stdout).map((doc) => doc.toJS() as { action?: string; note?: string });
    const suspend = documents.find((doc) => doc.action === "suspend");
    expect(suspend?.note).toMatch(/^not sent: agent `UPPER!!\u001b\[2J` cannot be mapped to a Kubernetes deployment/);
  });
});
