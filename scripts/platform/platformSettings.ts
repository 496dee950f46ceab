import type { PlatformConfig } from '../../server/index.ts';
import type { startSubgraphServer } from '../../subgraphs/kit/index.ts';
import type { PlatformSettings } from '../../subgraphs/platform/index.ts';

/** The platform subgraph's settings, from the configuration. */
export function platformSettings(config: PlatformConfig): PlatformSettings {
  return {
    applicationReplyWorkingDays: config.applicationReplyWorkingDays,
    errorReportReplyWorkingDays: 5,
    catalogueBaseUri: config.catalogueBaseUri,
    maxPageSize: config.maxPageSize,
    timeZone: config.timeZone,
    officeDepartments: config.auth.officeDepartments,
  };
}

/** What a department subgraph decides access with, from the configuration. */
export function subgraphAccessSettings(
  config: PlatformConfig,
): Parameters<typeof startSubgraphServer>[1]['access'] {
  return {
    timeZone: config.timeZone,
    verifyLimitPerRecord: config.verifyLimitPerRecord,
    probeLimitPerDay: config.probeLimitPerDay,
  };
}
