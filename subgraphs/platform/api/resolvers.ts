import { badUserInput, type SharingMode, type SharingType } from '../../../schema/index.ts';
import { selectGrant, selectGrantList, selectGrants, type Grant } from '../../../server/index.ts';
import {
  CALENDAR_NAME_LENGTH,
  deleteCalendarDay,
  isCalendarDate,
  loadWorkingCalendar,
  MAX_WORKING_DAYS,
  selectCalendarDays,
  upsertCalendarDay,
  WorkingCalendar,
  type CalendarDay,
} from '../calendar/index.ts';
import {
  selectEntriesByStatus,
  selectEntryVersions,
  selectPublishedEntries,
  type EntryStatus,
} from '../catalogue/index.ts';
import { catalogueToDcat } from '../dcat/index.ts';
import {
  mayManage,
  publishEntry,
  rejectEntry,
  retireEntry,
  saveDraft,
  submitEntry,
  visibleVersion,
} from '../services/catalogueRegistration.ts';
import {
  answerDataError,
  overdueErrorReports,
  reportDataError,
  visibleErrorReports,
  type ErrorReportInput,
} from '../services/errorReports.ts';
import { changeGrant, createGrant, withdrawGrant } from '../services/grantAdministration.ts';
import type { GrantConditionsInput } from '../services/grantConditions.ts';
import { departmentScorecard } from '../services/scorecard.ts';
import {
  applyForAccess,
  approveApplication,
  rejectApplication,
  withdrawApplication,
  type ApplicationInput,
} from '../services/sharingApplications.ts';
import {
  selectApplication,
  selectApplications,
  selectGrantChanges,
  type ApplicationStatus,
  type ErrorReportOutcome,
  type ErrorReportStatus,
} from '../store/index.ts';
import { actorOf, callerOf, hasRole, today, type PlatformContext } from './PlatformContext.ts';
import { auditCsv, auditRecords, verifyAuditChain } from './auditResolvers.ts';
import { MAX_LIST_PAGE } from './declaredCosts.ts';
import { pagedList } from './pageArguments.ts';
import {
  applicationView,
  entryView,
  errorReportView,
  grantChangeView,
  grantView,
} from './views.ts';

type Args = Record<string, unknown>;
type Resolver = (parent: unknown, args: Args, ctx: PlatformContext) => unknown;

const MAX_PAGE = 100;

/** Reviewers and admins see everything; anyone else, what concerns their department. */
const seesAll = (ctx: PlatformContext) => hasRole(ctx, 'REVIEWER', 'ADMIN');

const query: Record<string, Resolver> = {
  async catalogueEntries(_, args, ctx) {
    const first = args.first as number;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
      throw badUserInput(`first must be between 1 and ${MAX_PAGE}.`, 'first');
    }
    const filter = (args.filter ?? {}) as {
      department?: string;
      classification?: string;
      theme?: string;
      sharingType?: SharingType;
      mode?: SharingMode;
      keyword?: string;
    };
    const after = typeof args.after === 'string' ? decodeCursor(args.after) : '';
    const keyword = filter.keyword?.trim().toLowerCase();
    const matches = (await selectPublishedEntries(ctx.db))
      .map((v) => entryView(ctx, v))
      .filter(
        (e) =>
          (!filter.department || e.department === filter.department) &&
          (!filter.classification || e.classification === filter.classification) &&
          (!filter.theme || e.theme === filter.theme) &&
          (!filter.sharingType || e.sharingType === filter.sharingType) &&
          (!filter.mode || e.sharingModes.includes(filter.mode)) &&
          (!keyword ||
            [
              e.code,
              e.name,
              e.summary,
              e.theme,
              ...e.items.flatMap((i) => [i.title, i.description, i.name]),
            ]
              .join('\n')
              .toLowerCase()
              .includes(keyword)),
      )
      .filter((e) => e.code > after)
      .sort((a, b) => (a.code < b.code ? -1 : 1));
    const nodes = matches.slice(0, first);
    return {
      nodes,
      pageInfo: {
        hasNextPage: matches.length > first,
        endCursor: nodes.length > 0 ? encodeCursor(nodes.at(-1)!.code) : null,
      },
    };
  },

  async catalogueEntry(_, args, ctx) {
    const code = args.code as string;
    const versions = await selectEntryVersions(ctx.db, code);
    const wanted =
      typeof args.version === 'number'
        ? await visibleVersion(ctx, code, args.version)
        : (versions.find((v) => v.status === 'PUBLISHED') ?? null);
    return wanted ? entryView(ctx, wanted) : null;
  },

  async catalogueEntryVersions(_, args, ctx) {
    const versions = await selectEntryVersions(ctx.db, args.code as string);
    return versions
      .filter((v) => v.status === 'PUBLISHED' || mayManage(ctx, v.department))
      .map((v) => entryView(ctx, v));
  },

  async catalogueReviewQueue(_, args, ctx) {
    const department = seesAll(ctx) ? null : callerOf(ctx).department;
    const entries = await selectEntriesByStatus(ctx.db, [args.status as EntryStatus], department);
    return entries.map((v) => entryView(ctx, v));
  },

  async overdueCatalogueUpdates(_, __, ctx) {
    const department = seesAll(ctx) ? null : callerOf(ctx).department;
    const entries = await selectEntriesByStatus(ctx.db, ['DRAFT', 'REJECTED'], department);
    return entries.filter((v) => v.deadline < today(ctx)).map((v) => entryView(ctx, v));
  },

  dcatCatalogue(_, __, ctx) {
    return JSON.stringify(
      catalogueToDcat(ctx.catalogue.catalogue, {
        baseUri: ctx.settings.catalogueBaseUri,
        title: 'Government data resource catalogue (政务数据资源目录)',
        issued: today(ctx),
      }),
    );
  },

  async sharingApplications(_, args, ctx) {
    const applications = await pagedList(args, MAX_LIST_PAGE, (page) =>
      selectApplications(ctx.db, {
        ...(seesAll(ctx) ? {} : { department: callerOf(ctx).department }),
        ...(args.status ? { status: args.status as ApplicationStatus } : {}),
        ...page,
      }),
    );
    return applications.map((a) => applicationView(ctx, a));
  },

  async sharingApplication(_, args, ctx) {
    const application = await selectApplication(ctx.db, args.id as string);
    if (!application) return null;
    const department = callerOf(ctx).department;
    const concerned = [application.consumerDepartment, application.providerDepartment].includes(
      department,
    );
    return seesAll(ctx) || concerned ? applicationView(ctx, application) : null;
  },

  async overdueSharingApplications(_, __, ctx) {
    const applications = await selectApplications(ctx.db, {
      ...(seesAll(ctx) ? {} : { department: callerOf(ctx).department }),
      status: 'SUBMITTED',
      dueBefore: today(ctx),
    });
    return applications.map((a) => applicationView(ctx, a));
  },

  async grants(_, args, ctx) {
    const department = callerOf(ctx).department;
    const grants = await pagedList(args, MAX_LIST_PAGE, (page) =>
      selectGrantList(ctx.db, {
        visibleTo: seesAll(ctx)
          ? null
          : {
              department,
              providedDatasets: ctx.catalogue.catalogue.entries
                .filter((e) => e.department === department)
                .map((e) => e.code),
            },
        dataset: (args.dataset as string | null | undefined) ?? null,
        consumerDepartment: (args.consumerDepartment as string | null | undefined) ?? null,
        status: (args.status as Grant['status'] | null | undefined) ?? null,
        ...page,
      }),
    );
    return grants.map(grantView);
  },

  async grant(_, args, ctx) {
    const grant = await selectGrant(ctx.db, args.id as string);
    return grant && (await isVisible(ctx, grant)) ? grantView(grant) : null;
  },

  async expiringGrants(_, args, ctx) {
    const days = args.withinDays as number;
    if (!Number.isInteger(days) || days < 0 || days > 3660)
      throw badUserInput('withinDays must be 0 to 3660.', 'withinDays');
    const now = ctx.now.toISOString();
    const until = new Date(ctx.now.getTime() + days * 86_400_000).toISOString();
    return (await visibleGrants(ctx))
      .filter((g) => g.status === 'ACTIVE' && g.validUntil > now && g.validUntil <= until)
      .sort((a, b) => (a.validUntil < b.validUntil ? -1 : 1))
      .map(grantView);
  },

  async grantChanges(_, args, ctx) {
    return (await selectGrantChanges(ctx.db, (args.grantId as string | null) ?? null)).map(
      grantChangeView,
    );
  },

  auditRecords(_, args, ctx) {
    return auditRecords(
      ctx,
      args.filter ?? null,
      args.first as number,
      (args.after as string | null) ?? null,
    );
  },

  auditCsv(_, args, ctx) {
    return auditCsv(ctx, args.filter ?? null);
  },

  verifyAuditChain(_, __, ctx) {
    return verifyAuditChain(ctx);
  },

  async dataErrorReports(_, args, ctx) {
    const status = (args.status as ErrorReportStatus | null | undefined) ?? null;
    const reports = await pagedList(args, MAX_LIST_PAGE, (page) =>
      visibleErrorReports(ctx, status, page),
    );
    return reports.map((r) => errorReportView(ctx, r));
  },

  async overdueDataErrorReports(_, __, ctx) {
    return (await overdueErrorReports(ctx)).map((r) => errorReportView(ctx, r));
  },

  departmentScorecard(_, args, ctx) {
    return departmentScorecard(
      ctx,
      args.department as string,
      args.from as string,
      args.to as string,
    );
  },

  async calendarDays(_, args, ctx) {
    const days = await selectCalendarDays(ctx.db);
    const year = args.year as number | null | undefined;
    return year ? days.filter((d) => d.date.startsWith(`${year}-`)) : days;
  },

  async addWorkingDays(_, args, ctx) {
    const days = args.days as number;
    if (!isCalendarDate(args.start)) {
      throw badUserInput('start must be a date as YYYY-MM-DD, such as 2026-12-07.', 'start');
    }
    if (days < 0 || days > MAX_WORKING_DAYS) {
      throw badUserInput(
        `days must be from 0 to ${MAX_WORKING_DAYS}: the working days to count after start.`,
        'days',
      );
    }
    return (await loadWorkingCalendar(ctx.db)).addWorkingDays(args.start, days);
  },
};

const mutation: Record<string, Resolver> = {
  async saveCatalogueDraft(_, args, ctx) {
    const version = await saveDraft(
      ctx,
      args.document as string,
      args.changeReason as string,
      args.triggerDate as string,
    );
    return entryView(ctx, version);
  },
  async submitCatalogueEntry(_, args, ctx) {
    return entryView(ctx, await submitEntry(ctx, args.code as string, args.version as number));
  },
  async publishCatalogueEntry(_, args, ctx) {
    return entryView(ctx, await publishEntry(ctx, args.code as string, args.version as number));
  },
  async rejectCatalogueEntry(_, args, ctx) {
    const version = await rejectEntry(
      ctx,
      args.code as string,
      args.version as number,
      args.reason as string,
    );
    return entryView(ctx, version);
  },
  async retireCatalogueEntry(_, args, ctx) {
    return entryView(ctx, await retireEntry(ctx, args.code as string, args.reason as string));
  },
  async applyForAccess(_, args, ctx) {
    return applicationView(ctx, await applyForAccess(ctx, args.input as ApplicationInput));
  },
  async approveSharingApplication(_, args, ctx) {
    return applicationView(
      ctx,
      await approveApplication(ctx, args.id as string, args.conditions as GrantConditionsInput),
    );
  },
  async rejectSharingApplication(_, args, ctx) {
    return applicationView(
      ctx,
      await rejectApplication(ctx, args.id as string, args.reason as string),
    );
  },
  async withdrawSharingApplication(_, args, ctx) {
    return applicationView(ctx, await withdrawApplication(ctx, args.id as string));
  },
  async createGrant(_, args, ctx) {
    const input = args.input as {
      consumerDepartment: string;
      consumerApplication?: string | null;
      dataset: string;
      conditions: GrantConditionsInput;
    };
    return grantView(await createGrant(ctx, input, args.reason as string));
  },
  async updateGrant(_, args, ctx) {
    const grant = await changeGrant(
      ctx,
      args.id as string,
      args.expectedVersion as number,
      args.conditions as GrantConditionsInput,
      args.reason as string,
    );
    return grantView(grant);
  },
  async revokeGrant(_, args, ctx) {
    return grantView(await withdrawGrant(ctx, args.id as string, args.reason as string));
  },
  async reportDataError(_, args, ctx) {
    return errorReportView(ctx, await reportDataError(ctx, args.input as ErrorReportInput));
  },
  async answerDataError(_, args, ctx) {
    const report = await answerDataError(
      ctx,
      args.id as string,
      args.outcome as ErrorReportOutcome,
      (args.reason as string | null | undefined) ?? null,
    );
    return errorReportView(ctx, report);
  },
  async setCalendarDay(_, args, ctx) {
    const day = { date: args.date, kind: args.kind, name: args.name } as CalendarDay;
    if (!isCalendarDate(day.date)) {
      throw badUserInput('date must be a date as YYYY-MM-DD, such as 2027-01-01.', 'date');
    }
    const nameLength = [...day.name].length;
    if (nameLength < 1 || nameLength > CALENDAR_NAME_LENGTH) {
      throw badUserInput(
        `name must be 1 to ${CALENDAR_NAME_LENGTH} characters: what the day is, such as 元旦.`,
        'name',
      );
    }
    try {
      WorkingCalendar.checkDay(day);
      await upsertCalendarDay(ctx.db, day, actorOf(ctx));
    } catch (error) {
      if (error instanceof RangeError) throw badUserInput(error.message);
      throw error;
    }
    return day;
  },
  async removeCalendarDay(_, args, ctx) {
    return deleteCalendarDay(ctx.db, args.date as string);
  },
};

export const platformResolvers = {
  Query: query,
  Mutation: mutation,
  SharingApplication: {
    async grant(parent: { grantId: string | null }, _: Args, ctx: PlatformContext) {
      if (!parent.grantId) return null;
      const grant = await selectGrant(ctx.db, parent.grantId);
      return grant ? grantView(grant) : null;
    },
  },
};

async function visibleGrants(ctx: PlatformContext): Promise<Grant[]> {
  const grants = await selectGrants(ctx.db);
  if (seesAll(ctx)) return grants;
  const department = callerOf(ctx).department;
  const catalogue = ctx.catalogue.catalogue;
  return grants.filter(
    (g) =>
      g.consumerDepartment === department ||
      catalogue.entry(g.datasetCode)?.department === department,
  );
}

async function isVisible(ctx: PlatformContext, grant: Grant): Promise<boolean> {
  return (await visibleGrants(ctx)).some((g) => g.id === grant.id);
}

function encodeCursor(code: string): string {
  return Buffer.from(code).toString('base64url');
}

function decodeCursor(cursor: string): string {
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]*$/.test(cursor)) {
    throw badUserInput('after is not a cursor issued by this list.', 'after');
  }
  return Buffer.from(cursor, 'base64url').toString('utf8');
}
