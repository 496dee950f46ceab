import { badUserInput } from '../../../schema/index.ts';
import type { ExportFilter, ExportFormat } from '../../../server/index.ts';

/** What a consumer asks for when it starts an export (the query string of `GET /export`). */
export interface StartRequest {
  kind: 'start';
  dataset: string;
  /** Items wanted; null for every item the grant gives. */
  items: string[] | null;
  filter: ExportFilter;
  format: ExportFormat;
  /** Incremental: the id of the consumer's previous export of the dataset. */
  since: string | null;
}

/**
 * Continuing an export after a broken connection: how many whole records the
 * consumer holds and the SHA-256 of its file up to the last of them, which the
 * subgraph checks before sending the rest.
 */
export interface ResumeRequest {
  kind: 'resume';
  exportId: string;
  records: number;
  sha256: string;
}

export type ExportRequest = StartRequest | ResumeRequest;

/** Longest filter accepted, as JSON: conditions, not data. */
const MAX_FILTER_LENGTH = 4096;
const FORMATS: readonly ExportFormat[] = ['ndjson', 'csv'];
const OPERATORS = new Set(['eq', 'in', 'startsWith', 'gt', 'gte', 'lt', 'lte']);
const EXPORT_ID = /^exp_[0-9a-f-]{36}$/;

/**
 * Reads an export request from the query string, refusing anything malformed
 * with BAD_USER_INPUT naming the parameter. Item names and filter operators
 * are only shaped here; the plan checks them against the dataset and grant.
 */
export function parseExportRequest(query: URLSearchParams): ExportRequest {
  const resume = query.get('resume');
  if (resume !== null) {
    const records = Number(query.get('records'));
    const sha256 = query.get('sha256') ?? '';
    if (!EXPORT_ID.test(resume))
      throw badUserInput('resume must be an export id (exp_…).', 'resume');
    if (!Number.isSafeInteger(records) || records < 0) {
      throw badUserInput(
        'records must be the count of whole records you hold (0 or more).',
        'records',
      );
    }
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      throw badUserInput(
        'sha256 must be the hex SHA-256 of your file up to its last whole record.',
        'sha256',
      );
    }
    return { kind: 'resume', exportId: resume, records, sha256 };
  }
  const dataset = query.get('dataset');
  if (!dataset || !/^[A-Za-z0-9_-]{1,64}$/.test(dataset)) {
    throw badUserInput('dataset must be a catalogue code such as PS-POP-001.', 'dataset');
  }
  const format = (query.get('format') ?? 'ndjson') as ExportFormat;
  if (!FORMATS.includes(format)) throw badUserInput('format must be ndjson or csv.', 'format');
  const itemList = query.get('items');
  const items = itemList ? itemList.split(',').map((i) => i.trim()) : null;
  if (items && (items.length > 200 || items.some((i) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(i)))) {
    throw badUserInput('items must be item names separated by commas.', 'items');
  }
  const since = query.get('since');
  if (since !== null && !EXPORT_ID.test(since)) {
    throw badUserInput(
      'since must be the id of your previous export of this dataset (exp_…).',
      'since',
    );
  }
  return { kind: 'start', dataset, items, filter: parseFilter(query.get('filter')), format, since };
}

function parseFilter(text: string | null): ExportFilter {
  if (text === null || text === '') return {};
  const invalid = (why: string) =>
    badUserInput(
      `filter ${why}; send JSON such as {"regionCode":{"startsWith":"3301"}} with operators eq, in, startsWith, gt, gte, lt, lte.`,
      'filter',
    );
  if (text.length > MAX_FILTER_LENGTH)
    throw invalid(`is longer than ${MAX_FILTER_LENGTH} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('is not JSON');
  }
  if (!isObject(parsed)) throw invalid('is not an object');
  for (const [item, condition] of Object.entries(parsed)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(item)) throw invalid(`names ${JSON.stringify(item)}`);
    if (!isObject(condition)) throw invalid(`gives ${item} no object of conditions`);
    for (const [op, value] of Object.entries(condition)) {
      if (!OPERATORS.has(op)) throw invalid(`uses the unknown operator ${JSON.stringify(op)}`);
      const values = op === 'in' ? value : [value];
      if (!Array.isArray(values) || values.length === 0 || values.length > 100) {
        throw invalid(`gives ${item}.${op} no list of 1 to 100 values`);
      }
      if (!values.every((v) => typeof v === 'string' || typeof v === 'number')) {
        throw invalid(`gives ${item}.${op} a value that is not a string or number`);
      }
    }
  }
  return parsed as ExportFilter;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
