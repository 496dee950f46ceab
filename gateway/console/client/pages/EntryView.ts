/** A published catalogue entry as the entry page and the application form read it. */
export interface EntryView {
  code: string;
  version: number;
  name: string;
  summary: string;
  department: string;
  classification: string;
  theme: string;
  format: string;
  updateCycle: string;
  publishedOn: string;
  sharingType: string;
  sharingConditions: string;
  legalBasis: string;
  sharingModes: string[];
  items: {
    name: string;
    title: string;
    description: string;
    type: string;
    sensitivity: string;
    isKey: boolean;
  }[];
}
