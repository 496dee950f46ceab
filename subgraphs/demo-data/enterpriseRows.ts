import { checkIndex, demoSizes, MAX_DEMO_SCALE } from './demoSizes.ts';
import {
  ENTERPRISE_KINDS,
  enterpriseName,
  INDUSTRIES,
  TRADE_NAME_COUNT,
  tradeName,
} from './enterpriseName.ts';
import type { EnterpriseKind, Industry } from './enterpriseName.ts';
import { dayNumber, isoDate } from './isoDate.ts';
import { IndexPermutation } from './IndexPermutation.ts';
import { DEMO_PERSON_INDEX, personIdNumberAt } from './personRows.ts';
import { RANDOM_STREAMS } from './randomStreams.ts';
import { randomDay } from './randomDay.ts';
import { DEMO_CITIES, regionsOfCity } from './regions.ts';
import type { Region } from './regions.ts';
import { seededRandom } from './seededRandom.ts';
import type { SeededRandom } from './seededRandom.ts';
import { streetAddress } from './streetAddress.ts';
import {
  CREDIT_CODE_ALPHABET,
  organizationCodeCheckChar,
  unifiedSocialCreditCode,
} from './unifiedSocialCreditCode.ts';

/** A row of market-supervision `enterprises`; keys are the table's column names. */
export interface EnterpriseRow {
  credit_code: string;
  name: string;
  kind: EnterpriseKind;
  legal_rep_id_number: string;
  registered_capital: number;
  established_on: string;
  region_code: string;
  address: string;
  status: 'ACTIVE' | 'REVOKED' | 'CANCELLED';
}

/** What other tables need to know about enterprise `index` besides the row. */
export interface EnterpriseProfile {
  row: EnterpriseRow;
  industry: Industry;
  region: Region;
  /** Date of establishment as a day number. */
  establishedDay: number;
  /** Person index of the legal representative. */
  legalRepIndex: number;
}

/** The enterprise every README example starts from: holds one of everything; person 0 represents it. */
export const DEMO_ENTERPRISE_INDEX = 0;

/** Enterprises exist for a tenth of the people, so at most this many indices. */
const MAX_ENTERPRISES = demoSizes(MAX_DEMO_SCALE).enterprises;
/** Every (city, industry, trade name) triple: names are unique across the demo. */
const NAME_SLOTS = new IndexPermutation(
  DEMO_CITIES.length * INDUSTRIES.length * TRADE_NAME_COUNT,
  RANDOM_STREAMS.enterpriseIdentity,
);
/** From 2016 registrations carry the new-style organisation code "MA" + 6 characters. */
const NEW_STYLE_FROM = dayNumber('2016-01-01');
const NUMERIC_BODIES = new IndexPermutation(100_000_000, RANDOM_STREAMS.numericOrganizationCode);
const LETTER_BODIES = new IndexPermutation(31 ** 6, RANDOM_STREAMS.lettersOrganizationCode);

const ERAS: readonly (readonly [readonly [string, string], number])[] = [
  [['1995-01-01', '2005-12-31'], 15],
  [['2006-01-01', '2015-12-31'], 35],
  [['2016-01-01', '2025-12-31'], 50],
];

/**
 * The 9-character organisation code of enterprise `index`: 8 digits for
 * registrations before 2016, "MA" and 6 credit-code characters after, each
 * from a bijection of the index, then the GB 11714 check character. Unique
 * per index, as the credit code built on it must be.
 */
function organizationCodeOf(index: number, establishedDay: number): string {
  let body: string;
  if (establishedDay < NEW_STYLE_FROM) {
    const number = NUMERIC_BODIES.at(index);
    body = String(number).padStart(8, '0');
  } else {
    let number = LETTER_BODIES.at(index);
    body = '';
    for (let i = 0; i < 6; i += 1) {
      body = CREDIT_CODE_ALPHABET.charAt(number % 31) + body;
      number = Math.floor(number / 31);
    }
    body = `MA${body}`;
  }
  return body + organizationCodeCheckChar(body);
}

/** Registered capital in 10,000 yuan, rounded the way founders round it. */
function registeredCapital(random: SeededRandom, kind: EnterpriseKind): number {
  if (kind === '个人独资企业') return random.int(1, 50);
  if (kind === '股份有限公司') return random.int(10, 1000) * 100;
  const tier = random.weighted<readonly [number, number, number]>([
    [[10, 100, 1], 40],
    [[10, 100, 10], 40],
    [[10, 50, 100], 15],
    [[5, 50, 1000], 5],
  ]);
  return random.int(tier[0], tier[1]) * tier[2];
}

/**
 * The full profile of enterprise `index`. Its (city, industry, trade name)
 * comes from a bijection of the index, so names never repeat; its district,
 * form, capital and dates from its own random stream. Its legal
 * representative is a person in [10·index, 10·index + 9] (person 0 for
 * enterprise 0), an index that exists at every scale where the enterprise
 * does, so the reference always resolves.
 */
export function enterpriseProfileAt(index: number): EnterpriseProfile {
  checkIndex(index, MAX_ENTERPRISES, 'enterprise');
  const slot = NAME_SLOTS.at(index);
  const trade = tradeName(slot % TRADE_NAME_COUNT);
  const rest = Math.floor(slot / TRADE_NAME_COUNT);
  const industry = INDUSTRIES[rest % INDUSTRIES.length] ?? INDUSTRIES[0];
  const city = DEMO_CITIES[Math.floor(rest / INDUSTRIES.length)] ?? '';
  const random = seededRandom(RANDOM_STREAMS.enterprise, index);
  const region = random.pick(regionsOfCity(city));
  const kind = random.weighted<EnterpriseKind>([
    [ENTERPRISE_KINDS[0], 80],
    [ENTERPRISE_KINDS[1], 5],
    [ENTERPRISE_KINDS[2], 15],
  ]);
  const [from, to] = random.weighted(ERAS);
  const establishedDay = randomDay(random, dayNumber(from), dayNumber(to));
  const legalRepIndex =
    index === DEMO_ENTERPRISE_INDEX ? DEMO_PERSON_INDEX : 10 * index + random.int(0, 9);
  const status = random.weighted<EnterpriseRow['status']>([
    ['ACTIVE', 90],
    ['CANCELLED', 6],
    ['REVOKED', 4],
  ]);
  const row: EnterpriseRow = {
    credit_code: unifiedSocialCreditCode({
      authority: '9',
      type: '1',
      regionCode: region.code,
      organizationCode: organizationCodeOf(index, establishedDay),
    }),
    name: enterpriseName({
      cityShort: region.cityShort,
      trade,
      industry,
      kind,
      suffixChoice: random.int(0, 2),
    }),
    kind,
    legal_rep_id_number: personIdNumberAt(legalRepIndex),
    registered_capital: registeredCapital(random, kind),
    established_on: isoDate(establishedDay),
    region_code: region.code,
    address: streetAddress(random, region, 'business'),
    status: index === DEMO_ENTERPRISE_INDEX ? 'ACTIVE' : status,
  };
  return { row, industry, region, establishedDay, legalRepIndex };
}

/** The `enterprises` row of enterprise `index`. */
export function enterpriseAt(index: number): EnterpriseRow {
  return enterpriseProfileAt(index).row;
}

/** The credit code of enterprise `index`, for rows of other departments that refer to it. */
export function enterpriseCreditCodeAt(index: number): string {
  return enterpriseAt(index).credit_code;
}

/** Every `enterprises` row of `scale`, in index order, generated lazily. */
export function* enterpriseRows(scale: number): Generator<EnterpriseRow> {
  const { enterprises } = demoSizes(scale);
  for (let index = 0; index < enterprises; index += 1) yield enterpriseAt(index);
}
