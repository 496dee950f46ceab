import type { Knex } from 'knex';
import type { SharingMode } from '../../../schema/index.ts';

export type ApplicationStatus = 'SUBMITTED' | 'APPROVED' | 'REJECTED' | 'WITHDRAWN';

/** A sharing application as stored. */
export interface SharingApplication {
  id: string;
  datasetCode: string;
  providerDepartment: string;
  consumerDepartment: string;
  consumerApplication: string | null;
  applicant: string;
  items: string[];
  purpose: string;
  scenario: string;
  legalBasis: string;
  requestedFrom: string;
  requestedUntil: string;
  modes: SharingMode[];
  status: ApplicationStatus;
  deadline: string;
  submittedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  grantId: string | null;
  updatedAt: string;
}

interface ApplicationRow {
  id: string;
  dataset_code: string;
  provider_department: string;
  consumer_department: string;
  consumer_application: string | null;
  applicant: string;
  items: string;
  purpose: string;
  scenario: string;
  legal_basis: string;
  requested_from: string;
  requested_until: string;
  modes: string;
  status: string;
  deadline: string;
  submitted_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  grant_id: string | null;
  updated_at: string;
}

const table = (db: Knex) => db<ApplicationRow>('applications');

function fromRow(r: ApplicationRow): SharingApplication {
  return {
    id: r.id,
    datasetCode: r.dataset_code,
    providerDepartment: r.provider_department,
    consumerDepartment: r.consumer_department,
    consumerApplication: r.consumer_application,
    applicant: r.applicant,
    items: JSON.parse(r.items) as string[],
    purpose: r.purpose,
    scenario: r.scenario,
    legalBasis: r.legal_basis,
    requestedFrom: r.requested_from,
    requestedUntil: r.requested_until,
    modes: JSON.parse(r.modes) as SharingMode[],
    status: r.status as ApplicationStatus,
    deadline: r.deadline,
    submittedAt: r.submitted_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    decisionReason: r.decision_reason,
    grantId: r.grant_id,
    updatedAt: r.updated_at,
  };
}

export async function insertApplication(db: Knex, a: SharingApplication): Promise<void> {
  await table(db).insert({
    id: a.id,
    dataset_code: a.datasetCode,
    provider_department: a.providerDepartment,
    consumer_department: a.consumerDepartment,
    consumer_application: a.consumerApplication,
    applicant: a.applicant,
    items: JSON.stringify(a.items),
    purpose: a.purpose,
    scenario: a.scenario,
    legal_basis: a.legalBasis,
    requested_from: a.requestedFrom,
    requested_until: a.requestedUntil,
    modes: JSON.stringify(a.modes),
    status: a.status,
    deadline: a.deadline,
    submitted_at: a.submittedAt,
    decided_by: a.decidedBy,
    decided_at: a.decidedAt,
    decision_reason: a.decisionReason,
    grant_id: a.grantId,
    updated_at: a.updatedAt,
  });
}

export async function selectApplication(
  db: Knex,
  id: string,
): Promise<SharingApplication | undefined> {
  const row = await table(db).where({ id }).first();
  return row ? fromRow(row) : undefined;
}

/** The approved application a grant was created for, if it was created for one. */
export async function selectApplicationOfGrant(
  db: Knex,
  grantId: string,
): Promise<SharingApplication | undefined> {
  const row = await table(db).where({ grant_id: grantId }).first();
  return row ? fromRow(row) : undefined;
}

/** Applications, optionally only those a department made or received, newest first. */
export async function selectApplications(
  db: Knex,
  filter: {
    department?: string;
    status?: ApplicationStatus;
    dueBefore?: string;
    /** A page: skip `offset`, return at most `limit` (newest first). */
    offset?: number;
    limit?: number | null;
  },
): Promise<SharingApplication[]> {
  const query = table(db);
  if (filter.department) {
    const department = filter.department;
    query.where((q) => {
      void q
        .where({ consumer_department: department })
        .orWhere({ provider_department: department });
    });
  }
  if (filter.status) query.where({ status: filter.status });
  if (filter.dueBefore) query.where('deadline', '<', filter.dueBefore);
  if (filter.limit !== undefined && filter.limit !== null) query.limit(filter.limit);
  if (filter.offset) query.offset(filter.offset);
  return (await query.orderBy([{ column: 'submitted_at', order: 'desc' }, 'id'])).map(fromRow);
}

/**
 * Records a decision on an application that is still SUBMITTED; false (nothing
 * changed) when it no longer is, so two deciders cannot both act.
 */
export async function decideApplication(
  db: Knex,
  id: string,
  decision: {
    status: ApplicationStatus;
    by: string;
    at: string;
    reason: string | null;
    grantId: string | null;
  },
): Promise<boolean> {
  const changed = await table(db).where({ id, status: 'SUBMITTED' }).update({
    status: decision.status,
    decided_by: decision.by,
    decided_at: decision.at,
    decision_reason: decision.reason,
    grant_id: decision.grantId,
    updated_at: decision.at,
  });
  return changed === 1;
}
