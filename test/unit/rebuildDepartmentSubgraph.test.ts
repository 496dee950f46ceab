import { describe, expect, it } from 'vitest';
import { Catalogue, type CatalogueEntry } from '../../schema/index.ts';
import { loadPlatformCatalogue } from '../../scripts/platform/index.ts';
import {
  buildDepartmentSubgraph,
  departmentInputs,
  departmentTypeDefs,
  rebuildDepartmentSubgraph,
} from '../../subgraphs/kit/index.ts';

/**
 * A publication rebuilds only the subgraphs it concerns: a department's own
 * entries, or the key of an entity of another department it refers to. The
 * rest keep their subgraph (the same object), and decide copied items at
 * request time by the catalogue in force (see `attacksSourceChange.test.ts`).
 */
const OPTIONS = { maxPageSize: 100 };
const catalogue = loadPlatformCatalogue();

/** `catalogue` with the entry `code` changed by `change` (on a copy). */
function withEntry(code: string, change: (entry: CatalogueEntry) => void): Catalogue {
  return new Catalogue(
    catalogue.departments.map((d) => ({
      ...d,
      entries: d.entries.map((e) => {
        if (e.code !== code) return e;
        const copy = structuredClone(e);
        change(copy);
        return copy;
      }),
    })),
  );
}

describe('rebuildDepartmentSubgraph', () => {
  const licences = buildDepartmentSubgraph(catalogue, 'business_environment', OPTIONS);

  it('keeps the subgraph when nothing it was built from changed', () => {
    expect(rebuildDepartmentSubgraph(licences, catalogue, OPTIONS)).toBe(licences);
    const elsewhere = withEntry('CW-ACC-001', (e) => (e.summary = `${e.summary} Updated.`));
    expect(rebuildDepartmentSubgraph(licences, elsewhere, OPTIONS)).toBe(licences);
  });

  it("keeps it when a referenced entity's dataset changes anything but its key", () => {
    // Sharing is decided at request time from the catalogue in force, not built in.
    const stricter = withEntry('PS-POP-001', (e) => {
      e.items.find((i) => i.name === 'birthDate')!.sharingType = 'NOT_SHARED';
    });
    expect(rebuildDepartmentSubgraph(licences, stricter, OPTIONS)).toBe(licences);
  });

  it('rebuilds when its own entries change', () => {
    const changed = withEntry('BE-LIC-001', (e) => {
      e.items.find((i) => i.name === 'kind')!.description = 'The kind of licence, renamed.';
    });
    const rebuilt = rebuildDepartmentSubgraph(licences, changed, OPTIONS);
    expect(rebuilt).not.toBe(licences);
    expect(rebuilt.typeDefs).toContain('The kind of licence, renamed.');
    expect(rebuilt.typeDefs).toBe(
      buildDepartmentSubgraph(changed, 'business_environment', OPTIONS).typeDefs,
    );
  });

  it("rebuilds when a referenced entity's key item changes", () => {
    const rekeyed = withEntry('PS-POP-001', (e) => {
      e.items.find((i) => i.name === 'idNumber')!.type = 'INTEGER' as never;
    });
    expect(rebuildDepartmentSubgraph(licences, rekeyed, OPTIONS)).not.toBe(licences);
  });

  it('rebuilds when the options change', () => {
    const wider = rebuildDepartmentSubgraph(licences, catalogue, { maxPageSize: 500 });
    expect(wider).not.toBe(licences);
    expect(wider.typeDefs).not.toBe(licences.typeDefs);
  });
});

describe('departmentTypeDefs', () => {
  it("gives every department's SDL as building its whole subgraph does", () => {
    for (const { code } of catalogue.departments) {
      expect(departmentTypeDefs(catalogue, code, OPTIONS)).toBe(
        buildDepartmentSubgraph(catalogue, code, OPTIONS).typeDefs,
      );
    }
  });
});

describe('departmentInputs', () => {
  it('moves exactly when the subgraph would be rebuilt', () => {
    const elsewhere = withEntry('CW-ACC-001', (e) => (e.summary = `${e.summary} Updated.`));
    expect(departmentInputs(elsewhere, 'business_environment')).toBe(
      departmentInputs(catalogue, 'business_environment'),
    );
    // Where an entry was read from only names it in messages.
    const relabelled = withEntry('BE-LIC-001', (e) => (e.file = 'BE-LIC-001 (published)'));
    expect(departmentInputs(relabelled, 'business_environment')).toBe(
      departmentInputs(catalogue, 'business_environment'),
    );
    const own = withEntry('BE-LIC-001', (e) => {
      e.items.find((i) => i.name === 'kind')!.description = 'The kind of licence, renamed.';
    });
    expect(departmentInputs(own, 'business_environment')).not.toBe(
      departmentInputs(catalogue, 'business_environment'),
    );
    expect(departmentTypeDefs(own, 'business_environment', OPTIONS)).not.toBe(
      departmentTypeDefs(catalogue, 'business_environment', OPTIONS),
    );
  });
});
