import { join } from 'node:path';

/**
 * Where GraphiQL's standalone browser build is kept (see
 * scripts/vendorGraphiql.ts for why and how it gets there), and which of the
 * release's files are kept: the script, the stylesheet (fonts inline) and the
 * licence. vendor/graphiql.json names the release, its integrity hash and
 * each file's SHA-256.
 */
export const GRAPHIQL_VENDOR_DIR = join(import.meta.dirname, 'vendor');

export const VENDORED_FILES = ['graphiql.min.js', 'graphiql.min.css', 'LICENSE'] as const;

export interface VendoredGraphiql {
  package: 'graphiql';
  version: string;
  integrity: string;
  files: Record<(typeof VENDORED_FILES)[number], string>;
}
