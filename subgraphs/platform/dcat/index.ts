export { ACCESS_RIGHTS, ACCRUAL_PERIODICITY, catalogueToDcat } from './catalogueToDcat.ts';
export type { DcatOptions } from './catalogueToDcat.ts';
export { DCAT_CONTEXT } from './DcatDocument.ts';
export type { DcatDocument, JsonLdNode, JsonLdValue } from './DcatDocument.ts';
