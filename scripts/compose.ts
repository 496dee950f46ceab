/** `npm run compose`: writes the supergraph of the catalogue to schema/supergraph.graphql. */
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../server/index.ts';
import { composeFromCatalogue, loadPlatformCatalogue, SUPERGRAPH_FILE } from './platform/index.ts';

try {
  const sdl = composeFromCatalogue(loadConfig({}), loadPlatformCatalogue());
  writeFileSync(SUPERGRAPH_FILE, sdl);
  console.log(`wrote ${SUPERGRAPH_FILE}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
