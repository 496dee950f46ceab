export {
  claimExportRecords,
  insertExport,
  releaseExportRecords,
  selectExport,
  takeResending,
  updateExportManifest,
} from './exportQueries.ts';
export type {
  ExportFilter,
  ExportFormat,
  ExportManifest,
  ExportPlan,
  ExportRecord,
} from './ExportRecord.ts';
