/**
 * The platform schema's part on the working-day calendar that deadlines are counted in:
 * holidays and make-up working days.
 * `typeDefs.ts` joins the parts into the platform subgraph's SDL.
 */
export const CALENDAR_TYPE_DEFS = /* GraphQL */ `
  enum CalendarDayKind {
    HOLIDAY
    MAKEUP_WORKDAY
  }

  type CalendarDay {
    date: String!
    kind: CalendarDayKind!
    name: String!
  }

  extend type Query {
    "Holidays and make-up working days."
    calendarDays(year: Int): [CalendarDay!]!
    "The date \`days\` working days after start (YYYY-MM-DD); days from 0 to 10000."
    addWorkingDays(start: String!, days: Int!): String!
  }

  extend type Mutation {
    "ADMIN: add or change a holiday or make-up working day."
    setCalendarDay(date: String!, kind: CalendarDayKind!, name: String!): CalendarDay!
    "ADMIN: remove a calendar day."
    removeCalendarDay(date: String!): Boolean!
  }
`;
