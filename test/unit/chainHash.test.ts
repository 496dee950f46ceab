import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH, type AuditEntry } from '../../server/audit/index.ts';

const entry: AuditEntry = {
  at: '2026-11-21T08:00:00.000Z',
  kind: 'ACCESS',
  requestId: '5f0c6a52-8d7e-4f57-9a59-0a4c3c1e2b11',
  correlationId: null,
  subgraph: 'public_security',
  consumerDepartment: 'civil_affairs',
  consumerApplication: null,
  userId: 'u1',
  purpose: 'social-assistance',
  grantId: 'G-DEMO-CA-POP',
  datasetCode: 'PS-POP-001',
  providerDepartment: 'public_security',
  itemsReturned: ['name'],
  itemsMasked: [],
  itemsDenied: ['phone'],
  recordCount: 1,
  verifications: 0,
  verifiedItems: [],
  verificationsMatched: 0,
  decision: 'PARTIAL',
  reason: 'NO_GRANT',
  operationName: null,
  operationHash: null,
  latencyMs: 3,
};

/** The hash as records were chained before correlation ids and verifications were recorded. */
function hashBeforeNewFields(e: AuditEntry): string {
  const fields = [
    'w',
    1,
    GENESIS_HASH,
    e.at,
    e.kind,
    e.requestId,
    e.subgraph,
    e.consumerDepartment,
    e.consumerApplication,
    e.userId,
    e.purpose,
    e.grantId,
    e.datasetCode,
    e.providerDepartment,
    e.itemsReturned,
    e.itemsMasked,
    e.itemsDenied,
    e.recordCount,
    e.decision,
    e.reason,
    e.operationName,
    e.operationHash,
    e.latencyMs,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

describe('chainHash', () => {
  it('hashes a record without correlation id or verifications as before, so old chains verify', () => {
    expect(chainHash('w', 1, GENESIS_HASH, entry)).toBe(hashBeforeNewFields(entry));
  });

  it('covers the correlation id and the verifications of newer records', () => {
    const base = chainHash('w', 1, GENESIS_HASH, { ...entry, correlationId: 'c-1' });
    expect(base).not.toBe(hashBeforeNewFields(entry));
    for (const change of [
      { correlationId: 'c-2' },
      { correlationId: null },
      { verifications: 1 },
      { verifiedItems: ['name'] },
      { verificationsMatched: 1 },
    ]) {
      expect(
        chainHash('w', 1, GENESIS_HASH, { ...entry, correlationId: 'c-1', ...change }),
      ).not.toBe(base);
    }
  });

  it('covers an attestation, while a record without one hashes as before it existed', () => {
    const manifest = '{"records":1}';
    const withManifest = { ...entry, traceId: null, manifest };
    expect(chainHash('w', 1, GENESIS_HASH, { ...withManifest, attestation: null })).toBe(
      chainHash('w', 1, GENESIS_HASH, withManifest),
    );
    const attested = chainHash('w', 1, GENESIS_HASH, { ...entry, attestation: 'v1..sig' });
    expect(attested).not.toBe(hashBeforeNewFields(entry));
    for (const change of [{ attestation: 'v1..other' }, { attestation: null }, { manifest }]) {
      expect(
        chainHash('w', 1, GENESIS_HASH, { ...entry, attestation: 'v1..sig', ...change }),
      ).not.toBe(attested);
    }
  });
});
