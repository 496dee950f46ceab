import type { SeededRandom } from './seededRandom.ts';

/** Mainland mobile prefixes of the three carriers (13x, 15x, 18x). */
const PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '180',
  '181',
  '182',
  '183',
  '184',
  '185',
  '186',
  '187',
  '188',
  '189',
];

/** An 11-digit mobile number with a real 13x/15x/18x prefix; not unique. */
export function phoneNumber(random: SeededRandom): string {
  return random.pick(PREFIXES) + String(random.int(0, 99_999_999)).padStart(8, '0');
}
