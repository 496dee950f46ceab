import { createHash } from 'node:crypto';
import type { AuditEntry } from './AuditEntry.ts';

/** The hash before a writer's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash of a record: SHA-256 over its writer, position, predecessor's hash
 * and every field, in a fixed order with explicit nulls, so any change to any
 * stored field (or to the order) changes it.
 *
 * The fields added later (correlation id, verifications) follow the original
 * ones only when one of them holds something: records written before they
 * existed — where they read as null, 0 and [] — keep the hash they were
 * written with, and a newer record's hash covers them. Emptying them on a
 * newer record shortens the hashed list, so that too changes the hash. The
 * trace id, added after them, follows the same rule: it and the fields before
 * it are hashed only when it holds something. An export's manifest, added
 * after the trace id, follows the same rule again, and so does a department's
 * attestation of an ACCESS record, added after the manifest.
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
  const attested = entry.attestation !== undefined && entry.attestation !== null;
  const manifest = attested || (entry.manifest !== undefined && entry.manifest !== null);
  const traced = manifest || (entry.traceId !== undefined && entry.traceId !== null);
  if (
    traced ||
    entry.correlationId !== null ||
    entry.verifications !== 0 ||
    entry.verifiedItems.length > 0 ||
    entry.verificationsMatched !== 0
  ) {
    fields.push(
      entry.correlationId,
      entry.verifications,
      entry.verifiedItems,
      entry.verificationsMatched,
    );
  }
  if (traced) fields.push(entry.traceId ?? null);
  if (manifest) fields.push(entry.manifest ?? null);
  if (attested) fields.push(entry.attestation!);
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
