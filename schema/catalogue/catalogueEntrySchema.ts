import { z } from 'zod';
import {
  CLASSIFICATIONS,
  ITEM_TYPES,
  RESOURCE_FORMATS,
  SENSITIVITIES,
  SHARING_MODES,
  SHARING_TYPES,
  UPDATE_CYCLES,
} from './enums.ts';
import { itemQualitySchema } from './itemQualitySchema.ts';

const graphqlName = /^[_A-Za-z][_0-9A-Za-z]*$/;
const typeName = /^[A-Z][0-9A-Za-z]*$/;
const fieldName = /^[a-z][0-9A-Za-z]*$/;
const sqlIdentifier = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const nonEmpty = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${what} must not be empty` });

const referenceSchema = z.strictObject({
  /** The entity type (owned by another dataset) whose key this item holds. */
  type: z.string().regex(typeName, { error: 'expected a GraphQL type name such as Person' }),
  /** The field, on this dataset's type, that resolves to the referenced entity. */
  field: z.string().regex(fieldName, { error: 'expected a camelCase field name such as holder' }),
  /** Optional field added to the referenced entity listing the rows of this dataset. */
  reverse: z
    .string()
    .regex(fieldName, { error: 'expected a camelCase field name such as licenses' })
    .optional(),
});

const maskSchema = z.discriminatedUnion('rule', [
  z.strictObject({
    rule: z.literal('KEEP_ENDS'),
    first: z.number().int().min(0).max(64),
    last: z.number().int().min(0).max(64),
  }),
  z.strictObject({ rule: z.literal('SURNAME_ONLY') }),
  z.strictObject({ rule: z.literal('YEAR_ONLY') }),
  z.strictObject({ rule: z.literal('REDACT') }),
]);

const embedsSchema = z.strictObject({
  items: z
    .array(
      z.string().regex(fieldName, { error: 'expected the name of another item of this entry' }),
    )
    .min(1, { error: 'list the embedded items' }),
  concealWith: maskSchema,
});

/**
 * One data item (信息项) of a catalogue entry and its column. An item is either
 * authoritative here (one number, one source) or copied from the authoritative
 * item of another dataset, named by `source` as `DATASET_CODE.itemName`; an item
 * that `references` another dataset's entity is always such a copy of its key.
 */
export const dataItemSchema = z.strictObject({
  name: z.string().regex(fieldName, { error: 'expected a camelCase item name such as idNumber' }),
  title: nonEmpty('title'),
  description: nonEmpty('description'),
  type: z.enum(ITEM_TYPES),
  column: z
    .string()
    .regex(sqlIdentifier, { error: 'expected a SQL column name of letters, digits and _' }),
  nullable: z.boolean().default(true),
  authoritative: z.boolean().default(true),
  /**
   * `DATASET_CODE.itemName` of the authoritative item this copies, or
   * `platform:DATASET_CODE.itemName` of one on a linked platform (another
   * level's source, which the platform checks against its directory).
   */
  source: z
    .string()
    .regex(/^(?:[a-z][a-z0-9_]{1,30}:)?[A-Za-z0-9-]+\.[a-z][0-9A-Za-z]*$/, {
      error:
        "expected DATASET_CODE.itemName of the authoritative item (platform:DATASET_CODE.itemName for another level's)",
    })
    .optional(),
  /**
   * The data element (数据元) of the platform's dictionary this item carries.
   * Without one, the item carries a data element of its own (`Type.item`).
   */
  element: z.string().min(1).max(100).optional(),
  /**
   * Why this department collects, itself, a one-source element another
   * department already provides (the law that requires it): without it, such
   * an item must copy the source (`source` or `references`). The reviewer sees it.
   */
  collectionBasis: z.string().trim().min(1).max(500).optional(),
  /** Quality rules beyond those the element implies. */
  quality: itemQualitySchema.optional(),
  sensitivity: z.enum(SENSITIVITIES),
  references: referenceSchema.optional(),
  /**
   * This item's own sharing type, when it must be shared less openly than its
   * entry (信息项共享类型): an UNCONDITIONAL entry may hold a CONDITIONAL item.
   * Never more open than the entry's.
   */
  sharingType: z.enum(SHARING_TYPES).optional(),
  /**
   * Other items of this entry whose facts this item's value carries (an ID
   * number carries the birth date and sex), and the mask that hides them. A
   * caller who may not read every embedded item unmasked gets this item at
   * most under `concealWith`.
   */
  embeds: embedsSchema.optional(),
});

export const catalogueEntrySchema = z.strictObject({
  code: z
    .string()
    .regex(/^[A-Z0-9][A-Z0-9-]{2,63}$/, { error: 'expected a resource code such as PS-POP-001' }),
  name: nonEmpty('name'),
  summary: nonEmpty('summary'),
  classification: z.enum(CLASSIFICATIONS),
  theme: nonEmpty('theme'),
  department: z.string().regex(/^[a-z][a-z0-9_]*$/, {
    error: 'expected the providing department code such as public_security',
  }),
  format: z.enum(RESOURCE_FORMATS),
  updateCycle: z.enum(UPDATE_CYCLES),
  publishedOn: z.iso.date({ error: 'expected a date as YYYY-MM-DD' }),
  related: z.array(z.string()).default([]),
  sharing: z.strictObject({
    type: z.enum(SHARING_TYPES),
    conditions: z.string().trim().default(''),
    legalBasis: z.string().trim().default(''),
    modes: z.array(z.enum(SHARING_MODES)).min(1, { error: 'list at least one sharing mode' }),
    openData: z.boolean().default(false),
  }),
  binding: z.strictObject({
    table: z
      .string()
      .regex(sqlIdentifier, { error: 'expected a SQL table name of letters, digits and _' }),
    type: z.string().regex(typeName, { error: 'expected a GraphQL type name such as Person' }),
    key: z
      .array(z.string().regex(graphqlName))
      .min(1, { error: 'name the key item(s) of the dataset' }),
    /** Query field names; default from the type name (person / persons). */
    lookupField: z.string().regex(fieldName).optional(),
    listField: z.string().regex(fieldName).optional(),
    /**
     * The column saying when a record last changed (ISO 8601 text, UTC), which
     * incremental exports select by; only with the EXPORT mode.
     */
    changedAt: z
      .string()
      .regex(sqlIdentifier, { error: 'expected a SQL column name of letters, digits and _' })
      .optional(),
  }),
  items: z.array(dataItemSchema).min(1, { error: 'a dataset needs at least one data item' }),
});

export type DataItemInput = z.input<typeof dataItemSchema>;
export type CatalogueEntryInput = z.input<typeof catalogueEntrySchema>;
export type ParsedDataItem = z.output<typeof dataItemSchema>;
export type ParsedCatalogueEntry = z.output<typeof catalogueEntrySchema>;
