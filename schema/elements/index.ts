export { CHECK_DIGIT_STANDARDS } from './DataElement.ts';
export type { CheckDigitStandard, DataElement } from './DataElement.ts';
export { DATA_ELEMENTS, dataElement } from './dataElementDictionary.ts';
export { compileSafePattern, MAX_PATTERN_LENGTH } from './safePattern.ts';
export type { SafePattern } from './safePattern.ts';
