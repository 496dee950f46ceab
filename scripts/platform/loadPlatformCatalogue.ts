import { join } from 'node:path';
import { findDepartmentDirs, loadCatalogue, type Catalogue } from '../../schema/index.ts';
import type { PlatformConfig } from '../../server/config/index.ts';

/** The folder whose subfolders with a `department.yaml` are the departments. */
export const DEPARTMENTS_ROOT = join(import.meta.dirname, '..', '..', 'subgraphs');

/** Loads the catalogue of the department folders; throws a `CatalogueError` listing every problem. */
export function loadPlatformCatalogue(
  options: { departmentDirs?: readonly string[] } = {},
  config?: Pick<PlatformConfig, 'departmentsDir'>,
): Catalogue {
  return loadCatalogue(
    options.departmentDirs ?? findDepartmentDirs(config?.departmentsDir ?? DEPARTMENTS_ROOT),
  );
}
