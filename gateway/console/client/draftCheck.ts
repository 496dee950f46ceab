import { stringify } from 'yaml';
import { draftProblems } from './draftProblems.ts';
import type { DraftChecker } from './draftChecker.ts';

/**
 * The draft editor's checker, bundled apart (`draft-check.js`): the catalogue
 * schema and the YAML parser are most of the console's weight, and only the
 * draft editor needs them.
 */
const checker: DraftChecker = {
  problems: draftProblems,
  toYaml: (json) => stringify(JSON.parse(json)),
};
(window as unknown as { govdataDraftChecker: DraftChecker }).govdataDraftChecker = checker;
