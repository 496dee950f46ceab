import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogueError, findDepartmentDirs } from '../../schema/index.ts';
import {
  DEPARTMENTS_ROOT,
  SUPERGRAPH_FILE,
  composeFromCatalogue,
  loadPlatformCatalogue,
} from '../../scripts/platform/index.ts';
import { loadConfig } from '../../server/index.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';

const SEVENTH = join(import.meta.dirname, '..', 'fixtures', 'departments', 'human-resources');
const ROOT = join(import.meta.dirname, '..', '..');

describe('a seventh department made of catalogue entries, a migration and a seed', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite', {
      departmentDirs: [...findDepartmentDirs(DEPARTMENTS_ROOT), SEVENTH],
    });
  });
  afterAll(() => platform?.close());

  it('is served by the kit and joined to Person through the gateway', async () => {
    const response = await platform.query<{
      person: {
        name: string;
        pensionAccounts: {
          accountNumber: string;
          monthlyBase: number;
          contributing: boolean;
          holder: { idNumber: string };
        }[];
      };
    }>(
      `query($id: String!) { person(idNumber: $id) { name pensionAccounts { accountNumber monthlyBase contributing holder { idNumber } } } }`,
      { id: personIdNumberAt(DEMO_PERSON_INDEX) },
      await platform.as('public_security'),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.person.pensionAccounts).toEqual([
      {
        accountNumber: 'PA0000000000',
        monthlyBase: 3000,
        contributing: true,
        holder: { idNumber: personIdNumberAt(0) },
      },
    ]);
  });

  it('gets its rules from its catalogue entry like every other department', async () => {
    const anonymous = await platform.query(
      `{ pensionAccounts(first: 1) { nodes { accountNumber } } }`,
    );
    expect(anonymous.errors![0]!.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      dataset: 'HR-PEN-001',
    });
    const filtered = await platform.query<{ pensionAccounts: { nodes: unknown[] } }>(
      `{ pensionAccounts(first: 100, filter: { contributing: { eq: false } }) { nodes { contributing } } }`,
      {},
      await platform.as('tax'),
    );
    expect(filtered.errors).toBeUndefined();
    expect(filtered.data!.pensionAccounts.nodes.length).toBeGreaterThan(10);
    expect(
      filtered.data!.pensionAccounts.nodes.every(
        (n) => (n as { contributing: boolean }).contributing === false,
      ),
    ).toBe(true);
  });
});

describe('start-up with a broken catalogue', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'broken-catalogue-'));
    for (const dir of findDepartmentDirs(DEPARTMENTS_ROOT))
      cpSync(dir, join(root, dir.split('/').at(-1)!), { recursive: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stops `npm start` with the file and field, and touches no database', () => {
    const file = join(root, 'city-water', 'catalogue', 'utility-accounts.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/\n {2}legalBasis: >-\n(?: {4}.*\n)+/, '\n'),
    );
    const data = join(root, 'data');
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts', 'start.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DEPARTMENTS_DIR: root,
          DATA_DIR: data,
          PORT: '0',
          SUBGRAPH_PORT_BASE: '0',
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'city-water/catalogue/utility-accounts.yaml: sharing.legalBasis: required when sharing.type is CONDITIONAL',
    );
    expect(existsSync(data) ? readdirSync(data).filter((f) => f.endsWith('.sqlite')) : []).toEqual(
      [],
    );
  });

  it('throws a CatalogueError from the loader before anything starts', () => {
    expect(() => loadPlatformCatalogue({ departmentDirs: findDepartmentDirs(root) })).toThrow(
      CatalogueError,
    );
  });
});

describe('schema/supergraph.graphql', () => {
  it('is the current composition of the catalogue (run `npm run compose` after changing it)', () => {
    const current = composeFromCatalogue(loadConfig({}), loadPlatformCatalogue());
    expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(current);
  });
});
