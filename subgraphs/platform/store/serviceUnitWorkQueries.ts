import type { Knex } from 'knex';
import type { Period } from './scorecardQueries.ts';

/** An application decision or a catalogue version, with who recorded it. */
export interface RecordedWork {
  by: string;
  at: string;
  /** The day an answer was due (applications); null for catalogue versions. */
  deadline: string | null;
}

/**
 * Application decisions and catalogue versions recorded in the period, with
 * who recorded them; the caller picks a unit's by the `unit/… for department`
 * form (compared in code, so a unit code's `_` is never a LIKE wildcard).
 */
export async function selectRecordedWork(
  db: Knex,
  period: Period,
): Promise<{ decisions: RecordedWork[]; versions: RecordedWork[] }> {
  const decisions = await db<{ decided_by: string; decided_at: string; deadline: string }>(
    'applications',
  )
    .whereNotNull('decided_by')
    .where('decided_at', '>=', period.from)
    .where('decided_at', '<', period.to)
    .select('decided_by', 'decided_at', 'deadline');
  const versions = await db<{ created_by: string; created_at: string }>('catalogue_entries')
    .where('created_at', '>=', period.from)
    .where('created_at', '<', period.to)
    .select('created_by', 'created_at');
  return {
    decisions: decisions.map((d) => ({ by: d.decided_by, at: d.decided_at, deadline: d.deadline })),
    versions: versions.map((v) => ({ by: v.created_by, at: v.created_at, deadline: null })),
  };
}
