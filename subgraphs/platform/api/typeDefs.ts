import { SHARED_TYPES } from '../../kit/typeDefs/index.ts';
import { APPLICATION_TYPE_DEFS } from './applicationTypeDefs.ts';
import { AUDIT_TYPE_DEFS } from './auditTypeDefs.ts';
import { CALENDAR_TYPE_DEFS } from './calendarTypeDefs.ts';
import { CATALOGUE_TYPE_DEFS } from './catalogueTypeDefs.ts';
import { DATA_ERROR_TYPE_DEFS } from './dataErrorTypeDefs.ts';
import { GRANT_TYPE_DEFS } from './grantTypeDefs.ts';
import { SCORECARD_TYPE_DEFS } from './scorecardTypeDefs.ts';

/**
 * The platform subgraph's schema: the catalogue and its review, sharing
 * applications, grants and their change log, data error reports, department
 * scorecards, and the working-day calendar.
 */
export const PLATFORM_TYPE_DEFS = /* GraphQL */ `
  extend schema
    @link(
      url: "https://specs.apollo.dev/federation/v2.9"
      import: ["@key", "@shareable", "@cost", "@listSize"]
    )

  type Query
  type Mutation

  ${SHARED_TYPES.PageInfo}
  ${CATALOGUE_TYPE_DEFS}
  ${APPLICATION_TYPE_DEFS}
  ${GRANT_TYPE_DEFS}
  ${CALENDAR_TYPE_DEFS}
  ${AUDIT_TYPE_DEFS}
  ${DATA_ERROR_TYPE_DEFS}
  ${SCORECARD_TYPE_DEFS}
`;
