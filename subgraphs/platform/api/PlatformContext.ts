import type { Knex } from 'knex';
import { civilDateIn } from '../../../schema/index.ts';
import { OFFICE_ROLES } from '../../../server/index.ts';
import type {
  AttestationVerification,
  Caller,
  CheckpointVerification,
  RequestIdentity,
  Role,
} from '../../../server/index.ts';
import type { CatalogueStore } from '../catalogue/index.ts';
import type { CompositionKeys } from '../registry/registrySignatures.ts';

/** Settings of the platform's own workflows. */
export interface PlatformSettings {
  /** Working days a provider has to answer a sharing application. */
  applicationReplyWorkingDays: number;
  /** Working days a provider has to answer a data error report (default 5). */
  errorReportReplyWorkingDays: number;
  /** Base URI of the catalogue's identifiers in the DCAT-AP export. */
  catalogueBaseUri: string;
  /** The department subgraphs' page size cap (it is part of their generated SDL). */
  maxPageSize: number;
  /** The platform's time zone: today, deadlines and grant dates are its civil days. */
  timeZone: string;
  /** The departments the office roles (REVIEWER, ADMIN) are honoured for; anyone else's are not. */
  officeDepartments: readonly string[];
}

/** What every platform resolver receives; made fresh per request. */
export interface PlatformContext {
  identity: RequestIdentity;
  composeOnly: boolean;
  db: Knex;
  catalogue: CatalogueStore;
  settings: PlatformSettings;
  /** Each department's own database, by code: catalogue bindings are checked against it. */
  departmentDatabases: ReadonlyMap<string, Knex>;
  /** Signed audit checkpoints to verify the chains against; null: hash chains only. */
  auditCheckpoints: CheckpointVerification | null;
  /** The departments' public audit keys to check ACCESS records' attestations with; null: not checked. */
  auditAttestations: AttestationVerification | null;
  /** Which stored compositions a catalogue publication's check reuses or stores; none: composed alone. */
  registryCompositions?: CompositionKeys | undefined;
  now: Date;
}

/** The signed-in caller; the rules have already refused anonymous requests where one is needed. */
export function callerOf(ctx: PlatformContext): Caller {
  const caller = ctx.identity.caller;
  if (!caller)
    throw new Error('rule missing: an anonymous request reached a resolver that needs a caller');
  return caller;
}

/**
 * Whether the caller holds one of `roles`. An office role (REVIEWER, ADMIN)
 * counts only for an office department: the gateway refuses credentials that
 * claim one elsewhere, and the platform does not take it from anyone else
 * either, so no path to this subgraph can bring one.
 */
export function hasRole(ctx: PlatformContext, ...roles: Role[]): boolean {
  const caller = ctx.identity.caller;
  if (!caller) return false;
  const office = ctx.settings.officeDepartments.includes(caller.department);
  return roles.some(
    (role) => caller.roles.includes(role) && (office || !OFFICE_ROLES.includes(role)),
  );
}

/**
 * Who did it, as recorded on every change: department/user, else
 * department/application, else department/ROLES (a token without `sub` or
 * `app` still says in which capacity it acted, never "unknown").
 */
export function actorOf(ctx: PlatformContext): string {
  const caller = callerOf(ctx);
  const who = caller.user ?? caller.application ?? (caller.roles.join('+') || 'no role');
  return `${caller.department}/${who}`;
}

/**
 * Who did it, for records of `department`'s own work (answering its
 * applications, its catalogue): when a technical service unit acts for the
 * department, the record names the unit's caller and the department.
 */
export function actorFor(ctx: PlatformContext, department: string): string {
  const actor = actorOf(ctx);
  const caller = callerOf(ctx);
  const actsForAnother = caller.department !== department && !hasRole(ctx, 'ADMIN', 'REVIEWER');
  return actsForAnother ? `${actor} for ${department}` : actor;
}

/**
 * Whether a recorded actor (`actorOf`, or `actorFor`'s "… for department")
 * is the caller `actor`: maker and checker of one change must differ.
 */
export function sameActor(recorded: string | null, actor: string): boolean {
  return recorded !== null && (recorded === actor || recorded.startsWith(`${actor} for `));
}

/** Today's date in the platform's time zone, as YYYY-MM-DD. */
export function today(ctx: PlatformContext): string {
  return civilDateIn(ctx.now, ctx.settings.timeZone);
}
