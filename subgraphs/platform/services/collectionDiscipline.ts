import { randomUUID } from 'node:crypto';
import {
  badUserInput,
  conflict,
  forbidden,
  isCalendarDate,
  reservedTableReason,
} from '../../../schema/index.ts';
import { describeTable, listTables } from '../../kit/introspection/index.ts';
import { actorOf, callerOf, hasRole, today, type PlatformContext } from '../api/PlatformContext.ts';
import {
  insertCollectionExemption,
  selectCollectionExemptions,
  type CollectionExemption,
} from '../store/index.ts';
import { requireReason } from './grantAdministration.ts';

/** A table, or a column of a table, that no published entry binds. */
export interface UncataloguedColumn {
  table: string;
  /** Null: no published entry binds the table at all. */
  column: string | null;
}

export interface CollectionFindings {
  department: string;
  uncatalogued: UncataloguedColumn[];
  /** Exemptions in force today, which keep what they cover off the list. */
  exemptions: CollectionExemption[];
}

/** Longest an exemption for temporary collection may run, in days. */
const MAX_EXEMPTION_DAYS = 366;

/**
 * Uncatalogued collection (目录外采集) in a department's own database: every
 * table no published entry binds, and every column of a bound table that no
 * item binds, less what an exemption in force covers. Reviewers and admins see
 * any department's; DEPT_IT its own.
 */
export async function uncataloguedCollection(
  ctx: PlatformContext,
  department: string,
): Promise<CollectionFindings> {
  if (!hasRole(ctx, 'REVIEWER', 'ADMIN') && callerOf(ctx).department !== department) {
    throw forbidden(
      `You are ${callerOf(ctx).department}; only ${department}, reviewers and admins see its uncatalogued collection.`,
    );
  }
  const db = ctx.departmentDatabases.get(department);
  if (!db) {
    throw badUserInput(
      `The platform has no connection to ${department}'s database; departments it serves: ${[...ctx.departmentDatabases.keys()].join(', ')}.`,
      'department',
    );
  }
  const bound = new Map<string, Set<string>>();
  for (const entry of ctx.catalogue.catalogue.entries) {
    if (entry.department !== department) continue;
    const table = entry.binding.table.toLowerCase();
    const columns = bound.get(table) ?? new Set<string>();
    entry.items.forEach((i) => columns.add(i.column.toLowerCase()));
    bound.set(table, columns);
  }
  const platformTables = await listTables(ctx.db);
  const exemptions = await selectCollectionExemptions(ctx.db, department, today(ctx));
  const exempt = (table: string, column: string | null) =>
    exemptions.some(
      (e) =>
        e.table.toLowerCase() === table && (e.column === null || e.column.toLowerCase() === column),
    );
  const uncatalogued: UncataloguedColumn[] = [];
  const tables = [...(await listTables(db))].sort();
  for (const table of tables) {
    // The platform's own tables (in case they share the database) can never be bound.
    if (reservedTableReason(table) || platformTables.has(table)) continue;
    const columns = bound.get(table);
    if (!columns) {
      if (!exempt(table, null)) uncatalogued.push({ table, column: null });
      continue;
    }
    const described = await describeTable(db, table);
    for (const { name } of described.columns) {
      const column = name.toLowerCase();
      if (!columns.has(column) && !exempt(table, column)) uncatalogued.push({ table, column });
    }
  }
  return { department, uncatalogued, exemptions };
}

/**
 * A reviewer exempts temporary collection for an urgent need (临时采集) from
 * the list until `expiresOn`, and must say why.
 */
export async function exemptCollection(
  ctx: PlatformContext,
  input: {
    department: string;
    table: string;
    column?: string | null;
    reason: string;
    expiresOn: string;
  },
): Promise<CollectionExemption> {
  const reason = requireReason(input.reason);
  const day = today(ctx);
  const problems: string[] = [];
  if (!ctx.departmentDatabases.has(input.department))
    problems.push(`department: ${input.department} has no database on the platform`);
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(input.table)) problems.push('table: a table name');
  if (input.column && !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(input.column))
    problems.push('column: a column name, or none for the whole table');
  const latest = addDays(day, MAX_EXEMPTION_DAYS);
  if (!isCalendarDate(input.expiresOn) || input.expiresOn < day || input.expiresOn > latest)
    problems.push(`expiresOn: a date from today to ${latest}; temporary collection is temporary`);
  if (problems.length > 0)
    throw badUserInput(`The exemption is not valid:\n- ${problems.join('\n- ')}`, 'input');
  const exemption: CollectionExemption = {
    id: `EX-${randomUUID()}`,
    department: input.department,
    table: input.table,
    column: input.column ?? null,
    reason,
    expiresOn: input.expiresOn,
    grantedBy: actorOf(ctx),
    grantedAt: ctx.now.toISOString(),
  };
  const active = await selectCollectionExemptions(ctx.db, input.department, day);
  if (active.some((e) => e.table === exemption.table && e.column === exemption.column))
    throw conflict(
      `${exemption.table}${exemption.column ? `.${exemption.column}` : ''} is already exempted. Nothing was changed.`,
    );
  await insertCollectionExemption(ctx.db, exemption);
  return exemption;
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
