import jsonld from 'jsonld';
import type { JsonLdDocument, Options } from 'jsonld';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalogue, UPDATE_CYCLES } from '../../../../schema/index.ts';
import type { CatalogueEntry, UpdateCycle } from '../../../../schema/index.ts';
import { loadPlatformCatalogue } from '../../../../scripts/platform/index.ts';
import { catalogueToDcat } from '../index.ts';
import type { DcatDocument } from '../index.ts';

const BASE = 'https://data.example.gov.cn';
const OPTIONS = { baseUri: BASE, title: 'Provincial data sharing catalogue', issued: '2026-01-01' };

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const DCATAP = 'http://data.europa.eu/r5r/';
const ELI = 'http://data.europa.eu/eli/ontology#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const FREQUENCY = 'http://publications.europa.eu/resource/authority/frequency/';
const ACCESS_RIGHT = 'http://publications.europa.eu/resource/authority/access-right/';

/** URLs a JSON-LD processor asked for; a loader that records and refuses every one. */
const requested: string[] = [];
const offline = {
  documentLoader: async (url: string): Promise<never> => {
    requested.push(url);
    throw new Error(`no network: refused to load ${url}`);
  },
  // Safe mode: fail instead of silently dropping a term or value that does not expand to an IRI.
  safe: true,
};

type Expanded = Record<string, any>;

function expand(doc: DcatDocument): Promise<Expanded[]> {
  return jsonld.expand(doc as unknown as JsonLdDocument, offline as Options.Expand);
}

function toNQuads(doc: DcatDocument): Promise<string> {
  return jsonld.toRDF(
    doc as unknown as JsonLdDocument,
    {
      ...offline,
      format: 'application/n-quads',
    } as Options.ToRdf,
  ) as Promise<string>;
}

const hasType = (node: Expanded, type: string) =>
  Array.isArray(node['@type']) && (node['@type'] as string[]).includes(type);
const ids = (values: Expanded[] | undefined) => (values ?? []).map((v) => v['@id'] as string);

describe('catalogueToDcat on the real catalogue', () => {
  let catalogue: Catalogue;
  let doc: DcatDocument;
  let expanded: Expanded[];
  let datasets: Map<string, Expanded>;

  beforeAll(async () => {
    catalogue = loadPlatformCatalogue();
    doc = catalogueToDcat(catalogue, OPTIONS);
    expanded = await expand(doc);
    datasets = new Map(
      expanded.filter((n) => hasType(n, `${DCAT}Dataset`)).map((n) => [n['@id'] as string, n]),
    );
  });

  it('is JSON-LD that expands and converts to N-Quads with no network', async () => {
    expect(typeof doc['@context']).toBe('object');
    const nquads = await toNQuads(doc);
    expect(nquads.split('\n').filter(Boolean).length).toBeGreaterThan(100);
    // The document round-trips through JSON unchanged: it is plain data.
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(requested).toEqual([]);
  });

  it('uses only properties of the declared vocabularies (no mistyped prefix)', () => {
    const namespaces = Object.values(doc['@context']);
    const properties = new Set<string>();
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value !== null && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          if (!key.startsWith('@')) properties.add(key);
          walk(inner);
        }
      }
    };
    walk(expanded);
    const foreign = [...properties].filter((p) => !namespaces.some((ns) => p.startsWith(ns)));
    expect(foreign).toEqual([]);
  });

  it('has every catalogue entry exactly once as a dcat:Dataset', async () => {
    const datasetNodes = expanded.filter((n) => hasType(n, `${DCAT}Dataset`));
    const identifiers = datasetNodes.map((n) => n[`${DCT}identifier`][0]['@value'] as string);
    const codes = catalogue.entries.map((e) => e.code);
    expect([...identifiers].sort()).toEqual([...codes].sort());
    expect(new Set(identifiers).size).toBe(identifiers.length);
    expect(datasetNodes.map((n) => n['@id'] as string)).toEqual(
      codes.map((c) => `${BASE}/datasets/${c}`),
    );

    // Once in the RDF too, and each listed by the catalogue.
    const nquads = await toNQuads(doc);
    for (const code of codes) {
      const typed = `<${BASE}/datasets/${code}> <${RDF_TYPE}> <${DCAT}Dataset> .`;
      expect(nquads.split('\n').filter((line) => line === typed)).toHaveLength(1);
    }
    const catalog = expanded.find((n) => hasType(n, `${DCAT}Catalog`))!;
    expect(ids(catalog[`${DCAT}dataset`])).toEqual(codes.map((c) => `${BASE}/datasets/${c}`));
  });

  it('maps an UNCONDITIONAL entry (MS-ENT-001): PUBLIC, DAILY, no legislation', () => {
    const node = datasets.get(`${BASE}/datasets/MS-ENT-001`)!;
    expect(ids(node[`${DCT}accessRights`])).toEqual([`${ACCESS_RIGHT}PUBLIC`]);
    expect(ids(node[`${DCT}accrualPeriodicity`])).toEqual([`${FREQUENCY}DAILY`]);
    expect(node[`${DCATAP}applicableLegislation`]).toBeUndefined();
    expect(node[`${DCT}rights`]).toBeUndefined();
  });

  it('maps a CONDITIONAL entry (PS-POP-001): RESTRICTED, continuously updated, its legal basis', () => {
    const entry = catalogue.entry('PS-POP-001')!;
    expect(entry.sharing.type).toBe('CONDITIONAL');
    const node = datasets.get(`${BASE}/datasets/PS-POP-001`)!;
    expect(ids(node[`${DCT}accessRights`])).toEqual([`${ACCESS_RIGHT}RESTRICTED`]);
    expect(ids(node[`${DCT}accrualPeriodicity`])).toEqual([`${FREQUENCY}UPDATE_CONT`]);
    expectLegislation(node, entry);
    const [rights] = node[`${DCT}rights`];
    expect(rights['@type']).toEqual([`${DCT}RightsStatement`]);
    expect(rights[`${DCT}description`][0]['@value']).toBe(entry.sharing.conditions);
  });

  it('maps a NOT_SHARED entry (MS-INS-001): NON_PUBLIC, DAILY, its legal basis', () => {
    const entry = catalogue.entry('MS-INS-001')!;
    expect(entry.sharing.type).toBe('NOT_SHARED');
    const node = datasets.get(`${BASE}/datasets/MS-INS-001`)!;
    expect(ids(node[`${DCT}accessRights`])).toEqual([`${ACCESS_RIGHT}NON_PUBLIC`]);
    expect(ids(node[`${DCT}accrualPeriodicity`])).toEqual([`${FREQUENCY}DAILY`]);
    expectLegislation(node, entry);
    expect(ids(node[`${DCT}relation`])).toEqual([`${BASE}/datasets/MS-ENT-001`]);
  });

  it('names the publisher, issue date, themes, items and one distribution per sharing mode', () => {
    const entry = catalogue.entry('PS-POP-001')!;
    const node = datasets.get(`${BASE}/datasets/PS-POP-001`)!;
    expect(ids(node[`${DCT}publisher`])).toEqual([`${BASE}/departments/public_security`]);
    const publisher = expanded.find((n) => n['@id'] === `${BASE}/departments/public_security`)!;
    expect(publisher['@type']).toEqual(['http://xmlns.com/foaf/0.1/Agent']);
    expect(publisher['http://xmlns.com/foaf/0.1/name'][0]['@value']).toBe(
      catalogue.department('public_security')!.name,
    );
    expect(node[`${DCT}issued`]).toEqual([
      { '@value': '2024-03-01', '@type': 'http://www.w3.org/2001/XMLSchema#date' },
    ]);
    expect(ids(node[`${DCAT}theme`])).toEqual([
      `${BASE}/themes/population`,
      `${BASE}/classifications/BASIC`,
    ]);
    const keywords = node[`${DCAT}keyword`] as Expanded[];
    expect(keywords).toContainEqual({ '@value': 'population' });
    expect(keywords).toContainEqual({ '@value': '公民身份号码', '@language': 'zh' });
    const description = node[`${DCT}description`][0]['@value'] as string;
    expect(description.startsWith(entry.summary)).toBe(true);
    for (const item of entry.items) expect(description).toContain(`${item.title} (${item.name}`);
    expect(ids(node[`${DCAT}distribution`])).toEqual(
      entry.sharing.modes.map(
        (m) => `${BASE}/datasets/PS-POP-001/distributions/${m.toLowerCase()}`,
      ),
    );
  });

  it('is deterministic: the same catalogue gives a deep-equal document', () => {
    const again = catalogueToDcat(loadPlatformCatalogue(), OPTIONS);
    expect(again).toEqual(doc);
    expect(JSON.stringify(again)).toBe(JSON.stringify(doc));
  });
});

describe('catalogueToDcat mappings', () => {
  const real = loadPlatformCatalogue();
  const base = real.entry('MS-ENT-001')!;
  const department = real.department(base.department)!;

  const withEntries = (entries: CatalogueEntry[]) => new Catalogue([{ ...department, entries }]);

  it('maps every update cycle to the EU frequency vocabulary', () => {
    const expected: Record<UpdateCycle, string> = {
      REAL_TIME: 'UPDATE_CONT',
      DAILY: 'DAILY',
      WEEKLY: 'WEEKLY',
      MONTHLY: 'MONTHLY',
      QUARTERLY: 'QUARTERLY',
      HALF_YEARLY: 'ANNUAL_2',
      YEARLY: 'ANNUAL',
      IRREGULAR: 'IRREG',
    };
    const entries = UPDATE_CYCLES.map((cycle) => ({
      ...base,
      code: `X-${cycle.replace('_', '-')}`,
      updateCycle: cycle,
    }));
    const doc = catalogueToDcat(withEntries(entries), OPTIONS);
    for (const cycle of UPDATE_CYCLES) {
      const node = doc['@graph'].find(
        (n) => n['dct:identifier'] === `X-${cycle.replace('_', '-')}`,
      );
      expect(node?.['dct:accrualPeriodicity']).toEqual({ '@id': `${FREQUENCY}${expected[cycle]}` });
    }
  });

  it('ignores a trailing slash on the base URI and refuses a relative one or a bad date', () => {
    const catalogue = withEntries([base]);
    expect(catalogueToDcat(catalogue, { ...OPTIONS, baseUri: `${BASE}/` })).toEqual(
      catalogueToDcat(catalogue, OPTIONS),
    );
    expect(() => catalogueToDcat(catalogue, { ...OPTIONS, baseUri: 'datasets' })).toThrow(
      /absolute URI/,
    );
    expect(() => catalogueToDcat(catalogue, { ...OPTIONS, issued: 'yesterday' })).toThrow(/issued/);
  });

  it('leaves dct:issued off the catalogue when no date is given', () => {
    const doc = catalogueToDcat(withEntries([base]), { baseUri: BASE, title: 'T' });
    expect(doc['@graph'][0]!['dct:issued']).toBeUndefined();
  });
});

function expectLegislation(node: Expanded, entry: CatalogueEntry): void {
  const [law, ...more] = node[`${DCATAP}applicableLegislation`] as Expanded[];
  expect(more).toEqual([]);
  expect(law!['@type']).toEqual([`${ELI}LegalResource`]);
  expect(law![`${DCT}description`][0]['@value']).toBe(entry.sharing.legalBasis);
}
