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

/**
 * Why `codes` are not all departments of `catalogue`, naming those that are
 * (one wording for every command and process that takes a department); null
 * when they all are.
 */
export function unknownDepartments(catalogue: Catalogue, codes: readonly string[]): string | null {
  const unknown = codes.filter((code) => !catalogue.department(code));
  if (unknown.length === 0) return null;
  const known = catalogue.departments.map((d) => d.code).join(', ');
  return unknown.length === 1
    ? `${unknown[0]} is not a department of the platform; its departments are: ${known}`
    : `${unknown.join(', ')} are not departments of the platform; its departments are: ${known}`;
}
