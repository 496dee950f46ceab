import type { Knex } from 'knex';
import {
  deleteGrantsCreatedBy,
  inTransaction,
  insertGrants,
  newGrant,
  type Grant,
} from '../../../server/index.ts';

/** Who created the demo grants; the seed deletes only these, so running it twice is safe. */
const SEEDER = 'demo-seed';
const FROM = '2026-01-01T00:00:00.000Z';
const UNTIL = '2030-12-31T23:59:59.999Z';

type DemoGrant = Pick<
  Grant,
  'id' | 'consumerDepartment' | 'datasetCode' | 'items' | 'purposes' | 'modes'
> &
  Partial<Pick<Grant, 'masks' | 'rowFilter' | 'dailyQuota' | 'consumerApplication'>>;

/**
 * Grants of the demo: consuming departments reading CONDITIONAL datasets under
 * conditions — masked items, a regional row filter, a VERIFY-only grant.
 */
export const DEMO_GRANTS: readonly DemoGrant[] = [
  {
    id: 'G-DEMO-CA-POP',
    consumerDepartment: 'civil_affairs',
    datasetCode: 'PS-POP-001',
    // idNumber is granted, but birthDate only to the year: the number it embeds
    // them in is shown with the region code alone (see population.yaml).
    items: ['idNumber', 'name', 'gender', 'birthDate', 'ethnicity', 'regionCode', 'address'],
    masks: { birthDate: { rule: 'YEAR_ONLY' } },
    purposes: ['social-assistance'],
    modes: ['QUERY', 'VERIFY'],
    dailyQuota: 100_000,
  },
  {
    id: 'G-DEMO-CA-WATER',
    consumerDepartment: 'civil_affairs',
    datasetCode: 'CW-ACC-001',
    items: [
      'accountNumber',
      'holderIdNumber',
      'holderCreditCode',
      'address',
      'monthlyUsageM3',
      'arrears',
      'status',
    ],
    masks: { address: { rule: 'KEEP_ENDS', first: 6, last: 0 } },
    purposes: ['social-assistance'],
    modes: ['QUERY'],
  },
  {
    // Lists accounts for statistics, de-identified: the holder's number is masked, so it
    // can be neither joined nor filtered on; and as a copy of PS-POP-001.idNumber, on
    // which statistics holds no grant, it is not served at all (one number, one source).
    id: 'G-DEMO-STATS-WATER',
    consumerDepartment: 'statistics',
    datasetCode: 'CW-ACC-001',
    items: ['holderIdNumber', 'monthlyUsageM3', 'status'],
    masks: { holderIdNumber: { rule: 'KEEP_ENDS', first: 6, last: 4 } },
    purposes: ['statistics'],
    modes: ['QUERY'],
  },
  {
    id: 'G-DEMO-CA-LAND',
    consumerDepartment: 'civil_affairs',
    datasetCode: 'NR-LAND-001',
    items: [
      'parcelCode',
      'holderIdNumber',
      'holderCreditCode',
      'landUse',
      'areaSqm',
      'rightType',
      'regionCode',
    ],
    purposes: ['social-assistance', 'housing-security'],
    modes: ['QUERY'],
  },
  {
    id: 'G-DEMO-HZ-POP',
    consumerDepartment: 'hangzhou_civil_affairs',
    datasetCode: 'PS-POP-001',
    items: ['name', 'gender', 'regionCode'],
    masks: { name: { rule: 'SURNAME_ONLY' } },
    rowFilter: { regionCode: { startsWith: '3301' } },
    purposes: ['social-assistance'],
    modes: ['QUERY'],
  },
  {
    id: 'G-DEMO-TAX-WATER',
    consumerDepartment: 'tax',
    datasetCode: 'CW-ACC-001',
    items: ['holderIdNumber', 'address', 'status'],
    purposes: ['tax-verification'],
    modes: ['VERIFY'],
  },
  {
    id: 'G-DEMO-MS-POP',
    consumerDepartment: 'market_supervision',
    datasetCode: 'PS-POP-001',
    items: ['name', 'regionCode'],
    purposes: ['enterprise-registration'],
    modes: ['QUERY', 'VERIFY'],
  },
];

export async function seed(knex: Knex): Promise<number> {
  await inTransaction(knex, async (trx) => {
    await deleteGrantsCreatedBy(trx, SEEDER);
    await insertGrants(
      trx,
      DEMO_GRANTS.map((demo) => newGrant({ ...demo, validFrom: FROM, validUntil: UNTIL }, SEEDER)),
    );
  });
  return DEMO_GRANTS.length;
}
