import type { Knex } from 'knex';
import type { Catalogue } from '../../../schema/index.ts';
import {
  deleteGrantsCreatedBy,
  inTransaction,
  insertGrants,
  newGrant,
  type Grant,
} from '../../../server/index.ts';

/** Who created the province's grants; the bench replaces only these. */
export const PROVINCE_GRANTOR = 'province-bench';
export const PROVINCE_PURPOSE = 'province-bench';

/** The grant the bench changes and watches: always the first one. */
export const WATCHED_GRANT = 'G-PROV-0000000';
const WATCHING_CONSUMER = 'province_watcher';

/**
 * The province's grants: `count` of them, each to a department on a
 * CONDITIONAL entry of another department (consumers and entries dealt out
 * in turn; synthetic entries only), every tenth one
 * revoked, every twentieth one expired.
 */
export function provinceGrants(catalogue: Catalogue, count: number): Grant[] {
  // Synthetic entries only: the bench reads the watched grant's record by its key (recordId).
  const conditional = catalogue.entries.filter(
    (e) => e.sharing.type === 'CONDITIONAL' && e.department.startsWith('dept_'),
  );
  if (conditional.length === 0) {
    throw new Error(
      'The province has no CONDITIONAL synthetic entry to grant (the second synthetic entry is the first): raise --entries.',
    );
  }
  const departments = catalogue.departments.map((d) => d.code);
  const grants: Grant[] = [];
  for (let i = 0; i < count; i++) {
    const entry = conditional[(i * 7919) % conditional.length]!;
    let consumer = departments[i % departments.length]!;
    if (consumer === entry.department) consumer = departments[(i + 1) % departments.length]!;
    // The watched grant is its consumer's only one, so its changes show at the gateway.
    if (i === 0) consumer = WATCHING_CONSUMER;
    const grant = newGrant(
      {
        id: `G-PROV-${String(i).padStart(7, '0')}`,
        consumerDepartment: consumer,
        datasetCode: entry.code,
        items: entry.items.slice(0, 3).map((item) => item.name),
        purposes: [PROVINCE_PURPOSE],
        modes: ['QUERY'],
        validFrom: '2020-01-01T00:00:00.000Z',
        validUntil: i % 20 === 19 ? '2025-01-01T00:00:00.000Z' : '2099-12-31T23:59:59.999Z',
      },
      PROVINCE_GRANTOR,
    );
    grants.push(
      i % 10 === 9
        ? { ...grant, status: 'REVOKED', revokedAt: grant.createdAt, revokedBy: PROVINCE_GRANTOR }
        : grant,
    );
  }
  return grants;
}

/** Makes the platform database hold exactly the province's grants (once; later runs keep them). */
export async function seedProvinceGrants(
  db: Knex,
  catalogue: Catalogue,
  count: number,
  log: (message: string) => void,
): Promise<void> {
  const row = await db('grants').where({ created_by: PROVINCE_GRANTOR }).count({ n: '*' }).first();
  if (Number(row?.n ?? 0) === count) return;
  const started = Date.now();
  await inTransaction(db, async (trx) => {
    await deleteGrantsCreatedBy(trx, PROVINCE_GRANTOR);
    await insertGrants(trx, provinceGrants(catalogue, count));
  });
  log(`province: inserted ${count} grants in ${Date.now() - started} ms`);
}
