import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { allow, or, rule, shield } from 'graphql-shield';
import { ErrorCode } from '../../../schema/index.ts';
import type { Role } from '../../../server/index.ts';
import { hasRole, type PlatformContext } from './PlatformContext.ts';
import { ACCESS_STATISTICS_OBJECT_TYPES } from './accessStatisticsTypeDefs.ts';
import { API_KEY_OBJECT_TYPES } from './apiKeyTypeDefs.ts';

const signedIn = rule('signedIn', { cache: 'contextual' })(
  (_p, _a, ctx: PlatformContext) =>
    ctx.identity.caller !== null ||
    new GraphQLError('Sign in: send a bearer token or an API key.', {
      extensions: { code: ErrorCode.UNAUTHENTICATED },
    }),
);

type ShieldRule = Parameters<typeof or>[number];
const roleRules = new Map<Role, ShieldRule>();
/** The caller holds `role` (checked after `signedIn`). */
function role(required: Role): ShieldRule {
  let made = roleRules.get(required);
  if (!made) {
    made = rule(`role:${required}`, { cache: 'contextual' })(
      (_p, _a, ctx: PlatformContext) =>
        hasRole(ctx, required) ||
        new GraphQLError(
          ctx.identity.caller
            ? `This needs the role ${required}; your credential has ${ctx.identity.caller.roles.join(', ') || 'no role'}.`
            : 'Sign in: send a bearer token or an API key.',
          {
            extensions: {
              code: ctx.identity.caller ? ErrorCode.FORBIDDEN : ErrorCode.UNAUTHENTICATED,
              required,
            },
          },
        ),
    );
    roleRules.set(required, made);
  }
  return made;
}

const composeCredential = rule('composeCredential', { cache: 'contextual' })(
  (_p, _a, ctx: PlatformContext) =>
    ctx.composeOnly ||
    new GraphQLError('The SDL is served to the platform registry only.', {
      extensions: { code: ErrorCode.FORBIDDEN },
    }),
);

/** The platform's own object types: their fields show what the root field already allowed. */
const OBJECT_TYPES = [
  'CatalogueItem',
  'ServedBy',
  'CatalogueEntry',
  'CatalogueEntryConnection',
  'SharingApplication',
  'Mask',
  'RowCondition',
  'Grant',
  'GrantChange',
  'CalendarDay',
  'AuditRecord',
  'AuditRecordConnection',
  'ChainProblem',
  'ChainVerification',
  'PageInfo',
  'DataErrorReport',
  'Scorecard',
  'CatalogueScore',
  'ApplicationScore',
  'AccessScore',
  'DatasetAccessScore',
  'PlatformAccessScore',
  'ExportScore',
  'DatasetExportScore',
  'DenialCount',
  'DataErrorScore',
  'DataElement',
  'QualityRate',
  'QualityRuleFailures',
  'QualityRun',
  'UncataloguedColumn',
  'CollectionExemption',
  'CollectionFindings',
  'ComplianceFinding',
  'ComplianceReport',
  'ComplianceThreshold',
  'ServiceUnitAuthorization',
  'ServiceUnitScorecard',
  ...API_KEY_OBJECT_TYPES,
  ...ACCESS_STATISTICS_OBJECT_TYPES,
];

/**
 * Who may call what on the platform subgraph, deny by default. Roles are
 * checked here; which department's entries, applications and grants a caller
 * may act on is checked by the services, which know the records.
 */
export const platformRules = shield(
  {
    Query: {
      catalogueEntries: allow,
      catalogueEntry: allow,
      dcatCatalogue: allow,
      catalogueEntryVersions: signedIn,
      catalogueReviewQueue: or(role('DEPT_IT'), role('REVIEWER'), role('ADMIN')),
      overdueCatalogueUpdates: or(role('DEPT_IT'), role('REVIEWER'), role('ADMIN')),
      sharingApplications: signedIn,
      sharingApplication: signedIn,
      overdueSharingApplications: signedIn,
      grants: signedIn,
      grant: signedIn,
      expiringGrants: signedIn,
      grantChanges: or(role('REVIEWER'), role('ADMIN')),
      auditRecords: signedIn,
      auditCsv: signedIn,
      verifyAuditChain: or(role('REVIEWER'), role('ADMIN')),
      dataErrorReports: signedIn,
      overdueDataErrorReports: signedIn,
      departmentScorecard: or(role('DEPT_IT'), role('REVIEWER'), role('ADMIN')),
      calendarDays: allow,
      addWorkingDays: allow,
      dataElements: allow,
      qualityRuns: or(role('DEPT_IT'), role('REVIEWER'), role('ADMIN')),
      uncataloguedCollection: or(role('DEPT_IT'), role('REVIEWER'), role('ADMIN')),
      complianceReport: or(role('DEPT_IT'), role('REVIEWER'), role('ADMIN')),
      serviceUnitAuthorizations: signedIn,
      serviceUnitScorecard: signedIn,
      apiKeys: role('ADMIN'),
      datasetAccessCounts: or(role('DEPT_IT'), role('REVIEWER'), role('ADMIN')),
      scorecardTrend: or(role('REVIEWER'), role('ADMIN')),
      _service: composeCredential,
    },
    Mutation: {
      saveCatalogueDraft: role('DEPT_IT'),
      submitCatalogueEntry: role('DEPT_IT'),
      publishCatalogueEntry: role('REVIEWER'),
      rejectCatalogueEntry: role('REVIEWER'),
      retireCatalogueEntry: or(role('REVIEWER'), role('ADMIN')),
      applyForAccess: role('APP_DEVELOPER'),
      approveSharingApplication: role('DEPT_IT'),
      rejectSharingApplication: role('DEPT_IT'),
      withdrawSharingApplication: role('APP_DEVELOPER'),
      createGrant: role('ADMIN'),
      updateGrant: role('ADMIN'),
      revokeGrant: role('ADMIN'),
      reportDataError: or(role('APP_DEVELOPER'), role('DEPT_IT')),
      answerDataError: role('DEPT_IT'),
      setCalendarDay: role('ADMIN'),
      removeCalendarDay: role('ADMIN'),
      runQualityInspection: or(role('DEPT_IT'), role('REVIEWER'), role('ADMIN')),
      exemptCollection: role('REVIEWER'),
      setComplianceThreshold: role('ADMIN'),
      authorizeServiceUnit: or(role('DEPT_IT'), role('ADMIN')),
      revokeServiceUnit: or(role('DEPT_IT'), role('ADMIN')),
      issueApiKey: role('ADMIN'),
      revokeApiKey: role('ADMIN'),
    },
    _Service: { sdl: composeCredential },
    ...Object.fromEntries(OBJECT_TYPES.map((type) => [type, allow])),
  },
  {
    fallbackRule: rule('noRule', { cache: 'no_cache' })(() => false),
    fallbackError: (_t: unknown, _p: unknown, _a: unknown, _c: unknown, info: GraphQLResolveInfo) =>
      new GraphQLError(`${info.parentType.name}.${info.fieldName} has no rule; it is denied.`, {
        extensions: { code: ErrorCode.FORBIDDEN },
      }),
    allowExternalErrors: true,
  },
);
