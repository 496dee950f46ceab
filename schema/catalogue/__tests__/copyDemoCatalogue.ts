import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDepartmentDirs } from '../index.ts';

const SUBGRAPHS = join(import.meta.dirname, '..', '..', '..', 'subgraphs');

/**
 * A fresh copy of the demo departments' `department.yaml` and catalogue files
 * in a temporary folder, for tests that edit entries and load the result.
 */
export function copyDemoCatalogue(prefix: string): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const dir of findDepartmentDirs(SUBGRAPHS)) {
    const name = dir.split('/').at(-1)!;
    mkdirSync(join(root, name));
    cpSync(join(dir, 'department.yaml'), join(root, name, 'department.yaml'));
    cpSync(join(dir, 'catalogue'), join(root, name, 'catalogue'), { recursive: true });
  }
  return root;
}
