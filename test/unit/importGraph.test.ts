import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house rules of STYLE.md on imports, checked over the source tree: no
 * module reaches itself through its imports (type imports included: a cycle of
 * types is still two concepts that cannot be understood apart), and imports
 * only point down the layers — scripts → subgraphs/platform → subgraphs/kit,
 * gateway → server → schema.
 */

const root = resolve(import.meta.dirname, '..', '..');
const SOURCE_FOLDERS = ['schema', 'server', 'gateway', 'subgraphs', 'scripts'];
/**
 * The console's browser program, a program of its own (own tsconfig, built by
 * esbuild): free of cycles like the rest, but it may import pure modules from
 * any layer — the approval form's mask preview runs the kit's own masking
 * function, so the preview is exactly what the rules will serve.
 */
const OWN_PROGRAM = 'gateway/console/client/';

/** What each layer may not import (by path prefix, relative to the root). */
const FORBIDDEN: Record<string, readonly string[]> = {
  'schema/': ['server/', 'gateway/', 'subgraphs/', 'scripts/'],
  'server/': ['gateway/', 'subgraphs/', 'scripts/'],
  'gateway/': ['subgraphs/', 'scripts/'],
  'subgraphs/kit/': ['subgraphs/platform/', 'gateway/', 'scripts/'],
  'subgraphs/platform/': ['gateway/', 'scripts/'],
};

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(folder)) {
    if (name === 'node_modules' || name === '__tests__' || name === 'vendor') continue;
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g;

/** Each source file (relative path) and the source files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const folder of SOURCE_FOLDERS) {
    for (const file of sourceFiles(join(root, folder))) {
      const text = readFileSync(file, 'utf8');
      const targets: string[] = [];
      for (const match of text.matchAll(SPECIFIER)) {
        targets.push(relative(root, resolve(dirname(file), match[1]!)));
      }
      graph.set(relative(root, file), targets);
    }
  }
  return graph;
}

/** Every strongly connected group of more than one file (Tarjan), as sorted lists. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1 || graph.get(node)!.includes(node)) groups.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return groups;
}

describe('the import graph', () => {
  const graph = importGraph();

  it('reads the whole source tree', () => {
    // A broken file walk or pattern would pass every rule below vacuously.
    expect(graph.size).toBeGreaterThan(300);
    const edges = [...graph.values()].reduce((n, targets) => n + targets.length, 0);
    expect(edges).toBeGreaterThan(1000);
    expect(graph.get('gateway/index.ts')).toContain('schema/index.ts');
  });

  it('has no cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const looped = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(looped)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('only imports down the layers', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      const layer = Object.keys(FORBIDDEN).find((prefix) => file.startsWith(prefix));
      if (!layer || file.startsWith(OWN_PROGRAM)) continue;
      for (const target of targets) {
        if (FORBIDDEN[layer]!.some((prefix) => target.startsWith(prefix))) {
          upward.push(`${file} → ${target}`);
        }
      }
    }
    expect(upward).toEqual([]);
  });
});
