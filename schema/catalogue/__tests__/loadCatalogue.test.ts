import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CatalogueError, findDepartmentDirs, loadCatalogue } from '../index.ts';
import { copyDemoCatalogue } from './copyDemoCatalogue.ts';

let root: string;
beforeEach(() => {
  root = copyDemoCatalogue('catalogue-');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Rewrites one catalogue file through `edit` and returns its path relative to root. */
function editEntry(
  department: string,
  file: string,
  edit: (entry: Record<string, any>) => void,
): string {
  const path = join(root, department, 'catalogue', file);
  const entry = parse(readFileSync(path, 'utf8')) as Record<string, any>;
  edit(entry);
  writeFileSync(path, stringify(entry));
  return join(department, 'catalogue', file);
}

function problemsOf(): { file: string; field: string; message: string }[] {
  try {
    loadCatalogue(findDepartmentDirs(root), root);
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogueError);
    return [...(error as CatalogueError).problems];
  }
  throw new Error('expected the catalogue to be refused');
}

describe('loadCatalogue', () => {
  it('loads the six demo departments and their datasets', () => {
    const catalogue = loadCatalogue(findDepartmentDirs(root), root);
    expect(catalogue.departments.map((d) => d.code)).toEqual([
      'business_environment',
      'city_water',
      'development_reform',
      'market_supervision',
      'natural_resources',
      'public_security',
    ]);
    expect(catalogue.entries.map((e) => e.code).sort()).toEqual([
      'BE-LIC-001',
      'CW-ACC-001',
      'DR-CRD-001',
      'MS-ENT-001',
      'MS-INS-001',
      'NR-LAND-001',
      'PS-POP-001',
    ]);
    const holder = catalogue.entry('BE-LIC-001')!.items.find((i) => i.name === 'holderIdNumber')!;
    expect(holder).toMatchObject({
      authoritative: false,
      source: 'PS-POP-001.idNumber',
      element: 'residentIdNumber',
    });
  });

  it('refuses a CONDITIONAL dataset without a legal basis, naming file and field', () => {
    const file = editEntry(
      'city-water',
      'utility-accounts.yaml',
      (e) => delete e.sharing.legalBasis,
    );
    expect(problemsOf()).toEqual([
      expect.objectContaining({
        file,
        field: 'sharing.legalBasis',
        message: expect.stringContaining('required when sharing.type is CONDITIONAL'),
      }),
    ]);
  });

  it('refuses a NOT_SHARED dataset with a blank legal basis', () => {
    const file = editEntry(
      'market-supervision',
      'inspections.yaml',
      (e) => (e.sharing.legalBasis = '   '),
    );
    expect(problemsOf()).toEqual([expect.objectContaining({ file, field: 'sharing.legalBasis' })]);
  });

  it('refuses an unknown item type, saying which types exist', () => {
    const file = editEntry(
      'business-environment',
      'licenses.yaml',
      (e) => (e.items[1].type = 'MONEY'),
    );
    const [problem, ...rest] = problemsOf();
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file, field: 'items[1].type' });
    expect(problem!.message).toMatch(/STRING.*INT.*FLOAT.*BOOLEAN.*DATE/);
  });

  it('refuses two departments claiming the same authoritative item', () => {
    const file = editEntry('city-water', 'utility-accounts.yaml', (e) => {
      e.items.push({
        name: 'holderName',
        title: '户主姓名',
        description: 'Name of the holder.',
        type: 'STRING',
        column: 'holder_name',
        sensitivity: 'SENSITIVE',
        element: 'personName',
      });
    });
    const problems = problemsOf();
    expect(problems.map((p) => [p.file, p.field])).toEqual([
      [file, 'items[8]'],
      [join('public-security', 'catalogue', 'population.yaml'), 'items[1]'],
    ]);
    expect(problems[0]!.message).toContain('PS-POP-001.name (public_security');
    expect(problems[1]!.message).toContain('CW-ACC-001.holderName (city_water');
  });

  it('reports every problem at once, in every file', () => {
    editEntry('city-water', 'utility-accounts.yaml', (e) => delete e.sharing.legalBasis);
    editEntry('business-environment', 'licenses.yaml', (e) => (e.items[0].type = 'UUID'));
    expect(
      problemsOf()
        .map((p) => p.field)
        .sort(),
    ).toEqual(['items[0].type', 'sharing.legalBasis']);
  });

  it('refuses misspelled fields instead of ignoring them', () => {
    const file = editEntry('development-reform', 'credit-records.yaml', (e) => {
      e.sharing.legalBasiss = 'typo';
    });
    expect(problemsOf()).toEqual([
      expect.objectContaining({
        file,
        field: 'sharing',
        message: expect.stringContaining('legalBasiss'),
      }),
    ]);
  });

  it('refuses a file that is not YAML', () => {
    writeFileSync(join(root, 'city-water', 'catalogue', 'broken.yaml'), 'code: [unclosed\n');
    expect(problemsOf()).toEqual([
      expect.objectContaining({
        file: join('city-water', 'catalogue', 'broken.yaml'),
        field: '(file)',
      }),
    ]);
  });

  it('refuses references to a type no dataset serves, and copies without a source', () => {
    const file = editEntry('natural-resources', 'land-parcels.yaml', (e) => {
      e.items[1].references.type = 'Citizen';
      e.items[4].authoritative = false;
    });
    expect(problemsOf().map((p) => [p.file, p.field])).toEqual([
      [file, 'items[1].references.type'],
      [file, 'items[4].source'],
    ]);
  });

  it("refuses a department code kept for the platform's own subgraphs, keys and database users", () => {
    for (const code of ['platform', 'crosslevel', 'platform_registry', 'gateway']) {
      const path = join(root, 'city-water', 'department.yaml');
      const department = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      writeFileSync(path, stringify({ ...department, code }));
      expect(problemsOf()).toContainEqual({
        file: join('city-water', 'department.yaml'),
        field: 'code',
        message: expect.stringContaining(
          "is kept for the platform's own subgraphs, keys and database users",
        ),
      });
    }
  });

  it("refuses a dataset registered in another department's folder", () => {
    const file = editEntry(
      'city-water',
      'utility-accounts.yaml',
      (e) => (e.department = 'public_security'),
    );
    expect(problemsOf()).toEqual([expect.objectContaining({ file, field: 'department' })]);
  });

  it('refuses keys that are not items, and unknown related codes', () => {
    const file = editEntry('business-environment', 'licenses.yaml', (e) => {
      e.binding.key = ['licenceNo'];
      e.related = ['XX-000'];
    });
    expect(
      problemsOf()
        .map((p) => p.field)
        .sort(),
    ).toEqual(['binding.key[0]', 'related[0]']);
    expect(problemsOf()[0]!.file).toBe(file);
  });
});
