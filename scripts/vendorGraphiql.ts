/**
 * `npm run vendor:graphiql -- [--version X.Y.Z]`: refreshes the GraphiQL the
 * gateway serves, in gateway/graphiql/vendor/.
 *
 * The gateway serves GraphiQL's standalone browser build (one script and one
 * stylesheet that carry everything, React aside). Installed as a package,
 * GraphiQL also brings the ninety-odd packages its ES-module build is made of,
 * which nothing here loads; so the build is kept in the repository, the way
 * Django keeps its admin's browser libraries, and `npm install` stays light.
 * This script takes it from the package itself: `npm pack` fetches the
 * release and checks it against the registry's integrity hash, and the files'
 * SHA-256 are written to vendor/graphiql.json, which a test checks the served
 * files against.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GRAPHIQL_VENDOR_DIR, VENDORED_FILES } from '../gateway/graphiql/vendoredGraphiql.ts';
import { cliProgram, runCli } from './cli/index.ts';

const program = cliProgram({
  name: 'npm run vendor:graphiql --',
  description:
    "Replaces gateway/graphiql/vendor/ with GraphiQL's standalone browser build from the given " +
    'release of the graphiql package (fetched and integrity-checked by npm pack), and records the ' +
    "files' SHA-256 in vendor/graphiql.json. Needs the package registry; run it to upgrade GraphiQL.",
  examples: ['npm run vendor:graphiql -- --version 3.8.2'],
})
  .option('--version <x.y.z>', 'release of the graphiql package', '3.8.2')
  .action(({ version }) => {
    if (!/^\d+\.\d+\.\d+$/.test(version)) {
      throw new Error(`--version must be a release number such as 3.8.2, not "${version}"`);
    }
    const work = mkdtempSync(join(tmpdir(), 'govdata-graphiql-'));
    try {
      const packed = JSON.parse(
        execFileSync('npm', ['pack', `graphiql@${version}`, '--json', '--pack-destination', work], {
          encoding: 'utf8',
        }),
      ) as { filename: string; integrity: string }[];
      const { filename, integrity } = packed[0]!;
      execFileSync('tar', ['-xzf', join(work, filename), '-C', work]);
      const files: Record<string, string> = {};
      for (const file of VENDORED_FILES) {
        copyFileSync(join(work, 'package', file), join(GRAPHIQL_VENDOR_DIR, file));
        files[file] = sha256(join(GRAPHIQL_VENDOR_DIR, file));
      }
      const manifest = { package: 'graphiql', version, integrity, files };
      writeFileSync(
        join(GRAPHIQL_VENDOR_DIR, 'graphiql.json'),
        `${JSON.stringify(manifest, null, 2)}\n`,
      );
      console.log(`vendored graphiql ${version} (${integrity}) into ${GRAPHIQL_VENDOR_DIR}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

await runCli(program);
