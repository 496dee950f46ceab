import { describe, expect, it } from 'vitest';
import { newGrant, type DatasetPolicy, type Grant } from '../../server/index.ts';
import { PolicySnapshot } from '../../subgraphs/kit/access/index.ts';

const grant = (id: string, consumerDepartment: string, datasetCode: string): Grant =>
  newGrant(
    {
      id,
      consumerDepartment,
      datasetCode,
      items: ['name'],
      purposes: ['audit'],
      modes: ['QUERY'],
      validFrom: '2020-01-01T00:00:00.000Z',
      validUntil: '2099-12-31T23:59:59.999Z',
    },
    'test',
  );

const policy = (code: string, sharingType: DatasetPolicy['sharingType']): DatasetPolicy => ({
  code,
  department: 'provider',
  sharingType,
  modes: ['QUERY'],
});

describe('PolicySnapshot.withChanges', () => {
  const a1 = grant('G-A1', 'a', 'D1');
  const a2 = grant('G-A2', 'a', 'D1');
  const b1 = grant('G-B1', 'b', 'D1');
  const base = PolicySnapshot.of(
    [policy('D1', 'CONDITIONAL'), policy('D2', 'UNCONDITIONAL')],
    [a2, b1, a1],
  );

  it('indexes grants by consumer and dataset, ordered by id', () => {
    expect(base.grantsOf('a', 'D1').map((g) => g.id)).toEqual(['G-A1', 'G-A2']);
    expect(base.grantsOf('b', 'D1')).toEqual([b1]);
    expect(base.grantsOf('c', 'D1')).toEqual([]);
  });

  it('replaces a changed grant and leaves the snapshot it came from as it was', () => {
    const revoked: Grant = { ...a1, status: 'REVOKED', version: 2 };
    const next = base.withChanges([{ before: a1, after: revoked }], new Map());
    expect(next.grantsOf('a', 'D1').map((g) => [g.id, g.status])).toEqual([
      ['G-A1', 'REVOKED'],
      ['G-A2', 'ACTIVE'],
    ]);
    expect(base.grantsOf('a', 'D1')[0]!.status).toBe('ACTIVE');
  });

  it("shares the lists of consumers a change does not touch (what makes a change's cost its own)", () => {
    const next = base.withChanges([{ before: a1, after: null }], new Map());
    expect(next.grantsOf('b', 'D1')).toBe(base.grantsOf('b', 'D1'));
    expect(next.grantsOf('a', 'D1')).toEqual([a2]);
  });

  it('removes deleted grants, adds new ones, and moves a grant whose consumer or dataset changed', () => {
    const moved: Grant = { ...a2, consumerDepartment: 'c', datasetCode: 'D2' };
    const added = grant('G-B0', 'b', 'D1');
    const next = base.withChanges(
      [
        { before: a1, after: null },
        { before: a2, after: moved },
        { before: undefined, after: added },
      ],
      new Map(),
    );
    expect(next.grantsOf('a', 'D1')).toEqual([]);
    expect(next.grantsOf('c', 'D2')).toEqual([moved]);
    expect(next.grantsOf('b', 'D1').map((g) => g.id)).toEqual(['G-B0', 'G-B1']);
  });

  it('applies a grant seen again (a change read twice) once', () => {
    const next = base
      .withChanges([{ before: undefined, after: grant('G-C1', 'c', 'D1') }], new Map())
      .withChanges([{ before: undefined, after: grant('G-C1', 'c', 'D1') }], new Map());
    expect(next.grantsOf('c', 'D1')).toHaveLength(1);
  });

  it('replaces and deletes sharing decisions', () => {
    const next = base.withChanges(
      [],
      new Map([
        ['D1', policy('D1', 'NOT_SHARED')],
        ['D2', null],
      ]),
    );
    expect(next.policy('D1')?.sharingType).toBe('NOT_SHARED');
    expect(next.policy('D2')).toBeUndefined();
    expect(base.policy('D2')?.sharingType).toBe('UNCONDITIONAL');
  });
});
