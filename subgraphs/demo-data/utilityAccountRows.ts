import { enterpriseHolder, personHolder } from './demoHolder.ts';
import type { DemoHolder } from './demoHolder.ts';
import { demoSizes } from './demoSizes.ts';
import { enterpriseProfileAt } from './enterpriseRows.ts';
import { dayNumber, isoDate } from './isoDate.ts';
import { OwnerSerials } from './OwnerSerials.ts';
import { DEMO_PERSON_INDEX, personProfileAt } from './personRows.ts';
import { RANDOM_STREAMS } from './randomStreams.ts';
import { randomDay } from './randomDay.ts';
import { seededRandom } from './seededRandom.ts';
import type { SeededRandom } from './seededRandom.ts';

const SERIALS = new OwnerSerials(RANDOM_STREAMS.utilityAccountSerial);

/** A row of city-water `utility_accounts`; keys are the table's column names. */
export interface UtilityAccountRow {
  account_number: string;
  holder_id_number: string | null;
  holder_credit_code: string | null;
  address: string;
  opened_on: string;
  monthly_usage_m3: number;
  arrears: number;
  status: 'ACTIVE' | 'SUSPENDED' | 'CLOSED';
}

/** The water company's records start with its billing system. */
const FIRST_OPENING_DAY = dayNumber('1995-01-01');

/** Usage in tenths of m³ and the tariff in fen per m³, per kind of holder. */
const TARIFFS = {
  person: { minTenths: 30, maxTenths: 300, fenPerM3: 290 },
  enterprise: { minTenths: 200, maxTenths: 50000, fenPerM3: 460 },
} as const;

/** `digits` followed by its Luhn check digit, which catches any single mistyped digit. */
function withLuhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    const weighted = i % 2 === 0 ? digit * 2 : digit;
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return digits + String((10 - (sum % 10)) % 10);
}

/**
 * The water account of `holder` at its own address: monthly usage by kind
 * (3-30 m³ for households, 20-5,000 m³ for enterprises); one in eight owes
 * one to six months of bills, and a third of those are suspended; 4 % are
 * closed. Numbers are region + serial + a Luhn check digit: 16 digits,
 * unique because the serial is.
 */
function accountOf(random: SeededRandom, holder: DemoHolder): UtilityAccountRow {
  const tariff = TARIFFS[holder.owner.kind];
  const usageTenths = random.int(tariff.minTenths, tariff.maxTenths);
  const owing = random.chance(1, 8);
  const months = random.int(1, 6);
  const arrearsFen = owing ? Math.round((usageTenths * tariff.fenPerM3 * months) / 10) : 0;
  const closed = random.chance(4, 100);
  const suspended = owing && random.chance(1, 3);
  const serial = SERIALS.of(holder.owner);
  return {
    account_number: withLuhnCheckDigit(`${holder.region.code}${serial}`),
    holder_id_number: holder.idNumber,
    holder_credit_code: holder.creditCode,
    address: holder.address,
    opened_on: isoDate(randomDay(random, Math.max(holder.sinceDay, FIRST_OPENING_DAY), Infinity)),
    monthly_usage_m3: usageTenths / 10,
    arrears: arrearsFen / 100,
    status: closed ? 'CLOSED' : suspended ? 'SUSPENDED' : 'ACTIVE',
  };
}

/** The water accounts of person `index`: half the people have one; the demo person does. */
export function utilityAccountsOfPerson(index: number): UtilityAccountRow[] {
  const random = seededRandom(RANDOM_STREAMS.personUtilityAccounts, index);
  if (index !== DEMO_PERSON_INDEX && !random.chance(1, 2)) return [];
  return [accountOf(random, personHolder(index, personProfileAt(index)))];
}

/** The water account of enterprise `index`: every enterprise has exactly one. */
export function utilityAccountsOfEnterprise(index: number): UtilityAccountRow[] {
  const random = seededRandom(RANDOM_STREAMS.enterpriseUtilityAccounts, index);
  return [accountOf(random, enterpriseHolder(index, enterpriseProfileAt(index)))];
}

/** Every `utility_accounts` row of `scale`: each person's, then each enterprise's, lazily. */
export function* utilityAccountRows(scale: number): Generator<UtilityAccountRow> {
  const { persons, enterprises } = demoSizes(scale);
  for (let index = 0; index < persons; index += 1) yield* utilityAccountsOfPerson(index);
  for (let index = 0; index < enterprises; index += 1) yield* utilityAccountsOfEnterprise(index);
}
