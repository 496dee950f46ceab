/**
 * The platform schema's figures over time, for charts: who read a
 * department's datasets, and every department's supervision figures per week
 * or month. Counted in SQL on the server, so a chart never fetches audit
 * records. Extends the types of typeDefs.ts.
 */
import { TRAIL_AGGREGATE_COST } from './declaredCosts.ts';
export const ACCESS_STATISTICS_TYPE_DEFS = /* GraphQL */ `
  "How figures over time are grouped: civil days of the platform's time zone, ISO weeks (from Monday), or months."
  enum Interval {
    DAY
    WEEK
    MONTH
  }

  "Accesses to one dataset by one consumer department in one period, from the audit trail."
  type AccessCount {
    "The period's first day (YYYY-MM-DD, the platform's time zone)."
    period: String!
    consumerDepartment: String
    dataset: String!
    "Distinct requests answered something of the dataset (ALLOWED, MASKED or PARTIAL)."
    served: Int!
    "Distinct requests a step of which was refused the whole dataset."
    denied: Int!
    "Records the consumer received."
    records: Int!
  }

  "One providing department's figures in one period."
  type ScorecardPoint {
    department: String!
    "The period's first day (YYYY-MM-DD, the platform's time zone)."
    period: String!
    "Distinct requests answered something of the department's datasets."
    served: Int!
    "Distinct requests refused a whole dataset of the department."
    denied: Int!
    records: Int!
    "Sharing applications submitted in the period, and of them answered (as of now) and answered after their deadline."
    applicationsReceived: Int!
    applicationsAnswered: Int!
    applicationsAnsweredLate: Int!
    "Data error reports made in the period, and of them answered (as of now)."
    errorReportsReceived: Int!
    errorReportsAnswered: Int!
  }

  extend type Query {
    "Who read a department's datasets, per period, consumer and dataset, over [from, to) (dates YYYY-MM-DD; up to 366 days by day, 731 by week or month): DEPT_IT its own department, reviewers and admins any."
    datasetAccessCounts(
      department: String!
      from: String!
      to: String!
      interval: Interval = DAY
    ): [AccessCount!]! @cost(weight: ${TRAIL_AGGREGATE_COST})
    "Every providing department's figures per period over [from, to) (dates YYYY-MM-DD): reviewers and admins."
    scorecardTrend(from: String!, to: String!, interval: Interval = MONTH): [ScorecardPoint!]!
      @cost(weight: ${TRAIL_AGGREGATE_COST})
  }
`;

/** The object types of ACCESS_STATISTICS_TYPE_DEFS. */
export const ACCESS_STATISTICS_OBJECT_TYPES = ['AccessCount', 'ScorecardPoint'];
