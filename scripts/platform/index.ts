export { composeFromCatalogue, SUPERGRAPH_FILE } from './composeFromCatalogue.ts';
export { DEPARTMENTS_ROOT, loadPlatformCatalogue } from './loadPlatformCatalogue.ts';
export { prepareDepartmentData, startPlatform } from './startPlatform.ts';
export type { PlatformOptions, RunningPlatform } from './startPlatform.ts';
export { openPreparedPlatformDatabase } from './openPreparedPlatformDatabase.ts';
export { PLATFORM_DIR, preparePlatformData } from './preparePlatformData.ts';
