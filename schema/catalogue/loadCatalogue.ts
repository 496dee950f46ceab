import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { Catalogue, type CatalogueDepartment } from './Catalogue.ts';
import { CatalogueError, type CatalogueProblem } from './CatalogueError.ts';
import { catalogueEntrySchema } from './catalogueEntrySchema.ts';
import { departmentSchema } from './departmentSchema.ts';
import { CatalogueYamlError, parseCatalogueYaml } from './parseCatalogueYaml.ts';
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
  const documents: EntryDocument[] = [];

  for (const dir of departmentDirs) {
    const departmentFile = join(dir, DEPARTMENT_FILE);
    const department = readYaml(departmentFile, baseDir, problems);
    const parsed =
      department === undefined
        ? undefined
        : parseWith(departmentSchema, department, relative(baseDir, departmentFile), problems);
    if (!parsed) continue;
    if (departments.some((d) => d.code === parsed.code)) {
      problems.push({
        file: relative(baseDir, departmentFile),
        field: 'code',
        message: `department code ${parsed.code} is used by another folder`,
      });
      continue;
    }
    departments.push({ ...parsed, dir });
    const catalogueDir = join(dir, 'catalogue');
    const files = existsSync(catalogueDir)
      ? readdirSync(catalogueDir)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
      : [];
    for (const name of files) {
      const path = join(catalogueDir, name);
      const data = readYaml(path, baseDir, problems);
      if (data !== undefined) {
        documents.push({ source: relative(baseDir, path), data, folderOf: parsed.code });
      }
    }
  }
  return assembleCatalogue(departments, documents, problems);
}

/** A catalogue entry document from anywhere: a file, or a version stored by the platform. */
export interface EntryDocument {
  /** Where it came from, named in problems (a file path, or `CODE@v3`). */
  source: string;
  /** The parsed YAML or JSON, not yet validated. */
  data: unknown;
  /** The department whose folder held the file, which must be the entry's department. */
  folderOf?: string;
}

/**
 * Validates entry documents against the file schema and against each other, and
 * assembles the catalogue of `departments`. Either everything is valid, or a
 * `CatalogueError` lists every problem (those already in `problems` too).
 */
export function assembleCatalogue(
  departments: readonly Omit<CatalogueDepartment, 'entries'>[],
  documents: readonly EntryDocument[],
  problems: CatalogueProblem[] = [],
): Catalogue {
  const known = new Set(departments.map((d) => d.code));
  const entryFiles: EntryFile[] = [];
  const sources = new Map<string, unknown>();
  for (const { source, data, folderOf } of documents) {
    const entry = parseWith(catalogueEntrySchema, data, source, problems);
    if (!entry) continue;
    if (folderOf !== undefined && entry.department !== folderOf) {
      problems.push({
        file: source,
        field: 'department',
        message: `is ${entry.department}, but the file is in the folder of ${folderOf}; a department registers only its own datasets`,
      });
      continue;
    }
    if (!known.has(entry.department)) {
      problems.push({
        file: source,
        field: 'department',
        message: `${entry.department} is not a department of the platform`,
      });
      continue;
    }
    entryFiles.push({ file: source, entry });
    sources.set(entry.code, data);
  }
  const { entries, problems: crossProblems } = validateCatalogue(entryFiles);
  problems.push(...crossProblems);
  if (problems.length > 0) throw new CatalogueError(problems);
  return new Catalogue(
    departments.map((d) => ({ ...d, entries: entries.filter((e) => e.department === d.code) })),
    sources,
  );
}

/**
 * Parses one entry document given as YAML or JSON text, within
 * `CATALOGUE_YAML_LIMITS` (refused before parsing when too large or too
 * deeply nested); problems name `source`.
 */
export function parseEntryText(
  source: string,
  text: string,
): { data?: unknown; problems: CatalogueProblem[] } {
  try {
    return { data: parseCatalogueYaml(text), problems: [] };
  } catch (error) {
    const message =
      error instanceof CatalogueYamlError
        ? `not a usable YAML or JSON document: ${error.message}`
        : String(error);
    return { problems: [{ file: source, field: '(document)', message }] };
  }
}

function readYaml(path: string, baseDir: string, problems: CatalogueProblem[]): unknown {
  const file = relative(baseDir, path);
  try {
    return parseCatalogueYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    const message =
      error instanceof CatalogueYamlError
        ? `not usable YAML: ${error.message}`
        : `cannot be read: ${String(error)}`;
    problems.push({ file, field: '(file)', message });
    return undefined;
  }
}

function parseWith<T extends z.ZodType>(
  schema: T,
  data: unknown,
  source: string,
  problems: CatalogueProblem[],
): z.output<T> | undefined {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    problems.push({
      file: source,
      field: formatPath(issue.path) || '(file)',
      message: issue.message,
    });
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
