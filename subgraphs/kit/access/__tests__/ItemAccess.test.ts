import { describe, expect, it } from 'vitest';
import { newGrant, type Grant } from '../../../../server/index.ts';
import { better, combineMasks, stricter, type ItemAccess } from '../ItemAccess.ts';
import { rowAdmits } from '../rowAdmits.ts';

const grant = (id: string): Grant =>
  newGrant(
    {
      id,
      consumerDepartment: 'c',
      datasetCode: 'D',
      items: ['x'],
      purposes: ['p'],
      modes: ['QUERY'],
      validFrom: '2026-01-01T00:00:00.000Z',
      validUntil: '2027-01-01T00:00:00.000Z',
    },
    'test',
  );

const A = grant('A');
const B = grant('B');
const read = (g: Grant | null): ItemAccess => ({ kind: 'READ', grant: g });
const deny: ItemAccess = { kind: 'DENY', reason: 'NO_GRANT', message: 'no' };
const keepEnds = (first: number, last: number, g: Grant | null = null): ItemAccess => ({
  kind: 'MASK',
  mask: { rule: 'KEEP_ENDS', first, last },
  grant: g,
});

describe('better: the best of several grants', () => {
  it('prefers unmasked over masked over denied', () => {
    expect(better(deny, keepEnds(1, 1, B))).toEqual(keepEnds(1, 1, B));
    expect(better(keepEnds(1, 1, A), read(B))).toEqual(read(B));
    expect(better(read(A), deny)).toEqual(read(A));
  });
  it('keeps the first (older) grant on a tie, so a newer grant never displaces it', () => {
    expect(better(read(A), read(B)).kind === 'READ' && better(read(A), read(B))).toMatchObject({
      grant: { id: 'A' },
    });
    expect(better(keepEnds(6, 0, A), keepEnds(0, 0, B))).toMatchObject({ grant: { id: 'A' } });
  });
});

describe('stricter: rules that must both hold', () => {
  it('a denial wins whichever side it is on', () => {
    expect(stricter(read(A), deny)).toBe(deny);
    expect(stricter(deny, read(A))).toBe(deny);
    expect(stricter(keepEnds(6, 4), deny)).toBe(deny);
  });
  it('a mask wins over a read, keeping the first grant', () => {
    expect(stricter(read(A), keepEnds(6, 0))).toEqual(keepEnds(6, 0, A));
  });
  it('two masks hide what either hides', () => {
    expect(stricter(keepEnds(6, 4, A), keepEnds(6, 0))).toEqual(keepEnds(6, 0, A));
  });
});

describe('combineMasks', () => {
  it('keeps the fewer characters at each end of two KEEP_ENDS', () => {
    expect(
      combineMasks(
        { rule: 'KEEP_ENDS', first: 3, last: 4 },
        { rule: 'KEEP_ENDS', first: 6, last: 1 },
      ),
    ).toEqual({ rule: 'KEEP_ENDS', first: 3, last: 1 });
  });
  it('treats SURNAME_ONLY as KEEP_ENDS 1/0', () => {
    expect(
      combineMasks({ rule: 'SURNAME_ONLY' }, { rule: 'KEEP_ENDS', first: 6, last: 4 }),
    ).toEqual({ rule: 'KEEP_ENDS', first: 1, last: 0 });
  });
  it('gives REDACT for masks of different shapes', () => {
    expect(combineMasks({ rule: 'YEAR_ONLY' }, { rule: 'KEEP_ENDS', first: 6, last: 0 })).toEqual({
      rule: 'REDACT',
    });
    expect(combineMasks({ rule: 'YEAR_ONLY' }, { rule: 'YEAR_ONLY' })).toEqual({
      rule: 'YEAR_ONLY',
    });
  });
});

describe('rowAdmits: a grant row filter decided on the record', () => {
  const row = { regionCode: '330106', kind: 'A', count: 3 };
  it('admits every row without a filter', () => {
    expect(rowAdmits(null, row)).toBe(true);
  });
  it('applies eq, in and startsWith as text, all of them', () => {
    expect(rowAdmits({ regionCode: { startsWith: '3301' } }, row)).toBe(true);
    expect(rowAdmits({ regionCode: { startsWith: '3302' } }, row)).toBe(false);
    expect(rowAdmits({ count: { eq: 3 } }, row)).toBe(true);
    expect(rowAdmits({ kind: { in: ['B', 'C'] } }, row)).toBe(false);
    expect(rowAdmits({ regionCode: { startsWith: '3301' }, kind: { eq: 'B' } }, row)).toBe(false);
  });
  it('refuses a record without the filtered value', () => {
    expect(rowAdmits({ regionCode: { eq: '330106' } }, { regionCode: null })).toBe(false);
  });
  it('is case-sensitive, so it never admits more than SQL does', () => {
    expect(rowAdmits({ kind: { startsWith: 'a' } }, row)).toBe(false);
  });
});
