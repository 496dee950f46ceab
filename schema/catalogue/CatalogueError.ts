/** One thing wrong with one catalogue file: which file, which field, what is expected. */
export interface CatalogueProblem {
  file: string;
  field: string;
  message: string;
}

/**
 * Thrown when the catalogue cannot be loaded. It carries every problem found, not
 * just the first, so a department fixes its files in one pass; nothing starts with
 * a catalogue that has any.
 */
export class CatalogueError extends Error {
  readonly problems: readonly CatalogueProblem[];

  constructor(problems: readonly CatalogueProblem[]) {
    super(
      `The catalogue has ${problems.length} problem(s):\n` +
        problems.map((p) => `  ${p.file}: ${p.field}: ${p.message}`).join('\n'),
    );
    this.name = 'CatalogueError';
    this.problems = problems;
  }
}
