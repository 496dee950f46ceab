import type { Catalogue } from '../../schema/index.ts';
import { loadConfig } from '../../server/config/index.ts';
import { CliUsageError } from '../cli/index.ts';
import { loadPlatformCatalogue } from '../platform/loadPlatformCatalogue.ts';

/** The catalogue of the department files, with `department` checked to be one of them. */
export function departmentCatalogue(department: string): Catalogue {
  const catalogue = loadPlatformCatalogue({}, loadConfig());
  if (!catalogue.department(department)) {
    throw new CliUsageError(
      `${department} is not a department of the platform; its departments are: ` +
        catalogue.departments.map((d) => d.code).join(', '),
    );
  }
  return catalogue;
}
