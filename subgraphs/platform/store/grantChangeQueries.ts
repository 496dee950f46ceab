import type { Knex } from 'knex';
import type { Grant } from '../../../server/index.ts';

export type GrantAction = 'CREATE' | 'UPDATE' | 'REVOKE';

export interface GrantChange {
  id: number;
  grantId: string;
  action: GrantAction;
  actor: string;
  at: string;
  reason: string;
  before: Grant | null;
  after: Grant | null;
}

interface GrantChangeRow {
  id: number;
  grant_id: string;
  action: string;
  actor: string;
  at: string;
  reason: string;
  before: string | null;
  after: string | null;
}

/** Records who changed a grant, when, why, and the grant before and after. */
export async function insertGrantChange(db: Knex, change: Omit<GrantChange, 'id'>): Promise<void> {
  await db<GrantChangeRow>('grant_changes').insert({
    grant_id: change.grantId,
    action: change.action,
    actor: change.actor,
    at: change.at,
    reason: change.reason,
    before: change.before ? JSON.stringify(change.before) : null,
    after: change.after ? JSON.stringify(change.after) : null,
  });
}

export async function selectGrantChanges(db: Knex, grantId: string | null): Promise<GrantChange[]> {
  const query = db<GrantChangeRow>('grant_changes');
  if (grantId) query.where({ grant_id: grantId });
  const rows = await query.orderBy('id', 'desc').limit(1000);
  return rows.map((r) => ({
    id: Number(r.id),
    grantId: r.grant_id,
    action: r.action as GrantAction,
    actor: r.actor,
    at: r.at,
    reason: r.reason,
    before: r.before ? (JSON.parse(r.before) as Grant) : null,
    after: r.after ? (JSON.parse(r.after) as Grant) : null,
  }));
}
