import { createHash } from 'node:crypto';
import Module, { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';

interface CreateHashModule {
  createHash(kind: string): ReturnType<typeof createHash>;
}

/**
 * Apollo's `createHash` (which Apollo Server calls for every request's query
 * text, and Apollo Gateway for its plan cache's keys) resolves `node:crypto` once
 * (patches/@apollo+utils.createhash+*.patch and its copy under @apollo/server): its
 * `module.require("crypto")` on every call went through the module loader's
 * resolve hooks each time (tsx's, under `npm start`), about 3 µs a request.
 */
describe("Apollo's createHash", () => {
  afterEach(() => vi.restoreAllMocks());

  const require = createRequire(import.meta.url);
  const copies = {
    "Apollo Gateway's": require('@apollo/utils.createhash') as CreateHashModule,
    // Apollo Server's own copy, resolved from its package.
    "Apollo Server's": createRequire(require.resolve('@apollo/server'))(
      '@apollo/utils.createhash',
    ) as CreateHashModule,
  };

  for (const [name, copy] of Object.entries(copies)) {
    it(`(${name} copy) does not require node:crypto again over many hashes, and hashes as node:crypto does`, () => {
      copy.createHash('sha256').update('warm').digest('hex');
      const required = vi.spyOn(Module.prototype, 'require');
      for (let i = 0; i < 100; i++) {
        const text = `query Q${i} { person(idNumber: "${i}") { name } }`;
        expect(copy.createHash('sha256').update(text).digest('hex')).toBe(
          createHash('sha256').update(text).digest('hex'),
        );
      }
      expect(required).not.toHaveBeenCalled();
    });
  }
});
