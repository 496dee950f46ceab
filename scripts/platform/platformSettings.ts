import type { PlatformConfig } from '../../server/index.ts';
import type { PlatformSettings } from '../../subgraphs/platform/index.ts';

/** The platform subgraph's settings, from the configuration. */
export function platformSettings(config: PlatformConfig): PlatformSettings {
  return {
    applicationReplyWorkingDays: config.applicationReplyWorkingDays,
    errorReportReplyWorkingDays: 5,
    catalogueBaseUri: config.catalogueBaseUri,
    maxPageSize: config.maxPageSize,
    timeZone: config.timeZone,
  };
}
