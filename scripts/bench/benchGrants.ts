import type { Knex } from 'knex';
import { deleteGrants, insertGrant, newGrant, type RequestIdentity } from '../../server/index.ts';

/** The department the benchmarks read as: a consumer with grants, masks included. */
export const BENCH_CONSUMER = 'bench_consumer';
export const BENCH_PURPOSE = 'benchmark';

/** The benchmark consumer's identity as the gateway puts it in a fetch's context token. */
export function benchIdentity(
  requestId: string,
  operationName: string | null = null,
): RequestIdentity {
  return {
    caller: { department: BENCH_CONSUMER, application: null, user: null, roles: ['APP_DEVELOPER'] },
    purpose: BENCH_PURPOSE,
    grantId: null,
    requestId,
    correlationId: null,
    operationName,
  };
}

/**
 * What the benchmark consumer may read of the CONDITIONAL datasets its queries
 * touch (the UNCONDITIONAL ones need no grant): each with a mask, as a real
 * consumer's grants have, so masking is part of what is measured (never on a
 * join key: a masked key cannot be joined on).
 */
const GRANTS = [
  {
    id: 'G-BENCH-POP',
    datasetCode: 'PS-POP-001',
    items: ['idNumber', 'name', 'gender', 'birthDate', 'regionCode'],
    masks: { name: { rule: 'SURNAME_ONLY' } },
  },
  {
    id: 'G-BENCH-LAND',
    datasetCode: 'NR-LAND-001',
    items: ['parcelCode', 'holderIdNumber', 'holderCreditCode', 'landUse', 'areaSqm'],
    masks: {},
  },
  {
    id: 'G-BENCH-WATER',
    datasetCode: 'CW-ACC-001',
    items: ['accountNumber', 'holderIdNumber', 'holderCreditCode', 'address', 'monthlyUsageM3'],
    masks: { address: { rule: 'KEEP_ENDS', first: 6, last: 0 } },
  },
] as const;

/** Replaces the benchmark consumer's grants (idempotent: safe on every run). */
export async function ensureBenchGrants(platformDb: Knex): Promise<void> {
  await deleteGrants(
    platformDb,
    GRANTS.map((g) => g.id),
  );
  for (const grant of GRANTS) {
    await insertGrant(
      platformDb,
      newGrant(
        {
          id: grant.id,
          consumerDepartment: BENCH_CONSUMER,
          datasetCode: grant.datasetCode,
          items: [...grant.items],
          masks: grant.masks,
          purposes: [BENCH_PURPOSE],
          modes: ['QUERY'],
          validFrom: '2000-01-01T00:00:00.000Z',
          validUntil: '2100-01-01T00:00:00.000Z',
        },
        'benchmark',
      ),
    );
  }
}
