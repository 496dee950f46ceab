import { describe, expect, it } from 'vitest';
import { DenialReason, ErrorCode } from '../../../../schema/index.ts';
import { knownText, MESSAGE_KEYS } from '../i18n.ts';

/**
 * Every refusal reaches the console's reader in words: each error code the
 * API can give (and each denial reason) has its name and its meaning in both
 * languages, so a code added to the registry without its words fails here.
 */
describe("the console's words for the API's errors", () => {
  const keys = new Set<string>(MESSAGE_KEYS);

  it.each(Object.values(ErrorCode))('names and explains %s in Chinese and English', (code) => {
    for (const key of [`code.${code}`, `codeHelp.${code}`]) {
      expect(keys.has(key), key).toBe(true);
      expect(knownText('zh', key)).toMatch(/[\u4e00-\u9fff]/);
      expect(knownText('en', key)).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it.each(Object.values(DenialReason))('explains the denial reason %s', (reason) => {
    expect(knownText('zh', `reason.${reason}`)).toMatch(/[\u4e00-\u9fff]/);
    expect(knownText('en', `reason.${reason}`)).toBeTruthy();
  });

  it('has a code for a network failure too, and nothing for an unknown key', () => {
    expect(knownText('zh', 'codeHelp.NETWORK')).toBeTruthy();
    expect(knownText('zh', 'codeHelp.NO_SUCH_CODE')).toBeNull();
  });
});
