import {
  selectAuditRecords,
  verifyAuditChains,
  type AuditFilter,
  type AuditRecord,
} from '../../../server/index.ts';
import { badUserInput } from '../../../schema/index.ts';
import { callerOf, hasRole, type PlatformContext } from './PlatformContext.ts';
import { CSV_LIMIT } from './declaredCosts.ts';
import { csvCell } from '../services/csvCell.ts';

type FilterInput = Omit<AuditFilter, 'limit' | 'afterId'>;

/**
 * Who sees which audit records: reviewers and admins everything; a department
 * the accesses to the datasets it provides and the requests and accesses it
 * made itself.
 */
function scoped(ctx: PlatformContext, input: FilterInput | null | undefined): FilterInput {
  const filter: FilterInput = { ...(input ?? {}) };
  for (const key of ['from', 'to'] as const) {
    const value = filter[key];
    if (value && Number.isNaN(Date.parse(value)))
      throw badUserInput(`filter.${key} must be an ISO 8601 date or time.`, 'filter');
  }
  if (hasRole(ctx, 'REVIEWER', 'ADMIN')) return filter;
  const own = callerOf(ctx).department;
  if (filter.department && filter.department !== own) {
    throw badUserInput(`You may see only the records of ${own}.`, 'filter');
  }
  return { ...filter, department: own };
}

export async function auditRecords(
  ctx: PlatformContext,
  input: FilterInput | null,
  first: number,
  after: string | null,
) {
  if (!Number.isInteger(first) || first < 1 || first > 500)
    throw badUserInput('first must be between 1 and 500.', 'first');
  const afterId = after === null ? null : Number(Buffer.from(after, 'base64url').toString('utf8'));
  if (afterId !== null && !Number.isInteger(afterId))
    throw badUserInput('after is not a cursor of this list.', 'after');
  const records = await selectAuditRecords(ctx.db, {
    ...scoped(ctx, input),
    afterId,
    limit: first + 1,
  });
  const nodes = records.slice(0, first).map(auditView);
  return {
    nodes,
    pageInfo: {
      hasNextPage: records.length > first,
      endCursor: nodes.length > 0 ? Buffer.from(nodes.at(-1)!.id).toString('base64url') : null,
    },
  };
}

export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'kind',
  'requestId',
  'correlationId',
  'subgraph',
  'consumerDepartment',
  'consumerApplication',
  'userId',
  'purpose',
  'grantId',
  'dataset',
  'providerDepartment',
  'itemsReturned',
  'itemsMasked',
  'itemsDenied',
  'recordCount',
  'verifications',
  'verifiedItems',
  'verificationsMatched',
  'decision',
  'reason',
  'operationName',
  'operationHash',
  'latencyMs',
  'traceId',
  'writer',
  'seq',
  'hash',
] as const;

/** RFC 4180 CSV of the same records `auditRecords` lists for the filter; lists joined with `;`. */
export async function auditCsv(ctx: PlatformContext, input: FilterInput | null): Promise<string> {
  const records = await selectAuditRecords(ctx.db, { ...scoped(ctx, input), limit: CSV_LIMIT });
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const record of records.map(auditView)) {
    lines.push(
      AUDIT_CSV_COLUMNS.map((column) => {
        const value = record[column];
        return csvCell(
          Array.isArray(value) ? value.join(';') : value === null ? '' : String(value),
        );
      }).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The walk under way, per platform database: a request that asks while one is
 * running gets its answer instead of starting another, so reviewers asking
 * together cost one walk of the trail, not one each.
 */
const walking = new WeakMap<object, ReturnType<typeof verifyAuditChains>>();

export async function verifyAuditChain(ctx: PlatformContext) {
  let walk = walking.get(ctx.db);
  if (!walk) {
    walk = verifyAuditChains(
      ctx.db,
      ctx.auditCheckpoints ?? undefined,
      ctx.auditAttestations ?? undefined,
    ).finally(() => walking.delete(ctx.db));
    walking.set(ctx.db, walk);
  }
  const result = await walk;
  return {
    ...result,
    problems: result.problems.map((p) => ({
      ...p,
      recordId: p.recordId === null ? null : String(p.recordId),
    })),
  };
}

function auditView(record: AuditRecord) {
  return { ...record, id: String(record.id), dataset: record.datasetCode };
}
