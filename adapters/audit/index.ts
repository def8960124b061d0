// Public API of the tamper-evident audit log: records, signers, checkpoints, verification, proofs.
// Optional for the rest of musgo: runtime/ and compiler/ never import adapters/.

export {
  openAuditLog,
  AuditLogError,
  type AuditLog,
  type AuditLogOptions,
  type AuditMode,
  type AuditReceipt,
  type UncoveredTail,
} from "./log.js";
export { verifyAuditLog } from "./verify.js";
export type { VerifyOptions, VerifyResult, VerifyError, VerifyStatus, TailReport } from "./verify.js";
export { proveRecord, verifyRecordProof, type ProofCheck } from "./proof.js";
export {
  AuditSignerError,
  algorithmOf,
  keyIdOf,
  publicKeyPem,
  verifySignature,
  type AuditAlgorithm,
  type AuditSigner,
} from "./signer.js";
export { softwareSigner, generateSoftwareKey, writeSoftwareKey, loadSoftwareSigner } from "./software.js";
export {
  openPkcs11Signer,
  generatePkcs11Key,
  readPkcs11PublicKey,
  type Pkcs11Options,
  type Pkcs11KeygenOptions,
} from "./pkcs11.js";
export { TrustStore, parseTrustFile, loadTrustFile, type TrustedKey } from "./trust.js";
export {
  signCheckpoint,
  checkpointText,
  splitNotes,
  verifyCheckpointNote,
  type Checkpoint,
  type SignedNote,
} from "./checkpoint.js";
export {
  RecordFormatter,
  inputDigest,
  textDigest,
  verdictBody,
  releaseBody,
  signedBytesOf,
  withSignature,
  logNameOf,
  type AuditRecord,
  type AuditContext,
  type VerdictBody,
  type ReleaseBody,
  type ReleaseReport,
} from "./record.js";
export {
  CompactRange,
  leafHash,
  nodeHash,
  rootOf,
  inclusionProof,
  rootFromInclusionProof,
  verifyInclusion,
  EMPTY_ROOT,
} from "./merkle.js";
export { guardAuditSink } from "./guard-sink.js";
