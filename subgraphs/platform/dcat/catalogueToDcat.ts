import type {
  Catalogue,
  CatalogueDepartment,
  CatalogueEntry,
  Classification,
  SharingMode,
  SharingType,
  UpdateCycle,
} from '../../../schema/index.ts';
import {
  DCAT_CONTEXT,
  type DcatDocument,
  type JsonLdNode,
  type JsonLdValue,
} from './DcatDocument.ts';

/** What the DCAT document is published as. */
export interface DcatOptions {
  /**
   * Absolute URI under which every node is named: the catalogue is `<baseUri>/catalogue`,
   * a dataset `<baseUri>/datasets/<code>`, a department `<baseUri>/departments/<code>`.
   * Trailing slashes are ignored.
   */
  baseUri: string;
  /** The catalogue's `dct:title`. */
  title: string;
  /**
   * The catalogue's `dct:issued`, `YYYY-MM-DD` or an ISO date-time. Omitted when not
   * given: the function never reads the clock, so the same input gives the same output.
   */
  issued?: string;
}

const FREQUENCY = 'http://publications.europa.eu/resource/authority/frequency/';
const ACCESS_RIGHT = 'http://publications.europa.eu/resource/authority/access-right/';
const FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type/';

/**
 * `updateCycle` → the EU frequency vocabulary. REAL_TIME is UPDATE_CONT ("continuously
 * updated"), the concept that replaced the older CONT; HALF_YEARLY is ANNUAL_2 (semi-annual).
 */
export const ACCRUAL_PERIODICITY: Readonly<Record<UpdateCycle, string>> = {
  REAL_TIME: `${FREQUENCY}UPDATE_CONT`,
  DAILY: `${FREQUENCY}DAILY`,
  WEEKLY: `${FREQUENCY}WEEKLY`,
  MONTHLY: `${FREQUENCY}MONTHLY`,
  QUARTERLY: `${FREQUENCY}QUARTERLY`,
  HALF_YEARLY: `${FREQUENCY}ANNUAL_2`,
  YEARLY: `${FREQUENCY}ANNUAL`,
  IRREGULAR: `${FREQUENCY}IRREG`,
};

/**
 * Sharing type → the EU access-right vocabulary: unconditional sharing is PUBLIC,
 * conditional sharing (a grant for a purpose) RESTRICTED, not shared NON_PUBLIC.
 */
export const ACCESS_RIGHTS: Readonly<Record<SharingType, string>> = {
  UNCONDITIONAL: `${ACCESS_RIGHT}PUBLIC`,
  CONDITIONAL: `${ACCESS_RIGHT}RESTRICTED`,
  NOT_SHARED: `${ACCESS_RIGHT}NON_PUBLIC`,
};

/** The national standard's three kinds of data resource, as theme concept labels. */
const CLASSIFICATION_LABELS: Readonly<Record<Classification, string>> = {
  BASIC: 'Basic data resource (基础信息资源)',
  SUBJECT: 'Subject data resource (主题信息资源)',
  DEPARTMENT: 'Department data resource (部门信息资源)',
};

/** How each sharing mode is offered through the platform, as the distribution's title and text. */
const MODES: Readonly<Record<SharingMode, { title: string; description: string }>> = {
  QUERY: {
    title: 'Query',
    description:
      'Look up records by key and list them with filters through the platform’s governed GraphQL endpoint, on the dataset’s access terms.',
  },
  VERIFY: {
    title: 'Verify',
    description:
      'Check whether supplied values match the record: a yes/no answer that returns no data.',
  },
  EXPORT: {
    title: 'Export',
    description:
      'Bulk extraction of the records through the platform, on the dataset’s access terms.',
  },
};

/**
 * Exports the whole catalogue as one DCAT-AP (v2/v3) JSON-LD document that other
 * platforms and portals can harvest. The context is inline (see `DCAT_CONTEXT`), so
 * the document expands without network access. The output depends on the input only:
 * nodes follow the catalogue's order and nothing reads the clock or the environment.
 *
 * Mapping, per catalogue entry → one `dcat:Dataset`:
 * - `code` → `@id` `<baseUri>/datasets/<code>` and `dct:identifier`; `name` → `dct:title`.
 * - `summary` → `dct:description`, followed by a "Data items:" list (title, name, type,
 *   key, description of each item): DCAT-AP has no property for a dataset's columns, so
 *   the structure is described in text, and each item title is also a `dcat:keyword`.
 * - providing department → `dct:publisher` (a `foaf:Agent` `<baseUri>/departments/<code>`)
 *   and `dcat:contactPoint` (a `vcard:Organization` named after it).
 * - `theme` and `classification` → `dcat:theme`, concepts of two local SKOS schemes
 *   (`<baseUri>/themes`, `<baseUri>/classifications`) listed as the catalogue's
 *   `dcat:themeTaxonomy`; the theme text is also a `dcat:keyword`.
 * - `publishedOn` → `dct:issued` (xsd:date); `updateCycle` → `dct:accrualPeriodicity`
 *   (`ACCRUAL_PERIODICITY`); sharing type → `dct:accessRights` (`ACCESS_RIGHTS`).
 * - `legalBasis` → `dcatap:applicableLegislation`, an `eli:LegalResource` whose
 *   `dct:description` is the text (our legal bases are citations, not ELI URIs);
 *   omitted when empty, which only UNCONDITIONAL entries may be.
 * - `conditions` → `dct:rights`, a `dct:RightsStatement` with the text, when present.
 * - `related` → `dct:relation`, the related datasets' `@id`s.
 * - each sharing mode → one `dcat:Distribution` (`<dataset>/distributions/<mode>`): the
 *   platform offers no file download, so its `dcat:accessURL` is the dataset's own IRI (the
 *   page where access is requested), its format JSON (GraphQL responses) and its
 *   `dct:rights` the dataset's conditions.
 * Strings made only of Chinese text are tagged `@language: 'zh'`; mixed or other strings
 * stay plain. The catalogue node has no `dct:publisher`: the options name none.
 */
export function catalogueToDcat(catalogue: Catalogue, options: DcatOptions): DcatDocument {
  const base = normaliseBaseUri(options.baseUri);
  const ids = {
    catalogue: `${base}/catalogue`,
    dataset: (code: string) => `${base}/datasets/${encodeURIComponent(code)}`,
    department: (code: string) => `${base}/departments/${code}`,
    contact: (code: string) => `${base}/departments/${code}/contact`,
    themes: `${base}/themes`,
    theme: (theme: string) => `${base}/themes/${slug(theme)}`,
    classifications: `${base}/classifications`,
    classification: (c: Classification) => `${base}/classifications/${c}`,
  };

  const concepts = new Map<string, JsonLdNode>();
  const addConcept = (id: string, label: string, notation: string, scheme: string) => {
    if (concepts.has(id)) return;
    concepts.set(id, {
      '@id': id,
      '@type': 'skos:Concept',
      'skos:prefLabel': text(label),
      'skos:notation': notation,
      'skos:inScheme': ref(scheme),
    });
  };

  const datasets: JsonLdNode[] = [];
  const datasetRefs: JsonLdNode[] = [];
  for (const department of catalogue.departments) {
    for (const entry of department.entries) {
      addConcept(ids.theme(entry.theme), entry.theme, entry.theme, ids.themes);
      addConcept(
        ids.classification(entry.classification),
        CLASSIFICATION_LABELS[entry.classification],
        entry.classification,
        ids.classifications,
      );
      datasets.push(datasetNode(entry, department, ids));
      datasetRefs.push(ref(ids.dataset(entry.code)));
    }
  }

  const catalogueNode: JsonLdNode = {
    '@id': ids.catalogue,
    '@type': 'dcat:Catalog',
    'dct:title': text(options.title),
    'dct:description': `${catalogue.entries.length} datasets registered by ${catalogue.departments.length} departments, with the terms on which each is shared.`,
    ...(options.issued === undefined ? {} : { 'dct:issued': dateLiteral(options.issued) }),
    'dcat:themeTaxonomy': [ref(ids.themes), ref(ids.classifications)],
    'dcat:dataset': datasetRefs,
  };

  const agents = catalogue.departments.flatMap((department): JsonLdNode[] => [
    {
      '@id': ids.department(department.code),
      '@type': 'foaf:Agent',
      'foaf:name': text(department.name),
      'dct:identifier': department.code,
    },
    {
      '@id': ids.contact(department.code),
      '@type': 'vcard:Organization',
      'vcard:fn': text(department.name),
    },
  ]);

  const schemes: JsonLdNode[] = [
    { '@id': ids.themes, '@type': 'skos:ConceptScheme', 'dct:title': 'Themes' },
    {
      '@id': ids.classifications,
      '@type': 'skos:ConceptScheme',
      'dct:title': 'Data resource classifications (信息资源分类)',
    },
  ];

  return {
    // A copy, so that a caller editing its document cannot change the next one's context.
    '@context': { ...DCAT_CONTEXT },
    '@graph': [catalogueNode, ...agents, ...schemes, ...concepts.values(), ...datasets],
  };
}

interface NodeIds {
  dataset(code: string): string;
  department(code: string): string;
  contact(code: string): string;
  theme(theme: string): string;
  classification(classification: Classification): string;
}

/** One catalogue entry as a `dcat:Dataset` with its distributions and statements embedded. */
function datasetNode(
  entry: CatalogueEntry,
  department: CatalogueDepartment,
  ids: NodeIds,
): JsonLdNode {
  const id = ids.dataset(entry.code);
  const { sharing } = entry;
  const rightsId = `${id}/conditions`;
  const hasConditions = sharing.conditions !== '';

  const distributions = sharing.modes.map((mode): JsonLdNode => ({
    '@id': `${id}/distributions/${mode.toLowerCase()}`,
    '@type': 'dcat:Distribution',
    'dct:title': `${MODES[mode].title}: ${entry.code}`,
    'dct:description': MODES[mode].description,
    'dcat:accessURL': ref(id),
    'dct:format': ref(`${FILE_TYPE}JSON`),
    ...(hasConditions ? { 'dct:rights': ref(rightsId) } : {}),
  }));

  const keywords = unique([entry.theme, ...entry.items.map((i) => i.title)]);

  return {
    '@id': id,
    '@type': 'dcat:Dataset',
    'dct:identifier': entry.code,
    'dct:title': text(entry.name),
    'dct:description': describe(entry),
    'dct:publisher': ref(ids.department(department.code)),
    'dcat:contactPoint': ref(ids.contact(department.code)),
    'dcat:theme': [ref(ids.theme(entry.theme)), ref(ids.classification(entry.classification))],
    'dcat:keyword': keywords.map(text),
    'dct:issued': { '@value': entry.publishedOn, '@type': 'xsd:date' },
    'dct:accrualPeriodicity': ref(ACCRUAL_PERIODICITY[entry.updateCycle]),
    'dct:accessRights': ref(ACCESS_RIGHTS[sharing.type]),
    ...(sharing.legalBasis === ''
      ? {}
      : {
          'dcatap:applicableLegislation': {
            '@id': `${id}/legal-basis`,
            '@type': 'eli:LegalResource',
            'dct:description': text(sharing.legalBasis),
          },
        }),
    ...(hasConditions
      ? {
          'dct:rights': {
            '@id': rightsId,
            '@type': 'dct:RightsStatement',
            'dct:description': text(sharing.conditions),
          },
        }
      : {}),
    ...(entry.related.length > 0
      ? { 'dct:relation': entry.related.map((code) => ref(ids.dataset(code))) }
      : {}),
    'dcat:distribution': distributions,
  };
}

/** The summary followed by one line per data item: the dataset's structure, in words. */
function describe(entry: CatalogueEntry): string {
  const lines = entry.items.map((item) => {
    const key = entry.binding.key.includes(item.name) ? ', key' : '';
    return `- ${item.title} (${item.name}, ${item.type}${key}): ${item.description}`;
  });
  return `${entry.summary}\n\nData items:\n${lines.join('\n')}`;
}

function ref(id: string): JsonLdNode {
  return { '@id': id };
}

/** A literal: tagged Chinese when the text is Chinese only, otherwise a plain string. */
function text(value: string): JsonLdValue {
  return /\p{Script=Han}/u.test(value) && !/[A-Za-z]/.test(value)
    ? { '@value': value, '@language': 'zh' }
    : value;
}

/** `YYYY-MM-DD` as xsd:date, an ISO date-time as xsd:dateTime; anything else is refused. */
function dateLiteral(value: string): JsonLdNode {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { '@value': value, '@type': 'xsd:date' };
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(value)) {
    return { '@value': value, '@type': 'xsd:dateTime' };
  }
  throw new Error(`issued must be YYYY-MM-DD or an ISO date-time, got ${JSON.stringify(value)}`);
}

/** The base URI without trailing slashes; it must be absolute, or no node would have an IRI. */
function normaliseBaseUri(baseUri: string): string {
  const base = baseUri.trim().replace(/\/+$/, '');
  if (!URL.canParse(base)) {
    throw new Error(`baseUri must be an absolute URI, got ${JSON.stringify(baseUri)}`);
  }
  return base;
}

/** A path segment for a free-text theme: lower case, blanks as `-`, the rest percent-encoded. */
function slug(value: string): string {
  return encodeURIComponent(value.trim().toLowerCase().replace(/\s+/g, '-'));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
