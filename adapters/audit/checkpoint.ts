// C2SP checkpoints (c2sp.org/tlog-checkpoint) as signed notes (c2sp.org/signed-note):
//   <origin>\n<size>\n<std base64 root>\n\n— <origin> base64(keyID[4] ‖ signature)\n
// Ed25519 keys sign as type 0x01, ECDSA P-256 keys as type 0x02 (DER signature over SHA-256 of the
// text, key ID from the SPKI, as transparency-dev/witness does). A checkpoints file is notes back to back.

import { createHash, verify } from "node:crypto";
import { spkiDer, type AuditSigner } from "./signer.js";
import type { TrustedKey, TrustStore } from "./trust.js";

export interface Checkpoint {
  origin: string;
  size: number;
  /** Base64url RFC 6962 root, as the rest of the audit library carries hashes. */
  root: string;
}

const SIGNATURE_PREFIX = "— ";
const ED25519_TYPE = 0x01;
const ECDSA_TYPE = 0x02;

/** An origin is one note line and one key name: non-empty, no spaces, no `+`. */
export function isValidOrigin(origin: string): boolean {
  return /^[^\s+\u2014]+$/u.test(origin);
}

export function checkpointText(checkpoint: Checkpoint): string {
  return `${checkpoint.origin}\n${checkpoint.size}\n${Buffer.from(checkpoint.root, "base64url").toString("base64")}\n`;
}

/** The signed note for `checkpoint`, signed by `signer` under the key name `checkpoint.origin`. */
export async function signCheckpoint(signer: AuditSigner, checkpoint: Checkpoint): Promise<string> {
  const text = checkpointText(checkpoint);
  const raw = await signer.sign(Buffer.from(text, "utf8"));
  const signature = signer.alg === "EdDSA" ? raw : p1363ToDer(raw);
  const keyId = noteKeyId(checkpoint.origin, signer.alg === "EdDSA" ? ED25519_TYPE : ECDSA_TYPE, signer.publicKey);
  return `${text}\n${SIGNATURE_PREFIX}${checkpoint.origin} ${Buffer.concat([keyId, signature]).toString("base64")}\n`;
}

function noteKeyId(name: string, type: number, publicKey: TrustedKey["publicKey"]): Buffer {
  const der = spkiDer(publicKey);
  const digest =
    type === ED25519_TYPE
      ? createHash("sha256")
          .update(`${name}\n`)
          .update(Buffer.of(type))
          .update(der.subarray(der.length - 32))
          .digest()
      : createHash("sha256").update(der).digest();
  return digest.subarray(0, 4);
}

/** ECDSA raw r‖s (PKCS#11, JWS) to the ASN.1 DER SEQUENCE of two INTEGERs that notes carry. */
export function p1363ToDer(raw: Buffer): Buffer {
  const half = raw.length / 2;
  const integer = (bytes: Buffer): Buffer => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
    const trimmed = bytes.subarray(start);
    const body = trimmed[0]! & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed;
    return Buffer.concat([Buffer.of(0x02, body.length), body]);
  };
  const content = Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]);
  return Buffer.concat([Buffer.of(0x30, content.length), content]);
}

export interface SignedNote {
  text: string;
  signatures: { name: string; signature: Buffer }[];
  /** The note exactly as it appeared in the file. */
  raw: string;
}

/**
 * Splits a checkpoints file into notes. `rest` is an incomplete trailing note (a torn write), which
 * the writer truncates on reopen and the verifier reports.
 */
export function splitNotes(fileText: string): { notes: SignedNote[]; rest: string } {
  const notes: SignedNote[] = [];
  let offset = 0;
  for (;;) {
    const note = readNote(fileText, offset);
    if (note === null) return { notes, rest: fileText.slice(offset) };
    notes.push(note.note);
    offset = note.end;
  }
}

/**
 * Whether `rest` (what `splitNotes` could not read) is a note of `origin` cut short by a crash: a
 * byte prefix of one, without the newline that ends its signature line. The writer writes a note
 * with one write, so anything else after the last note was put there by someone else.
 */
export function isTornNote(rest: string, origin: string): boolean {
  const head = `${origin}\n`;
  return (rest.startsWith(head) || head.startsWith(rest)) && !/\n\n— [^\n]*\n/u.test(rest);
}

function readNote(fileText: string, offset: number): { note: SignedNote; end: number } | null {
  const blank = fileText.indexOf("\n\n", offset);
  if (blank < 0) return null;
  const text = fileText.slice(offset, blank + 1);
  const signatures: SignedNote["signatures"] = [];
  let end = blank + 2;
  while (fileText.startsWith(SIGNATURE_PREFIX, end)) {
    const newline = fileText.indexOf("\n", end);
    if (newline < 0) break;
    const line = fileText.slice(end + SIGNATURE_PREFIX.length, newline);
    const space = line.lastIndexOf(" ");
    signatures.push({ name: line.slice(0, space), signature: Buffer.from(line.slice(space + 1), "base64") });
    end = newline + 1;
  }
  if (signatures.length === 0) return null;
  return { note: { text, signatures, raw: fileText.slice(offset, end) }, end };
}

/**
 * Verifies a note as a checkpoint of `origin` (signed-note rules: signatures from unknown keys are
 * ignored, a bad signature from a known key rejects the note, at least one known key must sign).
 * Returns the checkpoint, or the reason it is not one.
 */
export function verifyCheckpointNote(note: SignedNote, origin: string, trust: TrustStore): Checkpoint | string {
  let verified = false;
  for (const { name, signature } of note.signatures) {
    if (name !== origin) continue;
    const key = trust
      .keys()
      .find((k) =>
        noteKeyId(origin, k.alg === "EdDSA" ? ED25519_TYPE : ECDSA_TYPE, k.publicKey).equals(signature.subarray(0, 4)),
      );
    if (key === undefined) continue;
    if (!verifyNoteSignature(key, Buffer.from(note.text, "utf8"), signature.subarray(4)))
      return "checkpoint signature does not verify";
    verified = true;
  }
  if (!verified) return "checkpoint is not signed by a trusted key";
  return parseCheckpointText(note.text, origin);
}

function verifyNoteSignature(key: TrustedKey, text: Buffer, signature: Buffer): boolean {
  try {
    if (key.alg === "EdDSA") return verify(null, text, key.publicKey, signature);
    return verify("sha256", text, { key: key.publicKey, dsaEncoding: "der" }, signature);
  } catch {
    return false;
  }
}

function parseCheckpointText(text: string, origin: string): Checkpoint | string {
  const [noteOrigin, sizeText, rootText] = text.split("\n");
  if (noteOrigin !== origin) return `checkpoint origin \`${noteOrigin}\` is not the log \`${origin}\``;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText ?? "") || !Number.isSafeInteger(Number(sizeText)))
    return "checkpoint size is malformed";
  const root = Buffer.from(rootText ?? "", "base64");
  if (root.length !== 32 || root.toString("base64") !== rootText) return "checkpoint root hash is malformed";
  return { origin, size: Number(sizeText), root: root.toString("base64url") };
}
