import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CatalogueError, findDepartmentDirs, loadCatalogue } from '../index.ts';
import { copyDemoCatalogue } from './copyDemoCatalogue.ts';

/**
 * One number, one source, in sharing: copies are never published more openly
 * than their source; items declare the facts they embed.
 */

let root: string;
beforeEach(() => {
  root = copyDemoCatalogue('catalogue-sharing-');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

type Entry = { sharing: { type: string }; items: Record<string, any>[] };

function edit(department: string, file: string, change: (entry: Entry) => void): void {
  const path = join(root, department, 'catalogue', file);
  const entry = parse(readFileSync(path, 'utf8')) as Entry;
  change(entry);
  writeFileSync(path, stringify(entry));
}

const item = (entry: Entry, name: string) => entry.items.find((i) => i.name === name)!;

function problems(): { file: string; field: string; message: string }[] {
  try {
    loadCatalogue(findDepartmentDirs(root), root);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogueError);
    return [...(error as CatalogueError).problems];
  }
}

describe('catalogue validation of item sharing', () => {
  it('the demo catalogue is consistent', () => {
    expect(problems()).toEqual([]);
  });

  it('refuses a copy published more openly than its source, naming both entries', () => {
    edit('business-environment', 'licenses.yaml', (entry) => {
      delete item(entry, 'holderIdNumber').sharingType;
    });
    const found = problems();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      file: 'business-environment/catalogue/licenses.yaml',
      field: 'items[2].sharingType',
    });
    expect(found[0]!.message).toContain('BE-LIC-001.holderIdNumber');
    expect(found[0]!.message).toContain('PS-POP-001');
  });

  it('refuses a copy through an explicit source too, not only through references', () => {
    edit('city-water', 'utility-accounts.yaml', (entry) => {
      entry.sharing.type = 'UNCONDITIONAL';
      const address = item(entry, 'address');
      address.authoritative = false;
      address.source = 'PS-POP-001.address';
    });
    const messages = problems().map((p) => p.message);
    expect(messages.some((m) => m.includes('CW-ACC-001.address copies PS-POP-001.address'))).toBe(
      true,
    );
    expect(messages.some((m) => m.includes('CW-ACC-001.holderIdNumber'))).toBe(true);
  });

  it('accepts a copy that is shared less openly than its source', () => {
    edit('city-water', 'utility-accounts.yaml', (entry) => {
      item(entry, 'holderIdNumber').sharingType = 'NOT_SHARED';
    });
    expect(problems()).toEqual([]);
  });

  it('refuses an item shared more openly than its own entry', () => {
    edit('public-security', 'population.yaml', (entry) => {
      item(entry, 'phone').sharingType = 'UNCONDITIONAL';
    });
    const found = problems();
    expect(found.map((p) => p.field)).toContain('items[7].sharingType');
  });

  it('refuses embedded items that are not other items of the entry', () => {
    edit('public-security', 'population.yaml', (entry) => {
      item(entry, 'idNumber').embeds.items = ['birthDate', 'shoeSize', 'idNumber'];
    });
    const fields = problems().map((p) => p.field);
    expect(fields).toEqual(['items[0].embeds.items[1]', 'items[0].embeds.items[2]']);
  });

  it('refuses an embeds mask that is not a mask', () => {
    edit('public-security', 'population.yaml', (entry) => {
      item(entry, 'idNumber').embeds.concealWith = { rule: 'SHUFFLE' };
    });
    const found = problems().filter((p) => p.file === 'public-security/catalogue/population.yaml');
    expect(found.map((p) => p.field)).toEqual(['items[0].embeds.concealWith.rule']);
  });

  it('refuses an item named like the join handle every entity has', () => {
    edit('city-water', 'utility-accounts.yaml', (entry) => {
      item(entry, 'status').name = 'joinHandle';
    });
    expect(problems().map((p) => p.field)).toContain('items[7].name');
  });
});
