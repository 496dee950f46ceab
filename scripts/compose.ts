/** `npm run compose`: writes the supergraph of the catalogue to schema/supergraph.graphql. */
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../server/index.ts';
import { cliProgram, runCli } from './cli/index.ts';
import { composeFromCatalogue, loadPlatformCatalogue, SUPERGRAPH_FILE } from './platform/index.ts';

const program = cliProgram({
  name: 'npm run compose --',
  description:
    "Composes the supergraph of the departments' catalogue files and writes it to " +
    'schema/supergraph.graphql (what `npm run gateway -- --supergraph FILE` can serve pinned).',
  examples: ['npm run compose'],
}).action(() => {
  const sdl = composeFromCatalogue(loadConfig({}), loadPlatformCatalogue());
  writeFileSync(SUPERGRAPH_FILE, sdl);
  console.log(`wrote ${SUPERGRAPH_FILE}`);
});

await runCli(program);
