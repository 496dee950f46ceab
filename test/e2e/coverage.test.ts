import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type * as GraphQLModule from 'graphql';
import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, shield } from 'graphql-shield';
import type * as ShieldModule from 'graphql-shield';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findDepartmentDirs } from '../../schema/index.ts';
import { DEPARTMENTS_ROOT, loadPlatformCatalogue } from '../../scripts/platform/index.ts';
import { personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import { buildDepartmentSubgraph, type DepartmentSubgraph } from '../../subgraphs/kit/index.ts';
import {
  startTestPlatform,
  type GraphQLResponse,
  type TestPlatform,
} from '../support/testPlatform.ts';

/**
 * Acceptance: "a field without a rule is a bug a test must catch" and "a field
 * added to the catalogue without a sharing decision is denied".
 *
 * The rule tree the kit hands to graphql-shield is captured by wrapping
 * `shield`, so every field of every generated subgraph can be checked against it.
 */

type RuleTree = Record<string, Record<string, unknown>>;
interface Captured {
  tree: RuleTree;
  options: Parameters<typeof shield>[1];
}

/**
 * The kit's schemas are built by @apollo/subgraph, which loads graphql's CommonJS
 * build; the checks below must use that same instance (`instanceof` checks).
 */
const { getNamedType, graphql, isEnumType, isIntrospectionType, isObjectType, isScalarType } =
  createRequire(import.meta.url)('graphql') as typeof GraphQLModule;

const captured = vi.hoisted(() => ({ calls: [] as Captured[] }));

vi.mock('graphql-shield', async (importOriginal) => {
  const actual = await importOriginal<typeof ShieldModule>();
  const wrapped: typeof actual.shield = (tree, options) => {
    captured.calls.push({ tree: tree as RuleTree, options });
    return actual.shield(tree, options);
  };
  return { ...actual, shield: wrapped };
});

/** Builds a department's subgraph and returns it with the rule tree its shield got. */
function buildWithRules(
  catalogue: ReturnType<typeof loadPlatformCatalogue>,
  code: string,
): { subgraph: DepartmentSubgraph } & Captured {
  const before = captured.calls.length;
  const subgraph = buildDepartmentSubgraph(catalogue, code, { maxPageSize: 100 });
  // The executable schema (and with it the shield) is built when first read.
  expect(subgraph.schema).toBeDefined();
  expect(captured.calls.length, `buildRules of ${code} called shield once`).toBe(before + 1);
  return { subgraph, ...captured.calls.at(-1)! };
}

/** Every object field of `schema` that the tree gives no rule (so shield's fallback applies). */
function fieldsWithoutRule(schema: GraphQLSchema, tree: RuleTree, fallback: unknown): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    const rules = tree[type.name];
    for (const field of Object.keys(type.getFields())) {
      const rule = rules?.[field];
      if (rule === undefined || rule === null || rule === fallback) {
        missing.push(`${type.name}.${field}`);
      }
    }
  }
  return missing;
}

/** `Type.field` of every field whose rule is graphql-shield's `allow`. */
function fieldsAllowedOutright(tree: RuleTree): string[] {
  return Object.entries(tree).flatMap(([type, fields]) =>
    Object.entries(fields)
      .filter(([, rule]) => rule === allow)
      .map(([field]) => `${type}.${field}`),
  );
}

describe('(a) every field of every generated subgraph has an explicit rule', () => {
  const catalogue = loadPlatformCatalogue();

  it('the catalogue has the six demo departments', () => {
    expect(catalogue.departments.map((d) => d.code).sort()).toEqual([
      'business_environment',
      'city_water',
      'development_reform',
      'market_supervision',
      'natural_resources',
      'public_security',
    ]);
  });

  it.each(catalogue.departments.map((d) => d.code))(
    '%s: each object field resolves to a rule in the tree, none to the fallback',
    (code) => {
      const { subgraph, tree, options } = buildWithRules(catalogue, code);
      expect(subgraph.rulesEnforced).toBe(true);
      expect(typeof tree).toBe('object');
      expect(options?.fallbackRule).toBeDefined();
      for (const [type, fields] of Object.entries(tree)) {
        expect(typeof fields, `${type} has a field map, not one rule for all`).toBe('object');
        expect(Object.keys(fields), `${type} has no wildcard rule`).not.toContain('*');
      }

      const missing = fieldsWithoutRule(subgraph.schema, tree, options!.fallbackRule);
      expect(missing).toEqual([]);

      // The walk saw the fields that matter: every item of every dataset.
      const typeMap = subgraph.schema.getTypeMap();
      let items = 0;
      for (const { table, names, references } of subgraph.model.datasets) {
        const type = typeMap[names.type] as GraphQLObjectType;
        for (const item of table.entry.items) {
          expect(Object.keys(type.getFields())).toContain(item.name);
          expect(tree[names.type]?.[item.name]).toBeDefined();
          items += 1;
        }
        for (const { field } of references) expect(tree[names.type]?.[field]).toBeDefined();
        for (const field of [names.lookup, names.list]) expect(tree.Query?.[field]).toBeDefined();
      }
      expect(items).toBeGreaterThan(0);

      // `allow` only where nothing is read: federation's entry point, paging, and the opaque
      // join handles entities federate on (sealed per request; key items are decided as items).
      const harmless = new Set([
        'Query._entities',
        'PageInfo.hasNextPage',
        'PageInfo.endCursor',
        ...subgraph.model.datasets.map(({ names }) => `${names.type}.joinHandle`),
        ...[...subgraph.model.foreignEntities.values()].map(({ ref }) => `${ref.type}.joinHandle`),
      ]);
      for (const field of fieldsAllowedOutright(tree)) expect(harmless).toContain(field);
      for (const { table, names } of subgraph.model.datasets) {
        for (const key of table.keyItems) {
          expect(tree[names.type]?.[key.name], `${names.type}.${key.name} is decided`).not.toBe(
            allow,
          );
        }
      }
      // A foreign entity's stub carries the handle, never the key it stands for.
      for (const { ref } of subgraph.model.foreignEntities.values()) {
        const stub = subgraph.schema.getType(ref.type) as GraphQLObjectType;
        expect(Object.keys(stub.getFields())).toContain('joinHandle');
        expect(Object.keys(stub.getFields())).not.toContain(ref.keyItem.name);
      }
    },
  );

  it('the check catches a field without a rule, and such a field answers the fallback denial', async () => {
    const { subgraph, tree, options } = buildWithRules(catalogue, 'public_security');
    const { Query: query, ...rest } = tree;
    const queryWithoutPerson = { ...query };
    delete queryWithoutPerson.person;
    const pruned: RuleTree = { ...rest, Query: queryWithoutPerson };
    expect(fieldsWithoutRule(subgraph.schema, pruned, options!.fallbackRule)).toEqual([
      'Query.person',
    ]);

    const bare = buildDepartmentSubgraph(catalogue, 'public_security', {
      maxPageSize: 100,
      unsafeWithoutRules: true,
    }).schema;
    const schema = applyMiddleware(bare, shield(pruned as Parameters<typeof shield>[0], options));
    const result = await graphql({
      schema,
      source: `{ person(idNumber: "${personIdNumberAt(0)}") { idNumber } }`,
      contextValue: {},
    });
    expect(result.data).toEqual({ person: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toContain('Query.person has no sharing rule');
    expect(result.errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_SHARED',
      item: 'Query.person',
    });
  });
});

// ---------------------------------------------------------------------------
// A running platform with one more department, registered from a fixture folder.

const FIXTURE_DEPARTMENT = 'fixture_registry';
const FIXTURE_DATASET = 'FX-REG-001';
const FIXTURE_ROWS = Array.from({ length: 5 }, (_, i) => ({
  record_id: `FX${String(i + 1).padStart(4, '0')}`,
  owner_id_number: personIdNumberAt(i),
  title: `fixture record ${i + 1}`,
  score: 10 + i / 2,
}));

function writeFixtureDepartment(root: string): string {
  const dir = join(root, 'fixture-registry');
  mkdirSync(join(dir, 'catalogue'), { recursive: true });
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  mkdirSync(join(dir, 'seeds'), { recursive: true });
  writeFileSync(
    join(dir, 'department.yaml'),
    `code: ${FIXTURE_DEPARTMENT}
name: Fixture Registry (测试登记处)
kind: GOVERNMENT
region: '330000'
`,
  );
  writeFileSync(
    join(dir, 'catalogue', 'x.yaml'),
    `code: ${FIXTURE_DATASET}
name: Fixture records (测试记录)
summary: Records of a department registered after the platform first started.
classification: DEPARTMENT
theme: testing
department: ${FIXTURE_DEPARTMENT}
format: DATABASE
updateCycle: DAILY
publishedOn: '2026-01-01'
related: [PS-POP-001]
sharing:
  type: UNCONDITIONAL
  modes: [QUERY, VERIFY]
binding:
  table: fixture_records
  type: FixtureRecord
  key: [recordId]
items:
  - name: recordId
    title: 记录编号
    description: Number of the record.
    type: STRING
    column: record_id
    sensitivity: PUBLIC
  - name: ownerIdNumber
    # A copy of PS-POP-001.idNumber (a reference's key): no more open than its source.
    sharingType: CONDITIONAL
    title: 所有人身份号码
    description: Resident identity number of the owner.
    type: STRING
    column: owner_id_number
    sensitivity: SENSITIVE
    references:
      type: Person
      field: owner
      reverse: fixtureRecords
  - name: title
    title: 标题
    description: Title of the record.
    type: STRING
    column: title
    sensitivity: INTERNAL
  - name: score
    title: 分数
    description: A score.
    type: FLOAT
    column: score
    sensitivity: INTERNAL
`,
  );
  writeFileSync(
    join(dir, 'migrations', '20261121000001_create_fixture_records.ts'),
    `export async function up(knex) {
  await knex.schema.createTable('fixture_records', (table) => {
    table.string('record_id', 16).primary();
    table.string('owner_id_number', 18).notNullable().index();
    table.string('title', 64).notNullable();
    table.double('score').notNullable();
  });
}

export async function down(knex) {
  await knex.schema.dropTableIfExists('fixture_records');
}
`,
  );
  writeFileSync(
    join(dir, 'seeds', 'fixture_records.ts'),
    `const ROWS = ${JSON.stringify(FIXTURE_ROWS)};

export async function seed(knex) {
  await knex('fixture_records').delete();
  await knex('fixture_records').insert(ROWS);
  return ROWS.length;
}
`,
  );
  return dir;
}

let platform: TestPlatform;
let fixtureRoot: string;

beforeAll(async () => {
  fixtureRoot = mkdtempSync(join(tmpdir(), 'govdata-fixture-'));
  const fixtureDir = writeFixtureDepartment(fixtureRoot);
  platform = await startTestPlatform('sqlite', {
    departmentDirs: [...findDepartmentDirs(DEPARTMENTS_ROOT), fixtureDir],
  });
});

afterAll(async () => {
  await platform?.close();
  if (fixtureRoot) rmSync(fixtureRoot, { recursive: true, force: true });
});

/** The selection of every field of `type` down to `depth` levels of objects. */
function selectionOf(type: GraphQLObjectType, depth: number): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.length > 0) continue;
    const named = getNamedType(field.type);
    if (isScalarType(named) || isEnumType(named)) parts.push(field.name);
    else if (isObjectType(named) && depth > 0) {
      const inner = selectionOf(named, depth - 1);
      if (inner) parts.push(`${field.name} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

describe('(a) through the gateway: every generated Query field, asked by its provider', () => {
  it('the running platform serves the fixture department too', () => {
    expect(platform.definitions.map((d) => d.name)).toContain(FIXTURE_DEPARTMENT);
    expect(platform.definitions).toHaveLength(7);
  });

  it('every lookup, list and verification answers its provider in full, none with the fallback', async () => {
    const fallbackAnswers: string[] = [];
    const exercised: string[] = [];
    for (const definition of platform.definitions) {
      const headers = await platform.as(definition.name);
      const db = platform.databases.get(definition.name)!;
      const queryType = definition.schema.getQueryType()!;
      const generated = Object.keys(queryType.getFields()).filter(
        (f) => f !== '_entities' && f !== '_service',
      );
      const asked: string[] = [];

      for (const { table, names } of definition.model.datasets) {
        const entry = table.entry;
        const keyItem = table.keyItems[0]!;
        const row = (await db(entry.binding.table).orderBy(keyItem.column).first()) as Record<
          string,
          unknown
        >;
        expect(row, `${entry.code} has rows`).toBeDefined();
        const fields = queryType.getFields();
        const entity = definition.schema.getType(names.type) as GraphQLObjectType;
        const selection = selectionOf(entity, 2);
        const keyArgs = table.keyItems.map((k) => `${k.name}: $${k.name}`).join(', ');
        const keyVars = table.keyItems
          .map(
            (k) =>
              `$${k.name}: ${String(fields[names.lookup]!.args.find((a) => a.name === k.name)!.type)}`,
          )
          .join(', ');
        const keyValues = Object.fromEntries(table.keyItems.map((k) => [k.name, row[k.column]]));

        const responses: [string, GraphQLResponse][] = [];
        const lookup = await platform.query<Record<string, Record<string, unknown> | null>>(
          `query (${keyVars}) { ${names.lookup}(${keyArgs}) { ${selection} } }`,
          keyValues,
          headers,
        );
        responses.push([names.lookup, lookup]);
        expect(lookup.data?.[names.lookup]?.[keyItem.name], `${names.lookup} finds its row`).toBe(
          row[keyItem.column],
        );
        asked.push(names.lookup);

        const list = await platform.query<Record<string, { nodes: unknown[] } | null>>(
          `{ ${names.list}(first: 3) { nodes { ${selection} } pageInfo { hasNextPage endCursor } } }`,
          {},
          headers,
        );
        responses.push([names.list, list]);
        expect(list.data?.[names.list]?.nodes.length, `${names.list} answers`).toBeGreaterThan(0);
        asked.push(names.list);

        if (fields[names.verify]) {
          const item = entry.items.find(
            (i) => !i.isKey && i.type === 'STRING' && typeof row[i.column] === 'string',
          )!;
          const verify = await platform.query<Record<string, boolean | null>>(
            `query (${keyVars}, $match: ${names.verifyInput}!) { ${names.verify}(${keyArgs}, match: $match) }`,
            { ...keyValues, match: { [item.name]: row[item.column] } },
            headers,
          );
          responses.push([names.verify, verify]);
          expect(verify.data?.[names.verify], `${names.verify} confirms its own row`).toBe(true);
          asked.push(names.verify);
        }

        for (const [field, response] of responses) {
          exercised.push(`${definition.name}: ${field}`);
          for (const error of response.errors ?? []) {
            if (/has no sharing rule/.test(error.message)) {
              fallbackAnswers.push(`${definition.name} ${field}: ${error.message}`);
            }
          }
          expect(response.status).toBe(200);
          expect(
            response.errors,
            `${definition.name} ${field}: ${JSON.stringify(response.errors)}`,
          ).toBeUndefined();
        }
      }
      expect(asked.sort(), `every generated Query field of ${definition.name} was asked`).toEqual(
        generated.sort(),
      );
    }
    expect(fallbackAnswers).toEqual([]);
    expect(exercised.length).toBeGreaterThanOrEqual(2 * 9);
  });
});

describe('(b) a dataset without a sharing decision is denied', () => {
  const LIST = `{ fixtureRecords(first: 5) { nodes { recordId title } } }`;
  const LOOKUP = `query ($id: String!) { fixtureRecord(recordId: $id) { recordId title score } }`;

  let before: GraphQLResponse<{ fixtureRecords: { nodes: unknown[] } | null }>;

  beforeAll(async () => {
    // Recorded as UNCONDITIONAL at start-up, so another department reads it until the row goes.
    before = await platform.query(LIST, {}, await platform.as('civil_affairs'));
    const deleted = await platform
      .platformDb('dataset_policies')
      .where({ code: FIXTURE_DATASET })
      .delete();
    expect(deleted).toBe(1);
    await platform.policies.reload();
  });

  it('control: while its decision (UNCONDITIONAL) was recorded, another department read it', () => {
    expect(before.errors, JSON.stringify(before.errors)).toBeUndefined();
    expect(before.data!.fixtureRecords!.nodes).toHaveLength(FIXTURE_ROWS.length);
  });

  it('is denied to every other department with NOT_SHARED, saying it has no sharing decision', async () => {
    expect(platform.policies.snapshot.policy(FIXTURE_DATASET)).toBeUndefined();
    for (const department of ['civil_affairs', 'public_security', 'market_supervision']) {
      const headers = await platform.as(department, 'social-assistance');
      const response = await platform.query(
        `query ($id: String!) {
          fixtureRecords(first: 5) { nodes { recordId title } }
          fixtureRecord(recordId: $id) { recordId title score }
        }`,
        { id: FIXTURE_ROWS[0]!.record_id },
        headers,
      );
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ fixtureRecords: null, fixtureRecord: null });
      expect(response.errors).toHaveLength(2);
      for (const error of response.errors!) {
        expect(error.extensions).toMatchObject({
          code: 'FORBIDDEN',
          dataset: FIXTURE_DATASET,
          item: null,
          reason: 'NOT_SHARED',
        });
        expect(error.message).toMatch(/no sharing decision/);
      }
      expect(JSON.stringify(response)).not.toContain(FIXTURE_ROWS[0]!.title);
    }
  });

  it('is denied through the field it adds to Person, and through verification', async () => {
    const headers = await platform.as('public_security');
    const response = await platform.query(
      `query ($person: String!, $id: String!, $title: String!) {
        person(idNumber: $person) { idNumber name fixtureRecords { recordId title } }
        verifyFixtureRecord(recordId: $id, match: { title: $title })
      }`,
      {
        person: FIXTURE_ROWS[0]!.owner_id_number,
        id: FIXTURE_ROWS[0]!.record_id,
        title: FIXTURE_ROWS[0]!.title,
      },
      headers,
    );
    expect(response.status).toBe(200);
    expect(response.data).toMatchObject({
      person: { idNumber: FIXTURE_ROWS[0]!.owner_id_number, fixtureRecords: null },
      verifyFixtureRecord: null,
    });
    expect(response.errors).toHaveLength(2);
    for (const error of response.errors!) {
      expect(error.extensions).toMatchObject({
        code: 'FORBIDDEN',
        dataset: FIXTURE_DATASET,
        reason: 'NOT_SHARED',
      });
      expect(error.message).toMatch(/no sharing decision/);
    }
  });

  it('its provider still reads it', async () => {
    const response = await platform.query(
      LOOKUP,
      { id: FIXTURE_ROWS[1]!.record_id },
      await platform.as(FIXTURE_DEPARTMENT),
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data).toEqual({
      fixtureRecord: {
        recordId: FIXTURE_ROWS[1]!.record_id,
        title: FIXTURE_ROWS[1]!.title,
        score: FIXTURE_ROWS[1]!.score,
      },
    });
  });

  it('anonymous callers stay UNAUTHENTICATED', async () => {
    const response = await platform.query(LIST);
    expect(response.data).toEqual({ fixtureRecords: null });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      dataset: FIXTURE_DATASET,
      item: null,
      reason: 'UNAUTHENTICATED',
    });
  });
});
