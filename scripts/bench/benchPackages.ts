import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The benchmark's own packages (the load generator, the gateways ours is
 * compared with) live in `bench/`, with their own package.json and lockfile,
 * so `npm install` at the root brings only what running and testing need
 * (Hive Gateway alone would add hundreds of packages that want Node 22).
 */
const BENCH_DIR = join(import.meta.dirname, '..', '..', 'bench');
const benchRequire = createRequire(join(BENCH_DIR, 'package.json'));

/** The packages `bench/package.json` lists; every one must resolve from `bench/`. */
const PACKAGES = ['autocannon', '@graphql-hive/gateway', '@graphql-hive/router-runtime'] as const;
type BenchPackage = (typeof PACKAGES)[number];

/**
 * Installs `bench/`'s packages exactly as its lockfile says, the first time a
 * benchmark needs them (`npm ci --prefix bench`); later runs find them there.
 * Throws, saying how to install them by hand, when npm fails.
 */
export function ensureBenchPackages(log: (message: string) => void): void {
  if (PACKAGES.every((name) => resolvable(name))) return;
  log('installing the benchmark packages into bench/node_modules (first run only)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--prefix', BENCH_DIR, '--no-audit', '--no-fund'], {
    stdio: 'inherit',
  });
  if (result.status !== 0 || !PACKAGES.every((name) => resolvable(name))) {
    throw new Error(
      'The benchmark packages did not install; run `npm ci --prefix bench` and try again.',
    );
  }
}

/** The folder of one of the benchmark's packages; `ensureBenchPackages` must have run. */
export function benchPackageDir(name: BenchPackage): string {
  return dirname(benchRequire.resolve(`${name}/package.json`));
}

function resolvable(name: BenchPackage): boolean {
  try {
    return existsSync(benchPackageDir(name));
  } catch {
    return false;
  }
}
