import { chineseName } from './chineseName.ts';
import { checkIndex, demoSizes, MAX_DEMO_SCALE } from './demoSizes.ts';
import { addYears, dayNumber, isoDate } from './isoDate.ts';
import { IndexPermutation } from './IndexPermutation.ts';
import { phoneNumber } from './phoneNumber.ts';
import { RANDOM_STREAMS } from './randomStreams.ts';
import { REGIONS, regionAt } from './regions.ts';
import type { Region } from './regions.ts';
import { residentIdNumber } from './residentIdNumber.ts';
import { seededRandom } from './seededRandom.ts';
import { streetAddress } from './streetAddress.ts';

/** A row of public-security `persons`; keys are the table's column names. */
export interface PersonRow {
  id_number: string;
  name: string;
  gender: 'M' | 'F';
  birth_date: string;
  ethnicity: string;
  region_code: string;
  address: string;
  phone: string;
}

/** What other tables need to know about person `index` besides the row. */
export interface PersonProfile {
  row: PersonRow;
  /** Birth date as a day number. */
  birthDay: number;
  /** Region of registered residence (the row's region_code). */
  region: Region;
}

/** The person every README example starts from: holds one of everything. */
export const DEMO_PERSON_INDEX = 0;

const FIRST_BIRTH_DAY = dayNumber('1945-01-01');
const BIRTH_DAYS = dayNumber('2006-12-31') - FIRST_BIRTH_DAY + 1;
/** Order codes 001..999, so no number carries the unusual 000. */
const SEQUENCES = 999;
/** Every (birth region, birth date, order code) triple: about 452 million ID numbers. */
const ID_SLOTS = new IndexPermutation(
  REGIONS.length * BIRTH_DAYS * SEQUENCES,
  RANDOM_STREAMS.personIdentity,
);

const ETHNICITIES: readonly (readonly [string, number])[] = [
  ['汉族', 970],
  ['畲族', 12],
  ['回族', 6],
  ['满族', 4],
  ['土家族', 4],
  ['苗族', 4],
];

/**
 * Person `index`'s ID number, sex and birth date, without the rest of the row.
 * The index is mapped by a keyed bijection onto (birth region, birth date,
 * order code), so ID numbers are unique for every index yet consecutive
 * persons look unrelated; the order code's parity gives the sex (odd male).
 */
function identityAt(index: number): { idNumber: string; birthDay: number; birthRegion: Region } {
  checkIndex(index, MAX_DEMO_SCALE, 'person');
  const slot = ID_SLOTS.at(index);
  const sequence = 1 + (slot % SEQUENCES);
  const rest = Math.floor(slot / SEQUENCES);
  const birthDay = FIRST_BIRTH_DAY + (rest % BIRTH_DAYS);
  const birthRegion = regionAt(Math.floor(rest / BIRTH_DAYS));
  const idNumber = residentIdNumber({
    regionCode: birthRegion.code,
    birthDate: isoDate(birthDay),
    sequence,
  });
  return { idNumber, birthDay, birthRegion };
}

/**
 * The resident ID number of person `index`: cheap, and the same number every
 * department's rows use for that person, so any of them can refer to a person
 * without reading the public-security database.
 */
export function personIdNumberAt(index: number): string {
  return identityAt(index).idNumber;
}

/**
 * The full profile of person `index`: born 1945-2006 in one of the demo
 * regions, registered there three times in four (elsewhere in the province
 * otherwise), Han in 97 % of cases with the province's She, Hui and other
 * minorities making up the rest.
 */
export function personProfileAt(index: number): PersonProfile {
  const { idNumber, birthDay, birthRegion } = identityAt(index);
  const random = seededRandom(RANDOM_STREAMS.person, index);
  const gender = Number(idNumber.charAt(16)) % 2 === 1 ? 'M' : 'F';
  const region = random.chance(3, 4) ? birthRegion : random.pick(REGIONS);
  const row: PersonRow = {
    id_number: idNumber,
    name: chineseName(random, gender),
    gender,
    birth_date: isoDate(birthDay),
    ethnicity: random.weighted(ETHNICITIES),
    region_code: region.code,
    address: streetAddress(random, region, 'home'),
    phone: phoneNumber(random),
  };
  return { row, birthDay, region };
}

/** The `persons` row of person `index` (0 <= index < MAX_DEMO_SCALE). */
export function personAt(index: number): PersonRow {
  return personProfileAt(index).row;
}

/** The 18th birthday of the profiled person: no licence or record of theirs precedes it. */
export function adulthoodDay(profile: PersonProfile): number {
  return addYears(profile.birthDay, 18);
}

/** Every `persons` row of `scale`, in index order, generated lazily. */
export function* personRows(scale: number): Generator<PersonRow> {
  const { persons } = demoSizes(scale);
  for (let index = 0; index < persons; index += 1) yield personAt(index);
}
