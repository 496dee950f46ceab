/** Where a catalogue entry version is in its review. */
export const ENTRY_STATUSES = [
  'DRAFT',
  'SUBMITTED',
  'PUBLISHED',
  'REJECTED',
  'SUPERSEDED',
  'RETIRED',
] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** One stored version of a catalogue entry. */
export interface EntryVersion {
  code: string;
  version: number;
  department: string;
  status: EntryStatus;
  /** The entry as registered: the same fields as a catalogue file, as parsed JSON. */
  document: unknown;
  /** Findings that do not stop publication (e.g. items another department already provides). */
  warnings: string[];
  changeReason: string;
  /** The day the law or the department's functions changed. */
  triggerDate: string;
  /** The last day to register the change: trigger + 10 working days. */
  deadline: string;
  createdBy: string;
  createdAt: string;
  submittedBy: string | null;
  submittedAt: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewReason: string | null;
  updatedAt: string;
}

/** Who registered entries that came from catalogue files. */
export const FILE_IMPORTER = 'catalogue-file';
