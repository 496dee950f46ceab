/** Weights of the 17 leading digits (2^(18-i) mod 11), GB 11643-1999. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for each value of the weighted sum mod 11. */
const CHECK_CHARACTERS = '10X98765432';

/** The parts of a resident ID number that carry meaning. */
export interface ResidentIdParts {
  /** 6-digit administrative division code (GB/T 2260) of the registering authority. */
  regionCode: string;
  /** Date of birth, 'YYYY-MM-DD'. */
  birthDate: string;
  /** Order code 1..999 among people of that region and birth date; odd for men, even for women. */
  sequence: number;
}

/**
 * The check character (0-9 or X) of the first 17 digits of a resident ID
 * number, per GB 11643-1999: sum of digit × weight, mod 11, mapped through
 * "10X98765432".
 */
export function residentIdCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`expected 17 digits, got ${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARACTERS.charAt(sum % 11);
}

/**
 * An 18-character resident ID number: region code, birth date YYYYMMDD,
 * 3-digit order code and check character. Throws on malformed parts rather
 * than produce a number that fails validation elsewhere.
 */
export function residentIdNumber(parts: ResidentIdParts): string {
  const { regionCode, birthDate, sequence } = parts;
  if (!/^[1-9]\d{5}$/.test(regionCode)) throw new RangeError(`bad region code: ${regionCode}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new RangeError(`bad birth date: ${birthDate}`);
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError(`bad sequence: ${sequence}`);
  }
  const first17 = `${regionCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckDigit(first17);
}

/**
 * Whether `value` is a well-formed 18-character resident ID number: digits
 * with a final 0-9 or upper-case X, a real calendar birth date from 1800 on,
 * and the right check character. Region codes are not looked up.
 */
export function isValidResidentIdNumber(value: string): boolean {
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return false;
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  if (year < 1800) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  return residentIdCheckDigit(value.slice(0, 17)) === value.charAt(17);
}

/** 'M' or 'F' from the parity of the 17th digit (odd: male). */
export function residentIdGender(value: string): 'M' | 'F' {
  return Number(value.charAt(16)) % 2 === 1 ? 'M' : 'F';
}
