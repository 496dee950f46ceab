export { ACCESS_RECORDS_EXTENSION, readHandedBackAccess } from './handedBackAccess.ts';
export type { HandedBackFetch } from './handedBackAccess.ts';
export { ACCESS_MASKED_EXTENSION, EXPORT_OPERATION_NAME } from './AuditEntry.ts';
export { AttestingAuditSink } from './AttestingAuditSink.ts';
export type { AuditDecision, AuditEntry, AuditRecord } from './AuditEntry.ts';
export { selectAuditRecords } from './auditQueries.ts';
export type { AuditFilter } from './auditQueries.ts';
export { AuditUnavailableError, AuditWriter, commitAuditRowsInTransaction } from './AuditWriter.ts';
export type { AuditWriterOptions, CommitAuditRows } from './AuditWriter.ts';
export {
  ChainHeadMovedError,
  classifyAuditWriteFailure,
  StaleChainHeadError,
} from './auditWriteFailure.ts';
export type { AuditWriteFailure } from './auditWriteFailure.ts';
export { chainHash, GENESIS_HASH } from './chainHash.ts';
export { verifyAuditChains } from './verifyAuditChains.ts';
export type {
  AttestationCount,
  AttestationVerification,
  ChainProblem,
  ChainVerification,
} from './verifyAuditChains.ts';
export { DiscardingAuditSinkForBenchmarks } from './AuditSink.ts';
export type { AuditSink } from './AuditSink.ts';
export { failClosed } from './failClosed.ts';
export { WorkerAuditSink, writeAuditForWorkers } from './clusterAudit.ts';
export {
  checkpointIsSigned,
  checkpointKeyId,
  readAuditCheckpoints,
  signCheckpoint,
} from './AuditCheckpoint.ts';
export type {
  AuditCheckpoint,
  CheckpointDefect,
  CheckpointSigning,
  CheckpointVerification,
} from './AuditCheckpoint.ts';
export { AuditCheckpointer } from './AuditCheckpointer.ts';
