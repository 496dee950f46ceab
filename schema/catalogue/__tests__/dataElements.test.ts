import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CatalogueError, findDepartmentDirs, loadCatalogue, type Catalogue } from '../index.ts';
import { copyDemoCatalogue } from './copyDemoCatalogue.ts';

/**
 * One number, one source, decided on the dictionary's data elements: two
 * datasets' validity dates are not the same fact, two datasets' ID numbers are.
 */
let root: string;
beforeEach(() => {
  root = copyDemoCatalogue('elements-');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function addItem(item: Record<string, unknown>): void {
  const path = join(root, 'city-water', 'catalogue', 'utility-accounts.yaml');
  const entry = parse(readFileSync(path, 'utf8')) as { items: unknown[] };
  entry.items.push({
    title: '有效期至',
    description: 'An added item.',
    type: 'STRING',
    sensitivity: 'INTERNAL',
    ...item,
  });
  writeFileSync(path, stringify(entry));
}

function load(): Catalogue | CatalogueError {
  try {
    return loadCatalogue(findDepartmentDirs(root), root);
  } catch (error) {
    if (error instanceof CatalogueError) return error;
    throw error;
  }
}

const problems = () => {
  const result = load();
  return result instanceof CatalogueError
    ? result.problems.map((p) => `${p.field}: ${p.message}`)
    : [];
};

describe('data elements', () => {
  it('lets several datasets hold a descriptive element such as a validity date', () => {
    addItem({
      name: 'permitValidUntil',
      type: 'DATE',
      column: 'permit_valid_until',
      element: 'validityEndDate',
    });
    const catalogue = load() as Catalogue;
    expect(catalogue).not.toBeInstanceOf(CatalogueError);
    expect(catalogue.entry('CW-ACC-001')!.items.at(-1)).toMatchObject({
      element: 'validityEndDate',
      authoritative: true,
    });
  });

  it('refuses a second authoritative ID number, whatever the item is called', () => {
    addItem({
      name: 'payerNumber',
      title: '缴费人证件号',
      column: 'payer_number',
      element: 'residentIdNumber',
    });
    const found = problems();
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(
      /payerNumber claims to be the authoritative source of residentIdNumber.*PS-POP-001\.idNumber/,
    );
  });

  it('accepts collecting it again under a stated law, as a copy served no more openly than the source', () => {
    addItem({
      name: 'payerNumber',
      column: 'payer_number',
      element: 'residentIdNumber',
      sharingType: 'CONDITIONAL',
      collectionBasis:
        'Regulations on Urban Water Supply, art. 20 (account holders identify themselves).',
    });
    const catalogue = load() as Catalogue;
    expect(catalogue).not.toBeInstanceOf(CatalogueError);
    expect(catalogue.entry('CW-ACC-001')!.items.at(-1)).toMatchObject({
      authoritative: false,
      source: 'PS-POP-001.idNumber',
    });
  });

  it('refuses a collectionBasis on an element nobody else provides', () => {
    addItem({ name: 'meterNote', column: 'meter_note', collectionBasis: 'Some law.' });
    expect(problems()).toEqual([
      expect.stringMatching(/^items\[8\]\.collectionBasis: only an item/),
    ]);
  });

  it('refuses an element the dictionary lacks, a type that does not fit, and a pattern RE2 refuses', () => {
    addItem({ name: 'a', column: 'a', element: 'shoeSize' });
    addItem({ name: 'b', column: 'b', element: 'birthDate', collectionBasis: 'x' });
    addItem({ name: 'c', column: 'c', quality: { pattern: '(a)\\1' } });
    const found = problems();
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^items\[8\]\.element: shoeSize is not a data element/),
        expect.stringMatching(/^items\[9\]\.type: must be DATE/),
        expect.stringMatching(/^items\[10\]\.quality\.pattern: not a valid RE2 pattern/),
      ]),
    );
  });
});
