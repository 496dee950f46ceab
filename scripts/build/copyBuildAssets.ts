/**
 * The second half of `npm run build`: copies into `dist/` every file the
 * compiled processes read at run time besides their JavaScript — catalogue
 * YAML, GraphiQL's vendored assets, the web console's sources (esbuild bundles
 * them when the gateway starts), the composed supergraph — keeping each path,
 * so a module finds them beside itself as it does in the sources.
 */
import { cpSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const FOLDERS = ['gateway', 'subgraphs', 'schema', 'scripts', 'server'];

/** TypeScript compiles to `dist/`; tests and benchmarks are not part of the image. */
function isAsset(path: string): boolean {
  if (/(^|\/)(__tests__|node_modules)(\/|$)/.test(path)) return false;
  // The console's client sources are bundled at start, from TypeScript.
  if (path.includes('gateway/console/client/')) return true;
  return !/\.(ts|mts|cts)$/.test(path);
}

let copied = 0;
for (const folder of FOLDERS) {
  cpSync(join(ROOT, folder), join(DIST, folder), {
    recursive: true,
    filter: (source) => {
      const path = relative(ROOT, source);
      // Descend into folders (not tests'); copy only assets.
      if (statSync(source).isDirectory()) return !/(^|\/)(__tests__|node_modules)$/.test(path);
      const keep = isAsset(path);
      if (keep) copied++;
      return keep;
    },
  });
}
console.log(`[build] copied ${copied} asset file(s) into dist/`);
