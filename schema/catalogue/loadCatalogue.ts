import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { Catalogue, type CatalogueDepartment } from './Catalogue.ts';
import { CatalogueError, type CatalogueProblem } from './CatalogueError.ts';
import { catalogueEntrySchema } from './catalogueEntrySchema.ts';
import { departmentSchema } from './departmentSchema.ts';
import { validateCatalogue, type EntryFile } from './validateCatalogue.ts';

/** The file that makes a folder a department. */
export const DEPARTMENT_FILE = 'department.yaml';

/** Every folder directly under `root` that holds a `department.yaml`, sorted by name. */
export function findDepartmentDirs(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, DEPARTMENT_FILE)))
    .map((d) => join(root, d.name))
    .sort();
}

/**
 * Loads and validates the departments in `departmentDirs`: each folder's
 * `department.yaml` and every `catalogue/*.yaml` in it. Either the whole catalogue
 * is valid, or a `CatalogueError` lists every problem with file and field.
 * File names in problems are relative to `baseDir` (default: the working directory).
 */
export function loadCatalogue(
  departmentDirs: readonly string[],
  baseDir: string = process.cwd(),
): Catalogue {
  const problems: CatalogueProblem[] = [];
  const departments: Omit<CatalogueDepartment, 'entries'>[] = [];
  const entryFiles: (EntryFile & { department: string })[] = [];

  for (const dir of departmentDirs) {
    const departmentFile = join(dir, DEPARTMENT_FILE);
    const department = readYaml(departmentFile, departmentSchema, baseDir, problems);
    if (!department) continue;
    if (departments.some((d) => d.code === department.code)) {
      problems.push({
        file: relative(baseDir, departmentFile),
        field: 'code',
        message: `department code ${department.code} is used by another folder`,
      });
      continue;
    }
    departments.push({ ...department, dir });
    const catalogueDir = join(dir, 'catalogue');
    const files = existsSync(catalogueDir)
      ? readdirSync(catalogueDir)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
      : [];
    for (const name of files) {
      const path = join(catalogueDir, name);
      const file = relative(baseDir, path);
      const entry = readYaml(path, catalogueEntrySchema, baseDir, problems);
      if (!entry) continue;
      if (entry.department !== department.code) {
        problems.push({
          file,
          field: 'department',
          message: `is ${entry.department}, but the file is in the folder of ${department.code}; a department registers only its own datasets`,
        });
        continue;
      }
      entryFiles.push({ file, entry, department: department.code });
    }
  }

  const { entries, problems: crossProblems } = validateCatalogue(entryFiles);
  problems.push(...crossProblems);
  if (problems.length > 0) throw new CatalogueError(problems);

  return new Catalogue(
    departments.map((d) => ({ ...d, entries: entries.filter((e) => e.department === d.code) })),
  );
}

function readYaml<T extends z.ZodType>(
  path: string,
  schema: T,
  baseDir: string,
  problems: CatalogueProblem[],
): z.output<T> | undefined {
  const file = relative(baseDir, path);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    const message =
      error instanceof YAMLParseError
        ? `not valid YAML: ${error.message}`
        : `cannot be read: ${String(error)}`;
    problems.push({ file, field: '(file)', message });
    return undefined;
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    problems.push({ file, field: formatPath(issue.path) || '(file)', message: issue.message });
  }
  return undefined;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
