// The Vault adapter's public surface.

export {
  createVaultClient,
  vaultStatus,
  isCasMismatch,
  describeVaultError,
  type VaultClient,
  type VaultConnection,
} from "./client.js";
export { KvV2, kvWriteBody, kvDataPath, type KvEntry } from "./kv.js";
export { IncidentSpool, type SpooledIncident } from "./spool.js";
export {
  VaultIncidentStore,
  VaultIncidentPlanner,
  DEFAULT_INCIDENT_PREFIX,
  DEFAULT_SPOOL_FILE,
  type VaultIncidentStoreOptions,
  type ReplayOutcome,
} from "./incident-store.js";
export {
  VaultCheckpointAnchor,
  CheckpointConflictError,
  DEFAULT_CHECKPOINT_PREFIX,
  type AnchoredCheckpoint,
} from "./checkpoint-anchor.js";
export {
  openTransitSigner,
  generateTransitKey,
  readTransitPublicKey,
  DEFAULT_TRANSIT_MOUNT,
  type TransitOptions,
  type TransitPublicKey,
} from "./transit-signer.js";
