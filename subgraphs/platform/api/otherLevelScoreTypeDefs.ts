/**
 * The scorecard's part for levels of government (issue 16): accesses to the
 * department's datasets by consumers of linked platforms, by platform.
 */
export const OTHER_LEVEL_SCORE_TYPE_DEFS = `#graphql
  "Accesses to the department's datasets by consumers of one linked platform, counted from this platform's own audit trail (the owner records every access, under the consumer platform's correlation id), in distinct requests of this platform."
  type PlatformAccessScore {
    "The linked platform's code; its consumers are recorded here as <platform>:<department>."
    platform: String!
    "Requests answered under this platform's rules (ALLOWED, MASKED or PARTIAL)."
    served: Int!
    "Of the served, answered with masked items."
    masked: Int!
    "Of the served, also denied some of what they asked."
    partial: Int!
    "Requests answered nothing of the dataset, with a denial."
    denied: Int!
    byDataset: [DatasetAccessScore!]!
  }

  extend type Scorecard {
    "Of accesses, those from consumers of linked platforms (the other level), by platform; a local consumer's never count here."
    otherLevelAccesses: [PlatformAccessScore!]!
  }
`;
