import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CATALOGUE_YAML_LIMITS,
  CatalogueYamlError,
  findDepartmentDirs,
  parseCatalogueYaml,
} from '../index.ts';
import { nestingDepth } from '../parseCatalogueYaml.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Every catalogue document the project ships: they must all stay well inside the limits. */
function shippedDocuments(): string[] {
  const dirs = [
    ...findDepartmentDirs(join(ROOT, 'subgraphs')),
    ...findDepartmentDirs(join(ROOT, 'test', 'fixtures', 'departments')),
  ];
  return dirs.flatMap((dir) => {
    const catalogue = join(dir, 'catalogue');
    const entries = existsSync(catalogue)
      ? readdirSync(catalogue).filter((name) => /\.ya?ml$/.test(name))
      : [];
    return [join(dir, 'department.yaml'), ...entries.map((name) => join(catalogue, name))];
  });
}

/** What `fn` threw, if anything. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('parseCatalogueYaml', () => {
  it('parses every shipped catalogue document exactly as the YAML library does', () => {
    const files = shippedDocuments();
    expect(files.length).toBeGreaterThan(8);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(parseCatalogueYaml(text), file).toEqual(parse(text));
      expect(nestingDepth(text, 100), file).toBeLessThanOrEqual(8);
    }
  });

  it('measures nesting in block, compact and flow style, ignoring quotes, comments and block scalars', () => {
    expect(nestingDepth('a: 1\nb:\n  c:\n    d: 2\n', 100)).toBe(3);
    expect(nestingDepth('- - - x\n', 100)).toBe(4);
    expect(nestingDepth('items:\n  - name: a\n    title: b\n', 100)).toBe(3);
    expect(nestingDepth('{"a": {"b": [[1]]}}', 100)).toBe(4);
    expect(nestingDepth('a: "[[[[[[ not { flow"\nb: \'{{{{\'\n# [[[[[[[\n', 100)).toBe(1);
    expect(nestingDepth('a: |\n  [[[[[[\n      {{{{{{\nb: 1\n', 100)).toBe(1);
    expect(nestingDepth('summary: plain text with [brackets] and a: colon\n', 100)).toBe(1);
  });

  const { maxBytes, maxDepth, maxAliases } = CATALOGUE_YAML_LIMITS;
  const attacks: [string, string, RegExp][] = [
    ['flow nesting', '['.repeat(100_000) + ']'.repeat(100_000), /nests more than/],
    ['JSON nesting', '{"a":'.repeat(40_000) + '1' + '}'.repeat(40_000), /nests more than/],
    ['compact sequences', '- '.repeat(120_000) + 'x', /nests more than/],
    [
      'block nesting',
      Array.from({ length: 400 }, (_, i) => ' '.repeat(i) + 'a:').join('\n'),
      /nests more than/,
    ],
    ['a large document', 'a: ' + 'x'.repeat(maxBytes) + '\n', /at most 262144 bytes/],
    [
      'an alias bomb',
      'a: &a [x, x, x, x, x, x, x, x, x]\n' +
        'bcdefgh'
          .split('')
          .map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)
          .join('\n'),
      new RegExp(`more than ${maxAliases} aliases`),
    ],
  ];
  // How fast a refusal is belongs to a benchmark, not a test (a timed test fails
  // on a busy machine); the nesting is refused by the linear pre-scan, before
  // the YAML library builds anything.
  it.each(attacks)('refuses %s, naming the limit', (name, text, message) => {
    const error = thrown(() => parseCatalogueYaml(text));
    expect(error).toBeInstanceOf(CatalogueYamlError);
    expect((error as Error).message).toMatch(message);
    if (name.includes('nesting') || name.includes('sequences')) {
      expect(nestingDepth(text, maxDepth)).toBeGreaterThan(maxDepth);
    }
  });

  it('refuses, before parsing, a document of more lines and list entries than an entry needs', () => {
    const { maxNodes } = CATALOGUE_YAML_LIMITS;
    // The red-team document: a 32 KB flow list of 16,000 entries, a quarter of a second to parse.
    const list = `code: X\nrelated: [${Array(16_000).fill('a').join(',')}]\n`;
    expect(() => parseCatalogueYaml(list)).toThrow(CatalogueYamlError);
    expect(() => parseCatalogueYaml(list)).toThrow(/more than 5000 lines and list entries/);
    const lines = Array.from({ length: maxNodes + 2 }, (_, i) => `k${i}: v`).join('\n');
    expect(() => parseCatalogueYaml(lines)).toThrow(/lines and list entries/);
    const within = Array.from({ length: maxNodes - 10 }, (_, i) => `k${i}: v`).join('\n');
    expect(() => parseCatalogueYaml(within)).not.toThrow();
    for (const file of shippedDocuments()) {
      const text = readFileSync(file, 'utf8');
      expect(text.split(/[\n,]/).length, file).toBeLessThan(maxNodes / 10);
    }
  });

  it('accepts nesting up to the limit', () => {
    const text = Array.from({ length: maxDepth }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1';
    expect(() => parseCatalogueYaml(text)).not.toThrow();
  });
});
