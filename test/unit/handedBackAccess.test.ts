import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../gateway/auth/GatewayContext.ts';
import { SigningDataSource } from '../../gateway/auth/SigningDataSource.ts';
import type { AuditEntry } from '../../server/audit/AuditEntry.ts';
import { readHandedBackAccess, type HandedBackFetch } from '../../server/audit/handedBackAccess.ts';

/**
 * The gateway commits the ACCESS records a subgraph hands back with its
 * answer. What it takes must be exactly that fetch's records, field by field:
 * a subgraph (or anything between it and the gateway) must not be able to
 * write a record of another request, another subgraph or another consumer, a
 * REQUEST record, an export manifest, or anything but the audit fields.
 */
const FETCH: HandedBackFetch = {
  requestId: 'req-1',
  correlationId: 'client-7',
  subgraph: 'public_security',
  consumerDepartment: 'civil_affairs',
  consumerApplication: 'relief',
  userId: 'u1',
  purpose: 'social-assistance',
};

/** An ACCESS record of that very fetch. */
const RECORD: AuditEntry = {
  at: '2026-11-30T22:00:00.123Z',
  kind: 'ACCESS',
  ...FETCH,
  grantId: 'g-1,g-2',
  datasetCode: 'PS-POP-001',
  providerDepartment: 'public_security',
  itemsReturned: ['name', 'gender'],
  itemsMasked: ['name'],
  itemsDenied: ['address'],
  recordCount: 1,
  verifications: 0,
  verifiedItems: [],
  verificationsMatched: 0,
  decision: 'PARTIAL',
  reason: 'NOT_GRANTED',
  operationName: 'Person',
  operationHash: null,
  latencyMs: 3,
};

describe('readHandedBackAccess', () => {
  it('takes the fetch’s own ACCESS records, and nothing when none came', () => {
    expect(readHandedBackAccess([RECORD, RECORD], FETCH)).toEqual([RECORD, RECORD]);
    expect(readHandedBackAccess(undefined, FETCH)).toEqual([]);
  });

  it('rebuilds each record from the audit fields only', () => {
    const [taken] = readHandedBackAccess([{ ...RECORD, rowValue: '张三', hash: 'x' }], FETCH);
    expect(taken).toEqual(RECORD);
    expect(Object.keys(taken!)).not.toContain('rowValue');
  });

  it.each<[string, Record<string, unknown>]>([
    ['another request', { requestId: 'req-2' }],
    ['another correlation id', { correlationId: null }],
    ['another subgraph', { subgraph: 'city_water' }],
    ['another consumer', { consumerDepartment: 'market_supervision' }],
    ['another application', { consumerApplication: null }],
    ['another user', { userId: 'u2' }],
    ['another purpose', { purpose: 'tax' }],
    ['a REQUEST record', { kind: 'REQUEST' }],
    ['a decision no dataset access has', { decision: 'REFUSED' }],
    ['an export manifest', { manifest: '{"records":1}' }],
    ['a negative count', { recordCount: -1 }],
    ['a fractional count', { verifications: 0.5 }],
    ['a count as text', { recordCount: '1' }],
    ['an item that is not a name', { itemsReturned: [{ name: 'x' }] }],
    ['items that are not a list', { itemsMasked: 'name' }],
    ['a time not in UTC ISO form', { at: '2026-11-30 22:00:00' }],
    ['an overlong text', { reason: 'x'.repeat(4097) }],
    ['a dataset code that is not text', { datasetCode: 7 }],
  ])('refuses %s', (_, change) => {
    expect(() => readHandedBackAccess([{ ...RECORD, ...change }], FETCH)).toThrow();
  });

  it('refuses what is not a list of records, and more than 1,000 of them', () => {
    expect(() => readHandedBackAccess(RECORD, FETCH)).toThrow();
    expect(() => readHandedBackAccess([null], FETCH)).toThrow();
    expect(() => readHandedBackAccess(['ACCESS'], FETCH)).toThrow();
    expect(() => readHandedBackAccess(Array(1001).fill(RECORD), FETCH)).toThrow();
  });
});

describe('the gateway’s data source', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const source = new SigningDataSource(
    'public_security',
    'http://127.0.0.1:9/graphql',
    privateKey,
    {
      fetch: () => Promise.reject(new Error('not used')),
    } as never,
  );
  const context = () =>
    ({
      identity: {
        caller: {
          department: 'civil_affairs',
          application: 'relief',
          user: 'u1',
          roles: ['APP_DEVELOPER'],
        },
        purpose: 'social-assistance',
        grantId: null,
        requestId: 'req-1',
        correlationId: 'client-7',
        operationName: 'Person',
      },
      masked: false,
      accessRecords: [],
    }) as unknown as GatewayContext;
  const receive = (ctx: GatewayContext, extensions: Record<string, unknown>) =>
    source.didReceiveResponse({
      response: { data: { person: { name: '张三' } }, extensions },
      request: {},
      context: ctx,
    });

  it('keeps the fetch’s records for the REQUEST commit and passes none of them on', () => {
    const ctx = context();
    const response = receive(ctx, { govdataAccessRecords: [RECORD], govdataAccessMasked: true });
    expect(ctx.accessRecords).toEqual([RECORD]);
    expect(ctx.masked).toBe(true);
    expect(response.extensions).not.toHaveProperty('govdataAccessRecords');
  });

  it('fails the fetch on a record of another consumer, and keeps nothing of it', () => {
    const ctx = context();
    expect(() =>
      receive(ctx, {
        govdataAccessRecords: [{ ...RECORD, consumerDepartment: 'market_supervision' }],
      }),
    ).toThrow(/consumerDepartment/);
    expect(ctx.accessRecords).toEqual([]);
  });
});
