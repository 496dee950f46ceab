import type { CatalogueProblem } from './CatalogueError.ts';

/** A placeholder `govdata dataset init` writes where only a person can answer. */
const PLACEHOLDER = /\bTODO\b/;

/**
 * Every field of an entry document still holding a `TODO` placeholder, named by
 * its path (`summary`, `items[2].title`). `dataset init` writes placeholders so
 * a skeleton can be saved as a draft and refined; one that is submitted,
 * published or loaded from a file must have every placeholder filled in.
 */
export function placeholderProblems(file: string, document: unknown): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (PLACEHOLDER.test(value)) {
        problems.push({
          file,
          field: path,
          message: `still holds a TODO placeholder left by dataset init: write the real ${path.replace(/^.*[.\]]/, '') || 'value'}`,
        });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) walk(v, path ? `${path}.${key}` : key);
    }
  };
  walk(document, '');
  return problems;
}
