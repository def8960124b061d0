// `musgo audit verify|prove|verify-proof|keygen|pubkey`: offline checks of an audit log and the
// management of the key that signs it (a software key file, a PKCS#11 token key or a Vault Transit key).

import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import {
  AuditSignerError,
  generatePkcs11Key,
  generateSoftwareKey,
  loadSoftwareSigner,
  loadTrustFile,
  proveRecord,
  publicKeyPem,
  readPkcs11PublicKey,
  verifyAuditLog,
  verifyRecordProof,
  writeSoftwareKey,
  type AuditAlgorithm,
} from "../../adapters/audit/index.js";
import { fileErrorReason, isFileSystemError } from "../../contract/file-errors.js";
import { pkcs11Target, transitTarget } from "../../guard/signers.js";
import { parseCommandArgs } from "../args.js";
import { EXIT, UsageError, UserError, type CliIO, type Command } from "../io.js";
import { SIGNER_CLI_OPTIONS, signerKind, signerOptions, VAULT_CLI_OPTIONS } from "../audit-options.js";

const OPTIONS = {
  trust: { type: "string" },
  checkpoints: { type: "string" },
  "log-name": { type: "string" },
  "allow-empty": { type: "boolean" },
  alg: { type: "string" },
  out: { type: "string" },
  ...SIGNER_CLI_OPTIONS,
  ...VAULT_CLI_OPTIONS,
} as const;

/** `audit verify`: the log is intact but ends in records no checkpoint covers (a crashed writer's tail). */
const EXIT_UNCOVERED_TAIL = 4;

const EMPTY_LOG = `empty: the log holds no records and no checkpoints, so nothing vouches for it \
(--allow-empty accepts that)
`;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>["values"];

export const auditCommand: Command = {
  usage: `usage: musgo audit <verify|prove|verify-proof|keygen|pubkey> [options]

  musgo audit verify LOG --trust KEYFILE [--checkpoints FILE] [--log-name NAME] [--allow-empty]
      Checks canonical form, sequence, hash chain, every signature and every checkpoint; prints the
      first bad record's seq and the reason. Checkpoints default to LOG.checkpoints. Records after
      the last checkpoint are a crashed writer's uncovered tail, never acknowledged (exit 4); a log
      with no records and no checkpoints fails unless --allow-empty.
  musgo audit prove LOG SEQ [--checkpoints FILE]
      Prints a c2sp.org/tlog-proof@v1 inclusion proof of record SEQ under the latest checkpoint.
  musgo audit verify-proof PROOF --trust KEYFILE
      Checks such a proof offline: checkpoint signature, Merkle path and the record itself.
  musgo audit keygen [--alg EdDSA|ES256] --out KEYFILE
  musgo audit keygen --signer pkcs11 --pkcs11-token LABEL --pkcs11-key LABEL [--pkcs11-module PATH] [--alg ES256|EdDSA]
  musgo audit keygen --signer transit --transit-key NAME [--transit-mount PATH] [--vault-addr URL] [--alg ES256|EdDSA]
      Creates a signing key (software: a PKCS#8 PEM file, EdDSA by default; PKCS#11: a
      non-extractable token key pair, ES256 by default; Transit: a non-exportable key, ecdsa-p256
      (ES256) by default or ed25519; an existing key is never replaced) and prints its public key (PEM).
  musgo audit pubkey (--key-file KEYFILE | --signer pkcs11 --pkcs11-token LABEL --pkcs11-key LABEL [--pkcs11-module PATH]
                      | --signer transit --transit-key NAME [--transit-mount PATH] [--vault-addr URL])
      Prints the public key (PEM) to put in a trust file.

The PKCS#11 PIN is read from the environment variable MUSGO_PKCS11_PIN, the Vault token from
VAULT_TOKEN; neither is ever taken from the command line. The transit signer's Vault is
--vault-addr, else vault.address in musgo.config.json (or --config FILE), else VAULT_ADDR; the
key and mount default to vault.transitKey and vault.transitMount (else \`transit\`) there.
A trust file holds one or more PEM public keys.
exit: 0 intact / done, 1 tampered, empty or failed, 2 usage error,
      4 (verify) intact but for an uncovered tail after a crash
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    const [sub, ...rest] = positionals;
    try {
      switch (sub) {
        case "verify":
          return await verifyLog(rest, values, io);
        case "prove":
          return await prove(rest, values, io);
        case "verify-proof":
          return await verifyProof(rest, values, io);
        case "keygen":
          return await keygen(values, io);
        case "pubkey":
          return await pubkey(values, io);
        default:
          throw new UsageError(sub === undefined ? "missing subcommand" : `unknown subcommand \`${sub}\``);
      }
    } catch (e) {
      if (e instanceof UsageError || e instanceof UserError) throw e;
      if (e instanceof AuditSignerError || isFileSystemError(e)) throw new UserError(userMessage(e));
      throw e;
    }
  },
};

async function verifyLog(rest: string[], values: Values, io: CliIO): Promise<number> {
  const logArg = onePath(rest, "LOG");
  const trust = await trustFrom(values, io);
  const log = await existingFile(logArg, "the log", io);
  const checkpoints = await checkpointsFrom(values, io);
  const result = await verifyAuditLog(log, {
    trust,
    ...(checkpoints === undefined ? {} : { checkpointsPath: checkpoints }),
    ...(values["log-name"] === undefined ? {} : { logName: values["log-name"] }),
    allowEmpty: values["allow-empty"] ?? false,
  });
  const covered = `${count(result.records, "record")}, ${count(result.checkpoints, "checkpoint")}`;
  if (result.firstError !== undefined) {
    io.stdout(`TAMPERED: record ${result.firstError.seq}: ${result.firstError.reason}\n`);
    io.stdout(`${result.records} records verified before it\n`);
    return EXIT.failure;
  }
  if (result.uncoveredTail !== undefined) {
    const { seq, records, torn, tornCheckpoint } = result.uncoveredTail;
    const what = `${count(records, "record")}${torn ? " and an incomplete line" : ""}`;
    const note = tornCheckpoint ? "; the checkpoints file ends in an incomplete note" : "";
    io.stdout(`uncovered tail after a crash: ${what}, not acknowledged (from record ${seq}${note})\n`);
    io.stdout(`intact before it: ${covered}; the next writer moves the tail aside\n`);
    return EXIT_UNCOVERED_TAIL;
  }
  if (result.status === "empty") {
    io.stdout(EMPTY_LOG);
    return EXIT.failure;
  }
  io.stdout(`ok: ${covered}\n`);
  return EXIT.ok;
}

async function prove(rest: string[], values: Values, io: CliIO): Promise<number> {
  const [logArg, seqArg] = rest;
  if (logArg === undefined || seqArg === undefined || rest.length > 2) throw new UsageError("prove needs LOG and SEQ");
  if (!/^(0|[1-9][0-9]*)$/.test(seqArg)) throw new UsageError(`SEQ must be a record number, not \`${seqArg}\``);
  const log = await existingFile(logArg, "the log", io);
  const checkpoints = await checkpointsFrom(values, io);
  try {
    io.stdout(await proveRecord(log, Number(seqArg), checkpoints));
  } catch (e) {
    throw new UserError(userMessage(e));
  }
  return EXIT.ok;
}

async function verifyProof(rest: string[], values: Values, io: CliIO): Promise<number> {
  const proofArg = onePath(rest, "PROOF");
  const trust = await trustFrom(values, io);
  const proof = await readFile(await existingFile(proofArg, "the proof", io), "utf8");
  const check = verifyRecordProof(proof, trust);
  if (!check.ok) {
    io.stdout(`INVALID: ${check.seq === null ? "" : `record ${check.seq}: `}${check.reason}\n`);
    return EXIT.failure;
  }
  io.stdout(`ok: record ${check.seq} is in the log under a trusted checkpoint\n`);
  return EXIT.ok;
}

async function keygen(values: Values, io: CliIO): Promise<number> {
  const alg = parseAlg(values.alg);
  const kind = signerKind(values);
  if (kind === "pkcs11") {
    const { publicKey } = await generatePkcs11Key({
      ...pkcs11Target(await signerOptions(values, io), io.env),
      ...(alg === undefined ? {} : { alg }),
    });
    io.stdout(publicKeyPem(publicKey));
    return EXIT.ok;
  }
  if (kind === "transit") {
    const { generateTransitKey } = await import("../../adapters/vault/transit-signer.js");
    const { publicKey } = await generateTransitKey({
      ...transitTarget(await signerOptions(values, io)),
      ...(alg === undefined ? {} : { alg }),
    });
    io.stdout(publicKeyPem(publicKey));
    return EXIT.ok;
  }
  if (values.out === undefined) throw new UsageError("keygen needs --out KEYFILE for a software key");
  const out = resolve(io.cwd, values.out);
  try {
    await writeSoftwareKey(out, generateSoftwareKey(alg ?? "EdDSA"));
  } catch (e) {
    if (!isFileSystemError(e)) throw e;
    const keep = e.code === "EEXIST" ? " (an existing key is never replaced: choose another --out)" : "";
    throw new UserError(`cannot write the key \`${values.out}\`: ${fileErrorReason(e)}${keep}`);
  }
  const signer = await loadSoftwareSigner(out);
  io.stderr(`wrote ${values.out} (${signer.alg}); keep it private\n`);
  io.stdout(publicKeyPem(signer.publicKey));
  return EXIT.ok;
}

async function pubkey(values: Values, io: CliIO): Promise<number> {
  const kind = signerKind(values);
  if (kind === "pkcs11") {
    io.stdout(
      publicKeyPem((await readPkcs11PublicKey(pkcs11Target(await signerOptions(values, io), io.env))).publicKey),
    );
    return EXIT.ok;
  }
  if (kind === "transit") {
    const { readTransitPublicKey } = await import("../../adapters/vault/transit-signer.js");
    io.stdout(publicKeyPem((await readTransitPublicKey(transitTarget(await signerOptions(values, io)))).publicKey));
    return EXIT.ok;
  }
  if (values["key-file"] === undefined)
    throw new UsageError("pubkey needs --key-file KEYFILE or --signer pkcs11|transit");
  io.stdout(publicKeyPem((await loadSoftwareSigner(resolve(io.cwd, values["key-file"]))).publicKey));
  return EXIT.ok;
}

function parseAlg(value: string | undefined): AuditAlgorithm | undefined {
  if (value === undefined || value === "EdDSA" || value === "ES256") return value;
  throw new UsageError(`--alg must be EdDSA or ES256, not \`${value}\``);
}

async function trustFrom(values: Values, io: CliIO) {
  if (values.trust === undefined) throw new UsageError("--trust KEYFILE is required");
  const trust = await existingFile(values.trust, "the trust file", io);
  try {
    return await loadTrustFile(trust);
  } catch (e) {
    throw new UserError(userMessage(e));
  }
}

function onePath(rest: string[], name: string): string {
  if (rest.length !== 1) throw new UsageError(`expected exactly one ${name}`);
  return rest[0]!;
}

/** An explicit --checkpoints file must exist (without it, LOG.checkpoints is used when present). */
async function checkpointsFrom(values: Values, io: CliIO): Promise<string | undefined> {
  return values.checkpoints === undefined ? undefined : existingFile(values.checkpoints, "the checkpoints file", io);
}

/** `path` resolved, once it is known to be a file; else a UserError naming it and what is wrong, in words. */
async function existingFile(path: string, what: string, io: CliIO): Promise<string> {
  const full = resolve(io.cwd, path);
  let isFolder: boolean;
  try {
    isFolder = (await stat(full)).isDirectory();
  } catch (e) {
    throw new UserError(`cannot read ${what} \`${path}\`: ${fileErrorReason(e)}`);
  }
  if (isFolder) throw new UserError(`cannot read ${what} \`${path}\`: it is a folder, not a file`);
  return full;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** A file the user named that could not be read says which and why in words; other errors as they are. */
function userMessage(e: unknown): string {
  if (!isFileSystemError(e)) return (e as Error).message;
  return `cannot read \`${e.path ?? "the file"}\`: ${fileErrorReason(e)}`;
}
