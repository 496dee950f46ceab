export type { AuditDecision, AuditEntry, AuditRecord } from './AuditEntry.ts';
export { selectAuditRecords } from './auditQueries.ts';
export type { AuditFilter } from './auditQueries.ts';
export { AuditUnavailableError, AuditWriter } from './AuditWriter.ts';
export type { AuditWriterOptions } from './AuditWriter.ts';
export { chainHash, GENESIS_HASH } from './chainHash.ts';
export { verifyAuditChains } from './verifyAuditChains.ts';
export type { ChainProblem, ChainVerification } from './verifyAuditChains.ts';
