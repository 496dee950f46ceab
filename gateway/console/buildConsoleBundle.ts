import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, stop, type Plugin } from 'esbuild';

/** The console's script and stylesheet, as served. */
export interface ConsoleBundle {
  js: Buffer;
  css: Buffer;
  /** The draft editor's checker (catalogue schema and YAML), loaded by that page only. */
  draftCheck: Buffer;
}

let built: Promise<ConsoleBundle> | undefined;

/**
 * Bundles the console's browser code (`client/main.tsx`, with Preact and its
 * stylesheet; `client/draftCheck.ts` apart) in memory with esbuild when the gateway starts: the page works
 * from the installed packages alone, with no build step to forget and nothing
 * fetched from elsewhere at run time.
 *
 * Once per process, however many gateways it starts, and esbuild's helper
 * process is stopped as soon as the bundle is made: left running, it held
 * about 50 MiB beside every gateway worker for the worker's whole life.
 */
export function buildConsoleBundle(): Promise<ConsoleBundle> {
  built ??= bundle().finally(() => stop());
  return built;
}

async function bundle(): Promise<ConsoleBundle> {
  const result = await build({
    entryPoints: {
      console: join(import.meta.dirname, 'client', 'main.tsx'),
      'draft-check': join(import.meta.dirname, 'client', 'draftCheck.ts'),
    },
    bundle: true,
    write: false,
    outdir: 'console',
    format: 'iife',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'eof',
    logLevel: 'silent',
    plugins: [compiledSiblings],
  });
  const file = (name: string) => {
    const found = result.outputFiles.find((f) => f.path.endsWith(`/${name}`));
    if (!found) throw new Error(`the console bundle has no ${name}`);
    return Buffer.from(found.contents);
  };
  return { js: file('console.js'), css: file('console.css'), draftCheck: file('draft-check.js') };
}

/**
 * In a compiled build (dist/), the client's sources are copied as they are but
 * the modules they share with the server (the catalogue schema, masking) are
 * there only as compiled `.js`: an import of `x.ts` that is not there takes
 * its compiled sibling `x.js`.
 */
const compiledSiblings: Plugin = {
  name: 'compiled-siblings',
  setup(bundler) {
    bundler.onResolve({ filter: /\.ts$/ }, (args) => {
      const source = resolve(args.resolveDir, args.path);
      if (existsSync(source)) return undefined;
      const compiled = source.replace(/\.ts$/, '.js');
      return existsSync(compiled) ? { path: compiled } : undefined;
    });
  },
};
