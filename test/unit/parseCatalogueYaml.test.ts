import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type * as JsYaml from 'js-yaml';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { CatalogueYamlError, findDepartmentDirs, parseCatalogueYaml } from '../../schema/index.ts';
import { DEPARTMENTS_ROOT } from '../../scripts/platform/index.ts';

vi.mock('js-yaml', async (importOriginal) => {
  const original = await importOriginal<typeof JsYaml>();
  return { ...original, load: vi.fn(original.load) };
});

/**
 * Catalogue documents are parsed by `js-yaml` where it reads them as the
 * reference parser `yaml` does, and by `yaml` otherwise: whichever parses, the
 * answer — the value, or the refusal and its message — is the reference's.
 */
function reference(text: string): unknown {
  try {
    return { value: parse(text, { maxAliasCount: 50 }) as unknown };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
function ours(text: string): unknown {
  try {
    return { value: parseCatalogueYaml(text) };
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogueYamlError);
    return { error: (error as Error).message };
  }
}

const TRICKY = [
  'code: A\nsize: 012\nhex: 0x1F\noctal: 0o17\nbig: 12345678901234567890\n',
  'on: yes\noff: no\ny: n\nnothing: ~\nempty:\nnull: null\nt: True\nf: FALSE\n',
  'inf: .inf\nneg: -.Inf\nnan: .NaN\nexp: 1e3\nfloat: 1.50\nversion: 1.10\n',
  'date: 2024-02-30\ntime: 2024-01-01T10:00:00Z\nid: 110101199001011234\n',
  'folded: >\n  one\n  two\n\n  three\nliteral: |-\n  kept\n   indented\nkeep: |+\n  end\n\n',
  "quoted: \"tab\\there \\u4e2d\"\nsingle: 'it''s'\nplain: 数据 共享\n",
  'list: [a, "b", 3, {k: v}]\nmap: {x: 1, y: [true, null]}\n',
  'a: 1\na: 2\n',
  '__proto__: {polluted: 1}\nconstructor: x\n',
  '? complex\n: key\n1: number key\n',
  'null: 1\n~: 2\ntrue: 3\n1.0: 4\n.inf: 5\n',
  '{null: 1, [a, b]: 2, {x: 1}: 3}\n',
  ': empty key\n',
  'note: Attention! read this\n',
  'anchored: &x {a: 1}\nalias: *x\n',
  '%YAML 1.1\n---\nflag: yes\n',
  'tagged: !!str 123\nfloat: !!float 1\n',
  'custom: !secret value\n',
  'bin: !!binary aGVsbG8=\n',
  'first: 1\n---\nsecond: 2\n',
  '',
  '# only a comment\n',
  '~\n',
  'just a string\n',
  'bad: [unclosed\n',
  'key: value\n  wrongly: indented\n',
  '\tkey: tab\n',
  'a: b: c\n',
  'crlf: one\r\nnext: two\r\n',
  '{"json": true, "n": [1, 2.5, null], "s": "x"}',
  'star: "a * b"\nnote: 5 * 3\n',
];

describe('parseCatalogueYaml', () => {
  it.each(TRICKY.map((text) => [JSON.stringify(text).slice(0, 60), text]))(
    'answers %s as the reference parser does',
    (_, text) => {
      expect(ours(text)).toEqual(reference(text));
      expect(Object.prototype).not.toHaveProperty('polluted');
    },
  );

  it("answers every demo catalogue document as the reference does, most of them by js-yaml's parse", () => {
    const parsed = vi.mocked(load);
    parsed.mockClear();
    let documents = 0;
    for (const dir of findDepartmentDirs(DEPARTMENTS_ROOT)) {
      const folder = join(dir, 'catalogue');
      for (const name of readdirSync(folder).filter((f) => /\.ya?ml$/.test(f))) {
        const text = readFileSync(join(folder, name), 'utf8');
        expect(ours(text)).toEqual(reference(text));
        documents++;
      }
    }
    expect(documents).toBeGreaterThan(5);
    expect(parsed.mock.calls.length).toBeGreaterThan(documents / 2);
  });

  it('still refuses an alias bomb with its own message', () => {
    const bomb = ['a: &a [x, x]', 'b: &b [*a, *a]', 'c: &c [*b, *b]', 'd: &d [*c, *c]'];
    const text = [...bomb, 'e: &e [*d, *d]', 'f: &f [*e, *e]', 'g: [*f, *f, *f, *f]'].join('\n');
    expect(() => parseCatalogueYaml(text)).toThrow(/aliases/);
  });
});
