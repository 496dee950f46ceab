import { describe, expect, it } from 'vitest';
import {
  authorityClaims,
  canonicalElement,
  elementAliases,
} from '../../subgraphs/platform/links/index.ts';

describe('canonicalElement', () => {
  it('writes a dictionary element one way however it is spelt', () => {
    for (const written of [
      'residentIdNumber',
      ' ResidentIdNumber ',
      'RESIDENTIDNUMBER',
      'resident\u200bIdNumber',
      '\ufeffresidentIdNumber',
      'ｒｅｓｉｄｅｎｔIdNumber',
      '公民身份号码',
      '公民 身份号码',
    ]) {
      expect({ written, element: canonicalElement(written, 'Person', 'x') }).toEqual({
        written,
        element: 'residentIdNumber',
      });
    }
  });

  it('compares own elements without case, and takes the dictionary element an item of that type and name carries', () => {
    const aliases = elementAliases([
      {
        binding: { type: 'Person' },
        items: [{ name: 'idNumber', element: 'residentIdNumber' }],
      },
    ]);
    expect(canonicalElement(undefined, 'Meter', 'meterNo', aliases)).toBe('meter.meterno');
    expect(canonicalElement('Meter.MeterNo', 'Other', 'x', aliases)).toBe('meter.meterno');
    expect(canonicalElement(undefined, 'Person', 'idNumber', aliases)).toBe('residentIdNumber');
    expect(canonicalElement('person.IDNUMBER', 'Resident', 'x', aliases)).toBe('residentIdNumber');
    // Neither the dictionary's nor an own element: nothing this platform can hold.
    expect(canonicalElement('residentIdNumber2', 'Person', 'x', aliases)).toBeNull();
  });
});

describe('authorityClaims', () => {
  const claimsOf = (items: unknown) =>
    authorityClaims('X-001', { department: 'd', binding: { type: 'Thing' }, items }, new Map()).map(
      (c) => `${c.item}:${c.element}`,
    );

  it('claims unless the item says it is a copy, as the catalogue defaults', () => {
    expect(
      claimsOf([
        { name: 'a', element: 'residentIdNumber' },
        { name: 'b', element: 'personName', authoritative: true },
        { name: 'c', element: 'sex', authoritative: 'no' },
        { name: 'd', element: 'birthDate', authoritative: false, source: 'Y-001.d' },
        { name: 'e', element: 'ethnicity', source: 'Y-001.e' },
        { name: 'f', element: 'residentIdNumber', references: { type: 'Person' } },
        { name: 'g', element: 'address' },
        { name: 'h' },
      ]),
    ).toEqual([
      'a:residentIdNumber',
      'b:personName',
      'c:sex',
      // Descriptive elements have no single source; an own element does.
      'h:thing.h',
    ]);
  });

  it('claims nothing of a malformed document, and does not throw', () => {
    for (const items of [undefined, null, 'items', [null, 1, { element: 'residentIdNumber' }]]) {
      expect(claimsOf(items)).toEqual([]);
    }
    expect(authorityClaims('X', null, new Map())).toEqual([]);
  });
});
