import { parse } from 'yaml';
import { catalogueEntrySchema } from '../../../schema/catalogue/catalogueEntrySchema.ts';

/**
 * What is wrong with a catalogue draft as it is typed: YAML syntax (with the
 * line), then the catalogue format's own schema (the one the platform checks
 * on save), each problem named by its field. Checks against the published
 * catalogue and the department's database happen on submission, on the
 * server, and come back as its messages.
 */
export function draftProblems(text: string): string[] {
  if (text.trim() === '') return [];
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 50 });
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
  const checked = catalogueEntrySchema.safeParse(document);
  if (checked.success) return [];
  return checked.error.issues.map((issue) => {
    const at = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `${at.replace(/^\./, '') || '(document)'}: ${issue.message}`;
  });
}
