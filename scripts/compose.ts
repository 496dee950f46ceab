/** `npm run compose`: writes the supergraph of the catalogue to schema/supergraph.graphql. */
import { writeFileSync } from 'node:fs';
import { cliProgram, runCli } from './cli/index.ts';

const program = cliProgram({
  name: 'npm run compose --',
  description:
    "Composes the supergraph of the departments' catalogue files and writes it to " +
    'schema/supergraph.graphql (what `npm run gateway -- --supergraph FILE` can serve pinned).',
  examples: ['npm run compose'],
}).action(async () => {
  const { loadConfig } = await import('../server/index.ts');
  const { composeFromCatalogue, loadPlatformCatalogue, SUPERGRAPH_FILE } =
    await import('./platform/index.ts');
  const sdl = composeFromCatalogue(loadConfig({}), loadPlatformCatalogue());
  writeFileSync(SUPERGRAPH_FILE, sdl);
  console.log(`wrote ${SUPERGRAPH_FILE}`);
});

await runCli(program);
