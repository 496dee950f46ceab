import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GRAPHIQL_VENDOR_DIR,
  VENDORED_FILES,
  type VendoredGraphiql,
} from '../../gateway/graphiql/vendoredGraphiql.ts';

/**
 * The GraphiQL kept in the repository is the release its manifest names, file
 * for file: an edit by hand, or a file replaced without
 * `npm run vendor:graphiql`, fails here.
 */
describe('vendored GraphiQL', () => {
  const manifest = JSON.parse(
    readFileSync(join(GRAPHIQL_VENDOR_DIR, 'graphiql.json'), 'utf8'),
  ) as VendoredGraphiql;

  it('names a release of the graphiql package with its registry integrity hash', () => {
    expect(manifest.package).toBe('graphiql');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.integrity).toMatch(/^sha512-[A-Za-z0-9+/]+=*$/);
  });

  it.each(VENDORED_FILES)('%s is the file of that release', (file) => {
    const digest = createHash('sha256')
      .update(readFileSync(join(GRAPHIQL_VENDOR_DIR, file)))
      .digest('hex');
    expect(digest).toBe(manifest.files[file]);
  });

  it('is the standalone build: it defines window.GraphiQL and needs only React', () => {
    const script = readFileSync(join(GRAPHIQL_VENDOR_DIR, 'graphiql.min.js'), 'utf8');
    expect(script).toContain('window.GraphiQL =');
    expect(readFileSync(join(GRAPHIQL_VENDOR_DIR, 'LICENSE'), 'utf8')).toMatch(/MIT License/);
  });
});
