import type { Catalogue } from '../../schema/index.ts';
import { loadConfig } from '../../server/config/index.ts';
import { CliUsageError } from '../cli/index.ts';
import { loadPlatformCatalogue, unknownDepartments } from '../platform/loadPlatformCatalogue.ts';

/** The catalogue of the department files, with each of `departments` checked to be one of them. */
export function departmentCatalogue(...departments: string[]): Catalogue {
  const catalogue = loadPlatformCatalogue({}, loadConfig());
  const problem = unknownDepartments(catalogue, departments);
  if (problem) throw new CliUsageError(problem);
  return catalogue;
}
