/**
 * The development sign-in is asked for, never inferred from the development
 * secret alone: `DEV_SIGN_IN` says on or off, nothing leaves it to the
 * program (`npm start` on, a gateway of its own off), and production never
 * has it, whatever it says.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/index.ts';

describe('DEV_SIGN_IN', () => {
  const devSignIn = (env: Record<string, string>) =>
    loadConfig({ DATA_DIR: 'unused', ...env }).devSignIn;

  it('is left to the program when unset, and says on or off when set', () => {
    expect(devSignIn({})).toBeNull();
    expect(devSignIn({ DEV_SIGN_IN: 'on' })).toBe(true);
    expect(devSignIn({ DEV_SIGN_IN: 'off' })).toBe(false);
  });

  it('is off in production, even when asked for', () => {
    expect(devSignIn({ NODE_ENV: 'production' })).toBe(false);
    expect(devSignIn({ NODE_ENV: 'production', DEV_SIGN_IN: 'on' })).toBe(false);
  });

  it('refuses any other value, naming the variable', () => {
    expect(() => devSignIn({ DEV_SIGN_IN: 'yes' })).toThrow(/DEV_SIGN_IN/);
  });
});
