/** The 31 characters of GB 32100-2015 (no I, O, S, V, Z); a character's value is its position. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights of the 17 leading characters (3^(i) mod 31), GB 32100-2015. */
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** Weights of the 8 body characters of an organisation code, GB 11714-1997. */
const ORGANIZATION_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The parts of a unified social credit code that carry meaning. */
export interface UnifiedSocialCreditCodeParts {
  /** Registration authority, e.g. '9' market supervision, '5' civil affairs, '1' organisation staffing. */
  authority: string;
  /** Kind of entity under that authority, e.g. '1' enterprise, '2' individual business, '3' farmer co-op. */
  type: string;
  /** 6-digit administrative division code (GB/T 2260) of the registering authority. */
  regionCode: string;
  /** 9-character organisation code: 8 body characters and its GB 11714 check character. */
  organizationCode: string;
}

/**
 * The 18th character of a unified social credit code per GB 32100-2015:
 * 31 - (sum of value × weight mod 31), where 31 maps to '0'.
 */
export function unifiedSocialCreditCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`expected 17 characters, got ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`not a credit code character: ${first17.charAt(i)}`);
    sum += value * (CREDIT_CODE_WEIGHTS[i] ?? 0);
  }
  return CREDIT_CODE_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/**
 * The check character of an 8-character organisation code body per GB 11714:
 * 11 - (sum of value × weight mod 11), digits valued 0-9 and letters A-Z
 * 10-35; 10 maps to 'X' and 11 to '0'.
 */
export function organizationCodeCheckChar(body: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body)) throw new RangeError(`bad organisation code body: ${body}`);
  let sum = 0;
  for (let i = 0; i < 8; i += 1) {
    sum += parseInt(body.charAt(i), 36) * (ORGANIZATION_CODE_WEIGHTS[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/**
 * An 18-character unified social credit code: authority, type, region code,
 * organisation code and check character. The organisation code's own check
 * character is verified too, so a code built here is valid under both
 * standards.
 */
export function unifiedSocialCreditCode(parts: UnifiedSocialCreditCodeParts): string {
  const { authority, type, regionCode, organizationCode } = parts;
  if (!/^\d{6}$/.test(regionCode)) throw new RangeError(`bad region code: ${regionCode}`);
  if (organizationCode.length !== 9) {
    throw new RangeError(`organisation code must have 9 characters: ${organizationCode}`);
  }
  if (organizationCodeCheckChar(organizationCode.slice(0, 8)) !== organizationCode.charAt(8)) {
    throw new RangeError(`organisation code check character is wrong: ${organizationCode}`);
  }
  const first17 = `${authority}${type}${regionCode}${organizationCode}`;
  return first17 + unifiedSocialCreditCheckChar(first17);
}

/**
 * Whether `value` is 18 characters of the GB 32100 alphabet ending in the
 * right check character. The embedded organisation code is not checked: codes
 * issued to some kinds of entity do not follow GB 11714.
 */
export function isValidUnifiedSocialCreditCode(value: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUW-Y]{18}$/.test(value)) return false;
  return unifiedSocialCreditCheckChar(value.slice(0, 17)) === value.charAt(17);
}
