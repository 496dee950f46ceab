import { join } from 'node:path';
import { build } from 'esbuild';

/** The console's script and stylesheet, as served. */
export interface ConsoleBundle {
  js: Buffer;
  css: Buffer;
  /** The draft editor's checker (catalogue schema and YAML), loaded by that page only. */
  draftCheck: Buffer;
}

/**
 * Bundles the console's browser code (`client/main.tsx`, with Preact and its
 * stylesheet; `client/draftCheck.ts` apart) in memory with esbuild when the gateway starts: the page works
 * from the installed packages alone, with no build step to forget and nothing
 * fetched from elsewhere at run time.
 */
export async function buildConsoleBundle(): Promise<ConsoleBundle> {
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
  });
  const file = (name: string) => {
    const found = result.outputFiles.find((f) => f.path.endsWith(`/${name}`));
    if (!found) throw new Error(`the console bundle has no ${name}`);
    return Buffer.from(found.contents);
  };
  return { js: file('console.js'), css: file('console.css'), draftCheck: file('draft-check.js') };
}
