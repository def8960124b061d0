// Opens the signed audit log a Guard writes to: the signer (software key, PKCS#11 token or Vault
// Transit), the log's name and mode. The audit library is imported only when a log is asked for.

import { open } from "node:fs/promises";
import { resolve } from "node:path";
import type { AuditLog, AuditLogOptions, AuditMode } from "../adapters/audit/index.js";
import type { SignerOptions } from "./signers.js";
import type { DecisionEngine } from "../contract/engine.js";
import { GuardSetupError } from "./errors.js";
import { resolveTargets, vaultClientFor, type Environment, type TargetSettings } from "./targets.js";

export type SignerKind = SignerOptions["signer"];
export const SIGNER_KINDS: readonly SignerKind[] = ["software", "pkcs11", "transit"];
export const AUDIT_MODES: readonly AuditMode[] = ["batch", "per-record"];

/** Who signs. Secrets are never settings: the PKCS#11 PIN comes from MUSGO_PKCS11_PIN, Vault's token from $VAULT_TOKEN. */
export interface SignerSettings {
  signer?: SignerKind;
  /** Software signer: PKCS#8 PEM private key (from `musgo audit keygen --out`). */
  keyFile?: string;
  pkcs11Module?: string;
  pkcs11Token?: string;
  pkcs11Key?: string;
}

export interface AuditSettings extends SignerSettings {
  /** The log file (JSON lines); created when absent. */
  log: string;
  /** `batch` (default): chained records under signed checkpoints; `per-record`: every record signed. */
  mode?: AuditMode;
  /** The log's origin line; default the host's default name, else the name of the log already in the file. */
  logName?: string;
}

/** The default name of a constitution's audit log. */
export function constitutionLogName(engine: DecisionEngine): string {
  return `musgo/${engine.constitution.name}`;
}

/** The signer the settings name. Transit's Vault is resolved like the Guard's targets (settings, config, environment). */
export async function signerOptionsFor(
  settings: SignerSettings,
  environment: Environment,
  targets: TargetSettings = {},
): Promise<SignerOptions> {
  const signer = settings.signer ?? "software";
  if (signer === "transit") {
    const resolved = await resolveTargets(targets, environment);
    const { transitKey, transitMount } = resolved.vault;
    const vault = vaultClientFor(resolved, environment);
    return {
      signer,
      ...(vault === null ? {} : { vault }),
      ...(transitKey === undefined ? {} : { transitKey }),
      ...(transitMount === undefined ? {} : { transitMount }),
    };
  }
  const optional = <K extends keyof SignerSettings>(key: K) =>
    settings[key] === undefined ? {} : { [key]: settings[key] };
  const module = settings.pkcs11Module;
  return {
    signer,
    ...(settings.keyFile === undefined ? {} : { keyFile: resolve(environment.cwd, settings.keyFile) }),
    ...(module === undefined ? {} : { pkcs11Module: modulePath(module, environment.cwd) }),
    ...optional("pkcs11Token"),
    ...optional("pkcs11Key"),
  };
}

/**
 * A PKCS#11 module given as a path (`./lib.so`, `lib/x.so`) is relative to the working directory; a bare
 * name (`libsofthsm2.so`) is left to the dynamic loader's search, as dlopen(3) does.
 */
function modulePath(module: string, cwd: string): string {
  return module.includes("/") ? resolve(cwd, module) : module;
}

export interface OpenAuditOptions {
  environment: Environment;
  /** The log's name when neither the settings nor the file give one (null: the file must). */
  defaultName: string | null;
  /** For the Transit signer's Vault. */
  targets?: TargetSettings;
  onCheckpoint?: AuditLogOptions["onCheckpoint"];
  /** Told when the log had an uncovered tail after a crash (moved aside, never sealed). */
  onWarning?: (message: string) => void;
}

/** Opens (or creates) the log; a setting or file a user can fix is a GuardSetupError. */
export async function openGuardAuditLog(settings: AuditSettings, options: OpenAuditOptions): Promise<AuditLog> {
  const [{ openAuditLog, AuditSignerError, AuditLogError }, { createSignerFromOptions }] = await Promise.all([
    import("../adapters/audit/index.js"),
    import("./signers.js"),
  ]);
  const path = resolve(options.environment.cwd, settings.log);
  const logName = settings.logName ?? options.defaultName ?? (await existingLogName(path));
  try {
    const signer = await createSignerFromOptions(
      await signerOptionsFor(settings, options.environment, options.targets),
      options.environment.env,
    );
    const log = await openAuditLog({
      path,
      logName,
      signer,
      mode: settings.mode ?? "batch",
      ...(options.onCheckpoint === undefined ? {} : { onCheckpoint: options.onCheckpoint }),
    });
    const tail = log.uncoveredTail;
    if (tail !== null) {
      const records = `${tail.records} records after the last checkpoint (a crash; never acknowledged)`;
      (options.onWarning ?? ((m: string) => process.emitWarning(m)))(`audit: ${records} were moved to ${tail.copy}`);
    }
    return log;
  } catch (e) {
    if (e instanceof AuditSignerError || e instanceof AuditLogError) throw new GuardSetupError(`audit: ${e.message}`);
    throw e;
  }
}

/** The `log` of the first record in `path`; a new log needs a name. */
async function existingLogName(path: string): Promise<string> {
  const { logNameOf } = await import("../adapters/audit/index.js");
  let head = "";
  try {
    const file = await open(path, "r");
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
      head = buffer.toString("utf8", 0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new GuardSetupError(`audit: cannot read \`${path}\`: ${(e as Error).message}`);
    }
  }
  const name = logNameOf(head.slice(0, head.indexOf("\n")));
  if (name === null)
    throw new GuardSetupError(
      `audit: \`${path}\` holds no record to take the log's name from: pass --log-name (the \`logName\` setting)`,
    );
  return name;
}
