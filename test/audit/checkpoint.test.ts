import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  checkpointText,
  p1363ToDer,
  signCheckpoint,
  splitNotes,
  verifyCheckpointNote,
} from "../../adapters/audit/checkpoint.js";
import { leafHash } from "../../adapters/audit/merkle.js";
import { spkiDer } from "../../adapters/audit/signer.js";
import { newSigner, trustOf } from "./support.js";

const checkpoint = { origin: "musgo.test/audit", size: 42, root: leafHash("root") };

describe("C2SP checkpoints", () => {
  it("the note text is origin, size and standard base64 root, one per line", () => {
    expect(checkpointText(checkpoint)).toBe(
      `musgo.test/audit\n42\n${Buffer.from(checkpoint.root, "base64url").toString("base64")}\n`,
    );
  });

  it("an Ed25519 note carries key ID SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4] and verifies", async () => {
    const signer = newSigner("EdDSA");
    const note = await signCheckpoint(signer, checkpoint);
    expect(note).toMatch(/^musgo\.test\/audit\n42\n[A-Za-z0-9+/]{43}=\n\n— musgo\.test\/audit [A-Za-z0-9+/=]+\n$/);
    const der = spkiDer(signer.publicKey);
    const expectedId = createHash("sha256")
      .update("musgo.test/audit\n")
      .update(Buffer.of(1))
      .update(der.subarray(-32))
      .digest()
      .subarray(0, 4);
    const { notes } = splitNotes(note);
    expect(notes[0]!.signatures[0]!.signature.subarray(0, 4)).toEqual(expectedId);
    expect(verifyCheckpointNote(notes[0]!, "musgo.test/audit", trustOf(signer))).toEqual(checkpoint);
  });

  it("an ECDSA note carries key ID SHA-256(SPKI)[:4] and a DER signature", async () => {
    const signer = newSigner("ES256");
    const { notes } = splitNotes(await signCheckpoint(signer, checkpoint));
    const signature = notes[0]!.signatures[0]!.signature;
    expect(signature.subarray(0, 4)).toEqual(
      createHash("sha256").update(spkiDer(signer.publicKey)).digest().subarray(0, 4),
    );
    expect(signature[4]).toBe(0x30);
    expect(verifyCheckpointNote(notes[0]!, "musgo.test/audit", trustOf(signer))).toEqual(checkpoint);
  });

  it("ignores unknown signers, rejects a bad signature from a known one and a wrong origin", async () => {
    const signer = newSigner();
    const stranger = newSigner();
    const note = await signCheckpoint(signer, checkpoint);
    const [parsed] = splitNotes(note).notes;
    expect(verifyCheckpointNote(parsed!, "musgo.test/audit", trustOf(stranger))).toBe(
      "checkpoint is not signed by a trusted key",
    );
    const forged = splitNotes(note.replace("\n42\n", "\n43\n")).notes[0]!;
    expect(verifyCheckpointNote(forged, "musgo.test/audit", trustOf(signer))).toBe(
      "checkpoint signature does not verify",
    );
    expect(verifyCheckpointNote(parsed!, "other.test/log", trustOf(signer))).toBe(
      "checkpoint is not signed by a trusted key",
    );
  });

  it("splits back-to-back notes and returns a torn tail", async () => {
    const signer = newSigner();
    const a = await signCheckpoint(signer, checkpoint);
    const b = await signCheckpoint(signer, { ...checkpoint, size: 43 });
    const { notes, rest } = splitNotes(a + b + b.slice(0, 30));
    expect(notes.map((n) => n.raw)).toEqual([a, b]);
    expect(rest).toBe(b.slice(0, 30));
  });

  it("converts raw r‖s to DER with minimal, positive integers", () => {
    const raw = Buffer.concat([Buffer.alloc(32, 0), Buffer.alloc(32, 0xff)]);
    raw[31] = 1;
    expect(p1363ToDer(raw).toString("hex")).toBe(`3026020101022100${"ff".repeat(32)}`);
  });
});
