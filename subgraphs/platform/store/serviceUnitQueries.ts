import type { Knex } from 'knex';

/** What a technical service unit may do for a department. */
export const SERVICE_UNIT_DUTIES = [
  'CATALOGUING',
  'ANSWERING_APPLICATIONS',
  'OPERATING_SUBGRAPH',
] as const;
export type ServiceUnitDuty = (typeof SERVICE_UNIT_DUTIES)[number];

/** A department's authorization of a technical service unit (技术服务单位). */
export interface ServiceUnitAuthorization {
  id: string;
  /** The unit's own code: the department its credentials name. */
  unit: string;
  department: string;
  duties: ServiceUnitDuty[];
  validFrom: string;
  validUntil: string;
  status: 'ACTIVE' | 'REVOKED';
  grantedBy: string;
  grantedAt: string;
  revokedBy: string | null;
  revokedAt: string | null;
  revokeReason: string | null;
}

type Row = Record<string, unknown>;
const table = (db: Knex) => db<Row>('service_unit_authorizations');

function fromRow(r: Row): ServiceUnitAuthorization {
  return {
    id: String(r.id),
    unit: String(r.unit),
    department: String(r.department),
    duties: JSON.parse(String(r.duties)) as ServiceUnitDuty[],
    validFrom: String(r.valid_from),
    validUntil: String(r.valid_until),
    status: r.status as ServiceUnitAuthorization['status'],
    grantedBy: String(r.granted_by),
    grantedAt: String(r.granted_at),
    revokedBy: (r.revoked_by as string | null) ?? null,
    revokedAt: (r.revoked_at as string | null) ?? null,
    revokeReason: (r.revoke_reason as string | null) ?? null,
  };
}

export async function insertServiceUnitAuthorization(
  db: Knex,
  a: ServiceUnitAuthorization,
): Promise<void> {
  await table(db).insert({
    id: a.id,
    unit: a.unit,
    department: a.department,
    duties: JSON.stringify(a.duties),
    valid_from: a.validFrom,
    valid_until: a.validUntil,
    status: a.status,
    granted_by: a.grantedBy,
    granted_at: a.grantedAt,
    revoked_by: a.revokedBy,
    revoked_at: a.revokedAt,
    revoke_reason: a.revokeReason,
  });
}

export async function selectServiceUnitAuthorization(
  db: Knex,
  id: string,
): Promise<ServiceUnitAuthorization | undefined> {
  const row = await table(db).where({ id }).first();
  return row ? fromRow(row) : undefined;
}

/** Authorizations naming a unit or a department (either side), newest first. */
export async function selectServiceUnitAuthorizations(
  db: Knex,
  filter: { unit?: string; department?: string; status?: 'ACTIVE' },
): Promise<ServiceUnitAuthorization[]> {
  const query = table(db);
  if (filter.unit) query.where({ unit: filter.unit });
  if (filter.department) query.where({ department: filter.department });
  if (filter.status) query.where({ status: filter.status });
  return (await query.orderBy([{ column: 'granted_at', order: 'desc' }, 'id'])).map(fromRow);
}

/** Revokes an ACTIVE authorization; false when it no longer is. */
export async function revokeServiceUnitAuthorization(
  db: Knex,
  id: string,
  by: string,
  at: string,
  reason: string,
): Promise<boolean> {
  const changed = await table(db)
    .where({ id, status: 'ACTIVE' })
    .update({ status: 'REVOKED', revoked_by: by, revoked_at: at, revoke_reason: reason });
  return changed === 1;
}
