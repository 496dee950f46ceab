export { Catalogue, keyItems } from './Catalogue.ts';
export type { CatalogueDepartment, CatalogueEntry, CatalogueItem } from './Catalogue.ts';
export { CatalogueError } from './CatalogueError.ts';
export type { CatalogueProblem } from './CatalogueError.ts';
export { catalogueEntrySchema, dataItemSchema } from './catalogueEntrySchema.ts';
export type { CatalogueEntryInput, DataItemInput } from './catalogueEntrySchema.ts';
export { departmentSchema, RESERVED_DEPARTMENT_CODES } from './departmentSchema.ts';
export type { Department } from './departmentSchema.ts';
export * from './enums.ts';
export {
  assembleCatalogue,
  DEPARTMENT_FILE,
  findDepartmentDirs,
  loadCatalogue,
  parseEntryText,
} from './loadCatalogue.ts';
export type { EntryDocument } from './loadCatalogue.ts';
export {
  CATALOGUE_YAML_LIMITS,
  CatalogueYamlError,
  parseCatalogueYaml,
} from './parseCatalogueYaml.ts';
export { itemSharingType, OPENNESS, validateCatalogue } from './validateCatalogue.ts';
export { placeholderProblems } from './placeholderProblems.ts';
export { PLATFORM_TABLES, reservedTableReason } from './reservedTables.ts';
export { isOneSourceElement, isOtherLevelSource, isOwnElement } from './checkElements.ts';
export { itemQualitySchema } from './itemQualitySchema.ts';
export type { ItemQuality } from './itemQualitySchema.ts';
