import { createHash } from 'node:crypto';
import type { AuditEntry } from './AuditEntry.ts';

/** The hash before a writer's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash of a record: SHA-256 over its writer, position, predecessor's hash
 * and every field, in a fixed order with explicit nulls, so any change to any
 * stored field (or to the order) changes it.
 */
export function chainHash(
  writer: string,
  seq: number,
  prevHash: string,
  entry: AuditEntry,
): string {
  const fields = [
    writer,
    seq,
    prevHash,
    entry.at,
    entry.kind,
    entry.requestId,
    entry.subgraph,
    entry.consumerDepartment,
    entry.consumerApplication,
    entry.userId,
    entry.purpose,
    entry.grantId,
    entry.datasetCode,
    entry.providerDepartment,
    entry.itemsReturned,
    entry.itemsMasked,
    entry.itemsDenied,
    entry.recordCount,
    entry.decision,
    entry.reason,
    entry.operationName,
    entry.operationHash,
    entry.latencyMs,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
