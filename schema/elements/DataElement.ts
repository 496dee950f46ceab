import type { ItemType } from '../catalogue/enums.ts';

/** The check characters a standard defines for an identifier. */
export const CHECK_DIGIT_STANDARDS = ['GB11643', 'GB32100'] as const;
export type CheckDigitStandard = (typeof CHECK_DIGIT_STANDARDS)[number];

/**
 * A standard data element (数据元) of the platform's dictionary: what a value
 * means and how it is written, whatever dataset holds it. Catalogue items map
 * to elements (`element: residentIdNumber`), and the element's format becomes
 * quality rules of every item that carries it.
 */
export interface DataElement {
  /** The identifier items name it by, e.g. `residentIdNumber`. */
  code: string;
  /** The standard's Chinese name, e.g. 公民身份号码. */
  title: string;
  /** What a value of it means. */
  meaning: string;
  type: ItemType;
  /** How a value is written, in words (the standard it follows). */
  format: string;
  /** A whole-value pattern (RE2 syntax) every value must match. */
  pattern?: string;
  /** The only values allowed. */
  enumeration?: readonly string[];
  /** The check character a value must carry. */
  checkDigit?: CheckDigitStandard;
  /**
   * A fact about a subject that one department records for everyone (basic
   * data: a person's ID number, name, birth date): one number, one source.
   * Exactly one authoritative item in the catalogue may carry it; every other
   * item carrying it copies that source or states why it collects it itself.
   * Descriptive elements (a date of validity, an address) are formats many
   * datasets use for their own facts, so they have no single source.
   */
  oneSource: boolean;
}
