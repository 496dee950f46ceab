import { describe, expect, it } from 'vitest';
import {
  enterpriseAt,
  isValidUnifiedSocialCreditCode,
  organizationCodeCheckChar,
  unifiedSocialCreditCheckChar,
  unifiedSocialCreditCode,
} from '../index.ts';

/** Codes published by well-known enterprises (Huawei, Tencent, Baidu and others). */
const PUBLISHED = [
  '914403001922038216',
  '9144030071526726XG',
  '91440300708461136T',
  '91110000802100433B',
  '91330100716105852F',
];

describe('unifiedSocialCreditCheckChar', () => {
  it('reproduces the check character of published codes', () => {
    for (const code of PUBLISHED) {
      expect(unifiedSocialCreditCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
    }
  });

  it('matches check characters computed by hand', () => {
    // Huawei: 9·1+1·3+4·9+4·27+0·19+3·26+0·16+0·17+1·20+9·29+2·25+2·13+0·8+3·24+8·10+2·30+1·28
    // = 831; 831 mod 31 = 25; 31 - 25 = 6
    expect(unifiedSocialCreditCheckChar('91440300192203821')).toBe('6');
    // All zeros sum to 0: 31 - 0 = 31, which the standard maps to '0'.
    expect(unifiedSocialCreditCheckChar('00000000000000000')).toBe('0');
  });

  it('rejects characters outside the 31-character alphabet', () => {
    expect(() => unifiedSocialCreditCheckChar('9144030019220382I')).toThrow(RangeError);
  });
});

describe('organizationCodeCheckChar', () => {
  it('reproduces the GB 11714 check character inside published codes', () => {
    for (const code of PUBLISHED) {
      expect(organizationCodeCheckChar(code.slice(8, 16))).toBe(code.charAt(16));
    }
  });

  it('matches a check character computed by hand', () => {
    // 1·3+2·7+3·9+4·10+5·5+6·8+7·4+8·2 = 201; 201 mod 11 = 3; 11 - 3 = 8
    expect(organizationCodeCheckChar('12345678')).toBe('8');
  });
});

describe('isValidUnifiedSocialCreditCode', () => {
  it('accepts published codes', () => {
    for (const code of PUBLISHED) expect(isValidUnifiedSocialCreditCode(code)).toBe(true);
  });

  it('rejects a changed character, excluded letters and bad lengths', () => {
    expect(isValidUnifiedSocialCreditCode('914403001922038217')).toBe(false);
    expect(isValidUnifiedSocialCreditCode('914403001922038I16')).toBe(false);
    expect(isValidUnifiedSocialCreditCode('91440300192203821')).toBe(false);
    expect(isValidUnifiedSocialCreditCode('9144030071526726xg')).toBe(false);
  });
});

describe('unifiedSocialCreditCode', () => {
  it('assembles a published code from its parts', () => {
    expect(
      unifiedSocialCreditCode({
        authority: '9',
        type: '1',
        regionCode: '440300',
        organizationCode: '192203821',
      }),
    ).toBe('914403001922038216');
  });

  it('refuses an organisation code with a wrong check character', () => {
    expect(() =>
      unifiedSocialCreditCode({
        authority: '9',
        type: '1',
        regionCode: '440300',
        organizationCode: '192203822',
      }),
    ).toThrow(RangeError);
  });
});

describe('generated credit codes', () => {
  it('are valid under GB 32100 and GB 11714, market-supervision enterprises of the demo province', () => {
    for (let index = 0; index < 20_000; index += 1) {
      const { credit_code: code, region_code: region } = enterpriseAt(index);
      expect(isValidUnifiedSocialCreditCode(code)).toBe(true);
      expect(organizationCodeCheckChar(code.slice(8, 16))).toBe(code.charAt(16));
      expect(code.slice(0, 2)).toBe('91');
      expect(code.slice(2, 8)).toBe(region);
    }
  });
});
