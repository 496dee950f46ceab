export { CHECK_DIGIT_VALIDATORS } from './checkDigits.ts';
export { datasetRules, QUALITY_RULES } from './datasetRules.ts';
export type { DatasetRules, ItemRules, QualityRule, SourceComparison } from './datasetRules.ts';
export { inspectDataset } from './inspectDataset.ts';
export type {
  InspectionFindings,
  InspectionOptions,
  RuleFailures,
  SourceMismatch,
  Tally,
} from './inspectDataset.ts';
export { QualityScheduler } from './QualityScheduler.ts';
export { INSPECTION_REPORTER, runInspection, runInspections } from './runInspection.ts';
export type { InspectionEnvironment } from './runInspection.ts';
export { scanInBatches } from './scanInBatches.ts';
