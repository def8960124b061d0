// A signer whose private key never leaves a PKCS#11 token (pkcs11js). The token is found by label,
// the key by label; ES256 signs a SHA-256 digest with CKM_ECDSA (the mechanism hashes nothing),
// EdDSA signs the message with CKM_EDDSA when the token offers it. A pool of sessions, each
// running one C_SignInit + C_SignAsync at a time, keeps signing off the event loop. Every failure
// (module, token, PIN, key) is an AuditSignerError: the caller must fail closed. Only a session the
// token dropped is reopened, and its signature retried once.

import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { createRequire } from "node:module";
import type * as Pkcs11Types from "pkcs11js";
import { AuditSignerError, type AuditAlgorithm, type AuditSigner } from "./signer.js";

// pkcs11js is CommonJS with a native addon; loading it lazily keeps the audit library usable without it.
const require = createRequire(import.meta.url);
type Pkcs11Module = typeof Pkcs11Types;
let pkcs11js: Pkcs11Module | undefined;
function lib(): Pkcs11Module {
  try {
    pkcs11js ??= require("pkcs11js") as Pkcs11Module;
  } catch (e) {
    throw new AuditSignerError(
      `the pkcs11js package cannot be loaded (is it installed and built?): ${(e as Error).message}`,
    );
  }
  return pkcs11js;
}

// PKCS#11 3.0 values that pkcs11js (2.40) does not export.
const CKK_EC_EDWARDS = 0x40;
const CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055;
const CKM_EDDSA = 0x1057;
const P256_OID = Buffer.from("06082a8648ce3d030107", "hex");
const ED25519_OID = Buffer.from("06032b6570", "hex");
const P256_SPKI_PREFIX = Buffer.from("3059301306072a8648ce3d020106082a8648ce3d030107034200", "hex");
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const DEFAULT_SESSIONS = 4;

export interface Pkcs11Options {
  /** Path of the PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  module: string;
  /** Token label. */
  token: string;
  /** Label of the key pair (CKA_LABEL on both objects). */
  key: string;
  /** User PIN; callers take it from MUSGO_PKCS11_PIN, never from the command line. */
  pin: string;
  /** Signing sessions (default 4, libuv's default thread count). */
  sessions?: number;
}

/** One initialised module per path and process: C_Initialize may only run once. */
const modules = new Map<string, Pkcs11Types.PKCS11>();

function loadModule(path: string): Pkcs11Types.PKCS11 {
  const known = modules.get(path);
  if (known !== undefined) return known;
  const { PKCS11, CKF_OS_LOCKING_OK, CKR_CRYPTOKI_ALREADY_INITIALIZED } = lib();
  const p11 = new PKCS11();
  try {
    p11.load(path);
  } catch (e) {
    throw new AuditSignerError(`cannot load PKCS#11 module \`${path}\`: ${(e as Error).message}`);
  }
  try {
    // Async calls enter the module from libuv worker threads, so it must lock with OS primitives.
    p11.C_Initialize({ flags: CKF_OS_LOCKING_OK });
  } catch (e) {
    // Someone else in this process initialised it: adopt it, and never C_Finalize what we do not own.
    if ((e as Pkcs11Types.Pkcs11Error).code !== CKR_CRYPTOKI_ALREADY_INITIALIZED)
      throw tokenError(`cannot initialise \`${path}\``, e);
  }
  modules.set(path, p11);
  return p11;
}

function tokenError(context: string, e: unknown): AuditSignerError {
  const message = (e as Error).message;
  const { CKR_PIN_INCORRECT, CKR_PIN_LOCKED, CKR_PIN_LEN_RANGE } = lib();
  const code = (e as Pkcs11Types.Pkcs11Error).code;
  if (code === CKR_PIN_INCORRECT || code === CKR_PIN_LEN_RANGE)
    return new AuditSignerError(`${context}: wrong PIN (${message}); not retried, so the token does not lock`);
  if (code === CKR_PIN_LOCKED) return new AuditSignerError(`${context}: the token's PIN is locked (${message})`);
  return new AuditSignerError(`${context}: ${message}`);
}

/** Errors after which a fresh session may succeed; anything else (a wrong PIN above all) is final. */
function isSessionLost(e: unknown): boolean {
  const p = lib();
  const lost = [
    p.CKR_SESSION_HANDLE_INVALID,
    p.CKR_SESSION_CLOSED,
    p.CKR_DEVICE_REMOVED,
    p.CKR_TOKEN_NOT_PRESENT,
    p.CKR_USER_NOT_LOGGED_IN,
  ];
  return lost.includes((e as Pkcs11Types.Pkcs11Error).code);
}

interface TokenSession {
  p11: Pkcs11Types.PKCS11;
  session: Buffer;
}

/** Opens a session on the token labelled `options.token` and logs the user in. */
function openLoggedIn(options: Pick<Pkcs11Options, "module" | "token" | "pin">): TokenSession & { slot: Buffer } {
  const { CKF_SERIAL_SESSION, CKF_RW_SESSION } = lib();
  const p11 = loadModule(options.module);
  const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === options.token);
  if (slot === undefined)
    throw new AuditSignerError(`PKCS#11 token \`${options.token}\` not found in \`${options.module}\``);
  const session = p11.C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION);
  logIn({ p11, session }, options.token, options.pin);
  return { p11, session, slot };
}

/** Logs the user in on `session`, closing it when the login fails. */
function logIn({ p11, session }: TokenSession, token: string, pin: string): void {
  try {
    p11.C_Login(session, lib().CKU_USER, pin);
  } catch (e) {
    // Login is per application and token: a second signer on the same token is already logged in.
    if ((e as Pkcs11Types.Pkcs11Error).code !== lib().CKR_USER_ALREADY_LOGGED_IN) {
      p11.C_CloseSession(session);
      throw tokenError(`cannot log in to token \`${token}\``, e);
    }
  }
}

function findObject({ p11, session }: TokenSession, objectClass: number, label: string): Buffer | undefined {
  p11.C_FindObjectsInit(session, [
    { type: lib().CKA_CLASS, value: objectClass },
    { type: lib().CKA_LABEL, value: label },
  ]);
  const handles = p11.C_FindObjects(session, 2);
  p11.C_FindObjectsFinal(session);
  if (handles.length > 1) throw new AuditSignerError(`more than one object labelled \`${label}\` on the token`);
  return handles[0];
}

/** The public key of a token key pair, built only from token attributes. */
function readPublicKey(token: TokenSession, label: string): { alg: AuditAlgorithm; publicKey: KeyObject } {
  const { CKO_PUBLIC_KEY, CKA_KEY_TYPE, CKA_EC_POINT, CKK_EC } = lib();
  const handle = findObject(token, CKO_PUBLIC_KEY, label);
  if (handle === undefined) throw new AuditSignerError(`no public key labelled \`${label}\` on the token`);
  const [type, point] = token.p11.C_GetAttributeValue(token.session, handle, [
    { type: CKA_KEY_TYPE },
    { type: CKA_EC_POINT },
  ]);
  const keyType = type!.value!.readUInt32LE(0);
  const raw = unwrapOctetString(point!.value!);
  if (keyType === CKK_EC && raw.length === 65) return { alg: "ES256", publicKey: spki(P256_SPKI_PREFIX, raw) };
  if (keyType === CKK_EC_EDWARDS && raw.length === 32)
    return { alg: "EdDSA", publicKey: spki(ED25519_SPKI_PREFIX, raw) };
  throw new AuditSignerError(`key \`${label}\` is neither ECDSA P-256 nor Ed25519`);
}

/** CKA_EC_POINT is a DER OCTET STRING; keys imported into SoftHSM may hold the raw bytes. */
function unwrapOctetString(value: Buffer): Buffer {
  return value[0] === 0x04 && value[1] === value.length - 2 ? value.subarray(2) : value;
}

function spki(prefix: Buffer, raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([prefix, raw]), format: "der", type: "spki" });
}

/** Opens a signer on an existing token key pair; rejects (fail closed) when anything is missing. */
export async function openPkcs11Signer(options: Pkcs11Options): Promise<AuditSigner> {
  const first = openLoggedIn(options);
  try {
    const { alg, publicKey } = readPublicKey(first, options.key);
    const privateKey = findObject(first, lib().CKO_PRIVATE_KEY, options.key);
    if (privateKey === undefined)
      throw new AuditSignerError(`no private key labelled \`${options.key}\` on token \`${options.token}\``);
    if (alg === "EdDSA" && !first.p11.C_GetMechanismList(first.slot).includes(CKM_EDDSA)) {
      throw new AuditSignerError(
        `token \`${options.token}\` does not offer CKM_EDDSA for Ed25519 key \`${options.key}\``,
      );
    }
    const { p11, slot } = first;
    const openSession = (): Buffer => {
      const session = p11.C_OpenSession(slot, lib().CKF_SERIAL_SESSION);
      logIn({ p11, session }, options.token, options.pin);
      return session;
    };
    // After a logout the token may renumber private objects, so a reconnect looks the key up again.
    const reconnect = (): Reconnected => {
      const session = openSession();
      const key = findObject({ p11, session }, lib().CKO_PRIVATE_KEY, options.key);
      if (key === undefined)
        throw new AuditSignerError(`the private key \`${options.key}\` is gone from token \`${options.token}\``);
      return { session, privateKey: key };
    };
    const sessions = [first.session];
    for (let i = 1; i < (options.sessions ?? DEFAULT_SESSIONS); i++) sessions.push(openSession());
    return new Pkcs11Signer(p11, sessions, reconnect, privateKey, alg, publicKey);
  } catch (e) {
    first.p11.C_CloseSession(first.session);
    throw e instanceof AuditSignerError ? e : tokenError(`token \`${options.token}\``, e);
  }
}

interface Reconnected {
  session: Buffer;
  privateKey: Buffer;
}

class Pkcs11Signer implements AuditSigner {
  private readonly idle: Buffer[];
  private readonly waiting: ((session: Buffer) => void)[] = [];
  private readonly mechanism: number;

  constructor(
    private readonly p11: Pkcs11Types.PKCS11,
    private readonly sessions: Buffer[],
    /** Opens and logs in a replacement for a session the token dropped. */
    private readonly reconnect: () => Reconnected,
    private privateKey: Buffer,
    readonly alg: AuditAlgorithm,
    readonly publicKey: KeyObject,
  ) {
    this.idle = [...sessions];
    this.mechanism = alg === "ES256" ? lib().CKM_ECDSA : CKM_EDDSA;
  }

  async sign(message: Buffer): Promise<Buffer> {
    // CKM_ECDSA signs its input as the digest, so ES256 hashes here; EdDSA signs the message itself.
    const input = this.alg === "ES256" ? createHash("sha256").update(message).digest() : message;
    let session = await this.acquire();
    try {
      return await this.signWith(session, input);
    } catch (e) {
      if (!isSessionLost(e)) throw tokenError("PKCS#11 signing failed", e);
      // The token dropped the session (reset, re-plugged, sessions closed): reopen, log in, retry once.
      session = this.replaceSession(session);
      try {
        return await this.signWith(session, input);
      } catch (again) {
        throw tokenError("PKCS#11 signing failed after reopening the session", again);
      }
    } finally {
      this.release(session);
    }
  }

  private async signWith(session: Buffer, input: Buffer): Promise<Buffer> {
    this.p11.C_SignInit(session, { mechanism: this.mechanism }, this.privateKey);
    return this.p11.C_SignAsync(session, input, Buffer.alloc(64));
  }

  private replaceSession(lost: Buffer): Buffer {
    let fresh: Reconnected;
    try {
      fresh = this.reconnect();
    } catch (e) {
      throw e instanceof AuditSignerError ? e : tokenError("cannot reopen a PKCS#11 session", e);
    }
    this.privateKey = fresh.privateKey;
    this.sessions[this.sessions.indexOf(lost)] = fresh.session;
    return fresh.session;
  }

  async close(): Promise<void> {
    for (const session of this.sessions) {
      try {
        this.p11.C_CloseSession(session);
      } catch {
        // Already closed by the token (removed device): nothing left to release.
      }
    }
  }

  private acquire(): Promise<Buffer> {
    const session = this.idle.pop();
    if (session !== undefined) return Promise.resolve(session);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(session: Buffer): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(session);
    else this.idle.push(session);
  }
}

export interface Pkcs11KeygenOptions extends Omit<Pkcs11Options, "sessions"> {
  alg?: AuditAlgorithm;
}

/** Generates a non-extractable key pair on the token (ES256 by default) and returns its public key. */
export async function generatePkcs11Key(
  options: Pkcs11KeygenOptions,
): Promise<{ alg: AuditAlgorithm; publicKey: KeyObject }> {
  const p = lib();
  const token = openLoggedIn(options);
  try {
    if (findObject(token, p.CKO_PRIVATE_KEY, options.key) !== undefined)
      throw new AuditSignerError(`token \`${options.token}\` already has a key labelled \`${options.key}\``);
    const ed = options.alg === "EdDSA";
    const id = createHash("sha256").update(options.key).digest().subarray(0, 8);
    const common = [
      { type: p.CKA_TOKEN, value: true },
      { type: p.CKA_LABEL, value: options.key },
      { type: p.CKA_ID, value: id },
    ];
    await token.p11.C_GenerateKeyPairAsync(
      token.session,
      { mechanism: ed ? CKM_EC_EDWARDS_KEY_PAIR_GEN : p.CKM_EC_KEY_PAIR_GEN },
      [...common, { type: p.CKA_EC_PARAMS, value: ed ? ED25519_OID : P256_OID }, { type: p.CKA_VERIFY, value: true }],
      [
        ...common,
        { type: p.CKA_PRIVATE, value: true },
        { type: p.CKA_SENSITIVE, value: true },
        { type: p.CKA_EXTRACTABLE, value: false },
        { type: p.CKA_SIGN, value: true },
      ],
    );
    return readPublicKey(token, options.key);
  } catch (e) {
    throw e instanceof AuditSignerError ? e : tokenError(`cannot generate key \`${options.key}\``, e);
  } finally {
    token.p11.C_CloseSession(token.session);
  }
}

/** The public key of an existing token key pair (for `musgo audit pubkey`). */
export async function readPkcs11PublicKey(
  options: Omit<Pkcs11Options, "sessions">,
): Promise<{ alg: AuditAlgorithm; publicKey: KeyObject }> {
  const signer = await openPkcs11Signer({ ...options, sessions: 1 });
  await signer.close();
  return { alg: signer.alg, publicKey: signer.publicKey };
}
