import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../server/audit/AuditEntry.ts';
import {
  accessRecordMessage,
  attestAccess,
  attestationProblem,
} from '../../server/audit/accessAttestation.ts';

/**
 * A department's signature over an ACCESS record must hold for exactly the
 * fields the audit table stores, as it stores them, and for nothing else: a
 * changed value, a value of another type, another fetch's nonce, another
 * department's key all fail. Each test fails if a forgery passes.
 */
const publicSecurity = generateKeyPairSync('ed25519');
const cityWater = generateKeyPairSync('ed25519');
const NONCE = 'n0nce-of-this-fetch_';

const RECORD: AuditEntry = {
  at: '2026-11-30T22:00:00.123Z',
  kind: 'ACCESS',
  requestId: 'req-1',
  correlationId: 'client-7',
  subgraph: 'public_security',
  consumerDepartment: 'civil_affairs',
  consumerApplication: 'relief',
  userId: 'zoë',
  purpose: 'social-assistance',
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
  operationName: '查询人口',
  operationHash: null,
  latencyMs: 3,
};

const signed = attestAccess(RECORD, publicSecurity.privateKey, NONCE);
const problem = (
  entry: AuditEntry,
  attestation: string | null = signed,
  nonce: string | undefined = NONCE,
) => attestationProblem(entry, attestation, publicSecurity.publicKey, nonce);

describe('an ACCESS record attestation', () => {
  it('verifies for the record it was made for, with its nonce or any', () => {
    expect(signed).toMatch(/^v1\.n0nce-of-this-fetch_\.[\w-]{86}$/);
    expect(problem(RECORD)).toBeNull();
    expect(problem(RECORD, signed, undefined)).toBeNull();
    const committed = attestAccess(RECORD, publicSecurity.privateKey);
    expect(committed).toMatch(/^v1\.\.[\w-]{86}$/);
    expect(problem(RECORD, committed, '')).toBeNull();
  });

  it.each<[string, Partial<AuditEntry>]>([
    ['fewer records', { recordCount: 0 }],
    ['an item dropped', { itemsReturned: ['gender'] }],
    ['items re-ordered', { itemsReturned: ['gender', 'name'] }],
    ['an item moved from masked to returned', { itemsMasked: [] }],
    ['another decision', { decision: 'ALLOWED' }],
    ['another consumer', { consumerDepartment: 'market_supervision' }],
    ['another request', { requestId: 'req-2' }],
    ['another time', { at: '2026-11-30T22:00:00.124Z' }],
    ['a reason removed', { reason: null }],
    ['a reason emptied', { reason: '' }],
    ['a null spelled as text', { operationHash: 'null' }],
    ['a manifest added', { manifest: '{"records":1}' }],
    ['a trace id added', { traceId: '0af7651916cd43dd8448eb211c80319c' }],
    ['the same user in another Unicode form (NFD)', { userId: 'zoë'.normalize('NFD') }],
    ['a name with a look-alike character', { datasetCode: 'PS-P\u041EP-001' }],
  ])('fails when the record has %s', (_, change) => {
    expect(problem({ ...RECORD, ...change })).toMatch(/not the department's signature/);
  });

  it('tells a count from its text, and a list from its items joined', () => {
    expect(accessRecordMessage(RECORD, NONCE)).not.toEqual(
      accessRecordMessage({ ...RECORD, itemsDenied: ['address,name'] }, NONCE),
    );
    expect(problem({ ...RECORD, recordCount: '1' as unknown as number })).toMatch(
      /cannot be attested: expected a whole number/,
    );
    expect(problem({ ...RECORD, latencyMs: 3.5 })).toMatch(/cannot be attested/);
  });

  it('is the same for an optional field absent and null, as the table stores both', () => {
    expect(RECORD).not.toHaveProperty('traceId');
    expect(RECORD).not.toHaveProperty('manifest');
    expect(accessRecordMessage(RECORD, NONCE)).toEqual(
      accessRecordMessage({ ...RECORD, traceId: null, manifest: null }, NONCE),
    );
    expect(problem({ ...RECORD, manifest: null, traceId: null })).toBeNull();
  });

  it('does not depend on the order the record’s properties were written in', () => {
    const reversed = Object.fromEntries(Object.entries(RECORD).reverse()) as unknown as AuditEntry;
    expect(problem(reversed)).toBeNull();
  });

  it('signs Unicode as it is, and refuses text that could not be stored unchanged', () => {
    const emoji = { ...RECORD, operationName: '查询 👪 ü' };
    expect(problem(emoji, attestAccess(emoji, publicSecurity.privateKey, NONCE))).toBeNull();
    expect(() =>
      attestAccess({ ...RECORD, operationName: 'half \uD83D' }, publicSecurity.privateKey),
    ).toThrow(/well-formed/);
  });

  it('fails with another department’s key, another fetch’s nonce, or none', () => {
    const forged = attestAccess(RECORD, cityWater.privateKey, NONCE);
    expect(problem(RECORD, forged)).toMatch(/another key/);
    const otherFetch = attestAccess(RECORD, publicSecurity.privateKey, 'another-fetch-nonce');
    expect(problem(RECORD, otherFetch)).toMatch(/another fetch/);
    expect(problem(RECORD, `v1.${NONCE}.${otherFetch.split('.')[2]}`)).toMatch(/signature/);
    expect(problem(RECORD, null)).toBe('it has no attestation');
    expect(problem(RECORD, '')).toBe('it has no attestation');
    expect(problem(RECORD, 'v2.x.y')).toMatch(/not of the form/);
    expect(problem(RECORD, `v1.${NONCE}.short`)).toMatch(/64 bytes/);
  });

  it('attests ACCESS records only', () => {
    expect(() => attestAccess({ ...RECORD, kind: 'REQUEST' }, publicSecurity.privateKey)).toThrow(
      /only ACCESS/,
    );
  });
});
