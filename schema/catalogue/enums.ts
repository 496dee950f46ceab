/**
 * The closed vocabularies of the catalogue standard. Each is a tuple so that the
 * catalogue validator, the generated GraphQL enums and the TypeScript types all
 * come from one list.
 */

export const CLASSIFICATIONS = ['BASIC', 'SUBJECT', 'DEPARTMENT'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const SHARING_TYPES = ['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED'] as const;
export type SharingType = (typeof SHARING_TYPES)[number];

export const SHARING_MODES = ['QUERY', 'VERIFY', 'EXPORT'] as const;
export type SharingMode = (typeof SHARING_MODES)[number];

export const UPDATE_CYCLES = [
  'REAL_TIME',
  'DAILY',
  'WEEKLY',
  'MONTHLY',
  'QUARTERLY',
  'HALF_YEARLY',
  'YEARLY',
  'IRREGULAR',
] as const;
export type UpdateCycle = (typeof UPDATE_CYCLES)[number];

export const RESOURCE_FORMATS = [
  'DATABASE',
  'SPREADSHEET',
  'DOCUMENT',
  'IMAGE',
  'STREAM',
  'API',
] as const;
export type ResourceFormat = (typeof RESOURCE_FORMATS)[number];

/** Item value types; each maps to one GraphQL scalar and one SQL column family. */
export const ITEM_TYPES = ['STRING', 'INT', 'FLOAT', 'BOOLEAN', 'DATE', 'DATETIME'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** Item types a mask can be put on: a mask answers text, which only text and date fields can carry. */
export const MASKABLE_ITEM_TYPES: ReadonlySet<ItemType> = new Set(['STRING', 'DATE', 'DATETIME']);

export const SENSITIVITIES = ['PUBLIC', 'INTERNAL', 'SENSITIVE', 'CONFIDENTIAL'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

export const DEPARTMENT_KINDS = ['GOVERNMENT', 'PUBLIC_ENTERPRISE'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];
