import { GraphQLError } from 'graphql';
import {
  EXPORT_OPERATION_NAME,
  type AuditEntry,
  type ExportManifest,
  type ExportPlan,
  type RequestIdentity,
} from '../../../server/index.ts';
import { accessEntry } from '../audit/index.ts';
import type { DatasetTable } from '../sql/index.ts';

/**
 * The ACCESS record of one delivery of an export: the items sent, those
 * masked, the records sent and the manifest (names, rules, counts, checksum;
 * no value). An export sent in one go is one record; a resumption adds one for
 * what it sent. A refused export is a DENIED record with the reason.
 */
export function exportAuditEntry(
  identity: RequestIdentity,
  subgraph: string,
  table: DatasetTable,
  latencyMs: number,
  outcome: Delivered | { refused: unknown },
): AuditEntry {
  const base = {
    ...accessEntry(identity, subgraph, table.entry, new Date().toISOString(), latencyMs),
    operationName: EXPORT_OPERATION_NAME,
  };
  if ('refused' in outcome) {
    const error = outcome.refused;
    const extensions = error instanceof GraphQLError ? error.extensions : {};
    const reason = [extensions.reason, extensions.code].find((r) => typeof r === 'string');
    const item = typeof extensions.item === 'string' ? [extensions.item] : [];
    return {
      ...base,
      itemsDenied: item,
      decision: 'DENIED',
      reason: reason ?? 'INTERNAL_SERVER_ERROR',
    };
  }
  const { plan, sent } = outcome;
  const masked = Object.keys(plan.masks);
  return {
    ...base,
    grantId: plan.grants.length > 0 ? [...plan.grants].sort().join(',') : null,
    itemsReturned: plan.items,
    itemsMasked: masked,
    recordCount: sent,
    decision: masked.length > 0 ? 'MASKED' : 'ALLOWED',
    reason: outcome.stoppedBecause,
    manifest: JSON.stringify(outcome.manifest ?? { exportId: outcome.exportId, ...plan }),
  };
}

/**
 * One delivery as it ended: its manifest, or — when the connection broke
 * before the end — the plan, the export id and the records sent until then.
 */
export interface Delivered {
  exportId: string;
  plan: ExportPlan;
  sent: number;
  stoppedBecause: string | null;
  manifest: ExportManifest | null;
}
