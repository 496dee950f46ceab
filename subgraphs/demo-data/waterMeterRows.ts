import { DEMO_REFERENCE_DAY } from './demoReferenceDate.ts';
import { IndexPermutation } from './IndexPermutation.ts';
import { dayNumber } from './isoDate.ts';
import { RANDOM_STREAMS } from './randomStreams.ts';
import { utilityAccountRows } from './utilityAccountRows.ts';

/** Meter serials: ten digits hold every 32-bit number. */
const METER_SERIALS = new IndexPermutation(2 ** 32, RANDOM_STREAMS.waterMeterSerial);

/** A row of city-water `water_meters`; keys are the table's column names. */
export interface WaterMeterRow {
  meter_no: string;
  account_number: string;
  installed_on: string;
  last_reading_m3: number;
}

/**
 * Every `water_meters` row of `scale`, lazily: one meter per water account,
 * installed when the account was opened, its reading the account's monthly
 * usage over the months since (to the demo's reference date). A meter's number
 * is `WM` and ten digits of a serial of its own, scattered so that nothing of
 * the account (its number, its address's district, its position in the list)
 * can be read from it. The table is in
 * the demo but in no catalogue entry: it is the "existing table" department IT
 * turns into a dataset in the README's walk-through (`govdata dataset init`).
 */
export function* waterMeterRows(scale: number): Generator<WaterMeterRow> {
  let index = 0;
  for (const account of utilityAccountRows(scale)) {
    const months = Math.floor((DEMO_REFERENCE_DAY - dayNumber(account.opened_on)) / 30.4375);
    yield {
      meter_no: `WM${String(METER_SERIALS.at(index++)).padStart(10, '0')}`,
      account_number: account.account_number,
      installed_on: account.opened_on,
      last_reading_m3: Math.round(account.monthly_usage_m3 * months * 10) / 10,
    };
  }
}
