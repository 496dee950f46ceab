import { enterpriseHolder, personHolder } from './demoHolder.ts';
import type { DemoHolder } from './demoHolder.ts';
import { demoSizes } from './demoSizes.ts';
import type { Industry } from './enterpriseName.ts';
import { DEMO_ENTERPRISE_INDEX, enterpriseProfileAt } from './enterpriseRows.ts';
import { addYears, dayNumber, isoDate } from './isoDate.ts';
import { OwnerSerials } from './OwnerSerials.ts';
import { DEMO_PERSON_INDEX, personProfileAt } from './personRows.ts';
import { RANDOM_STREAMS } from './randomStreams.ts';
import { randomDay } from './randomDay.ts';
import { seededRandom } from './seededRandom.ts';
import type { SeededRandom } from './seededRandom.ts';

const SERIALS = new OwnerSerials(RANDOM_STREAMS.landParcelSerial);

/** A row of natural-resources `land_parcels`; keys are the table's column names. */
export interface LandParcelRow {
  parcel_code: string;
  holder_id_number: string | null;
  holder_credit_code: string | null;
  land_use: string;
  area_sqm: number;
  right_type: 'OWNERSHIP' | 'USE_RIGHT' | 'LEASE';
  region_code: string;
  registered_on: string;
}

/**
 * A kind of parcel: its land use (GB/T 21010 names), the two-letter parcel
 * feature code of the real-estate unit code (first letter G state-owned or J
 * collective; second B construction-land use right, C homestead, D contracted
 * farmland, E forest land), the right held and the area range in square metres.
 */
interface ParcelKind {
  landUse: string;
  featureCode: string;
  rightType: LandParcelRow['right_type'];
  minArea: number;
  maxArea: number;
}

const URBAN_HOME: ParcelKind = {
  landUse: '住宅用地',
  featureCode: 'GB',
  rightType: 'OWNERSHIP',
  minArea: 40,
  maxArea: 220,
};
const HOMESTEAD: ParcelKind = {
  landUse: '农村宅基地',
  featureCode: 'JC',
  rightType: 'USE_RIGHT',
  minArea: 80,
  maxArea: 200,
};
const FARMLAND: ParcelKind = {
  landUse: '耕地',
  featureCode: 'JD',
  rightType: 'LEASE',
  minArea: 600,
  maxArea: 8000,
};
const INDUSTRIAL: ParcelKind = {
  landUse: '工业用地',
  featureCode: 'GB',
  rightType: 'USE_RIGHT',
  minArea: 2000,
  maxArea: 80000,
};
const COMMERCIAL: ParcelKind = {
  landUse: '商业用地',
  featureCode: 'GB',
  rightType: 'USE_RIGHT',
  minArea: 300,
  maxArea: 20000,
};
const OFFICE: ParcelKind = {
  landUse: '商务金融用地',
  featureCode: 'GB',
  rightType: 'OWNERSHIP',
  minArea: 200,
  maxArea: 5000,
};
const WAREHOUSE: ParcelKind = {
  landUse: '仓储用地',
  featureCode: 'GB',
  rightType: 'LEASE',
  minArea: 1000,
  maxArea: 30000,
};
const DEVELOPMENT: ParcelKind = {
  landUse: '城镇住宅用地',
  featureCode: 'GB',
  rightType: 'USE_RIGHT',
  minArea: 5000,
  maxArea: 100000,
};
const LARGE_FARM: ParcelKind = { ...FARMLAND, minArea: 6000, maxArea: 200000 };
const FOREST: ParcelKind = {
  landUse: '林地',
  featureCode: 'JE',
  rightType: 'LEASE',
  minArea: 10000,
  maxArea: 300000,
};

type Choices = readonly (readonly [ParcelKind, number])[];

const PERSON_KINDS: Choices = [
  [URBAN_HOME, 55],
  [HOMESTEAD, 30],
  [FARMLAND, 15],
];
const MANUFACTURING: Choices = [
  [INDUSTRIAL, 70],
  [WAREHOUSE, 20],
  [COMMERCIAL, 10],
];
const DEFAULT_ENTERPRISE_KINDS: Choices = [
  [COMMERCIAL, 40],
  [OFFICE, 25],
  [INDUSTRIAL, 20],
  [WAREHOUSE, 15],
];
const INDUSTRY_KINDS: Partial<Record<Industry, Choices>> = {
  机械制造: MANUFACTURING,
  电子: MANUFACTURING,
  电气: MANUFACTURING,
  纺织: MANUFACTURING,
  服装: MANUFACTURING,
  建材: MANUFACTURING,
  食品: MANUFACTURING,
  医药: MANUFACTURING,
  生物科技: MANUFACTURING,
  环保科技: MANUFACTURING,
  物流: [
    [WAREHOUSE, 80],
    [INDUSTRIAL, 20],
  ],
  房地产开发: [
    [DEVELOPMENT, 80],
    [COMMERCIAL, 20],
  ],
  农业开发: [
    [LARGE_FARM, 70],
    [FOREST, 30],
  ],
};

/** Registers kept digitally start here; earlier parcels were re-registered on digitisation. */
const FIRST_REGISTRATION_DAY = dayNumber('1998-01-01');

/**
 * The parcels of `holder`, `count` of them, in the holder's region. Codes are
 * region (6) + cadastral block (6) + feature code (2) + sequence (5): the
 * holder's 9-digit serial gives the block (its first six digits) and the
 * sequence (its last three, then the parcel's 2-digit position from 01), so
 * codes are unique across the table.
 */
function parcelsOf(
  random: SeededRandom,
  holder: DemoHolder,
  choices: Choices,
  count: number,
): LandParcelRow[] {
  const serial = SERIALS.of(holder.owner);
  const block = serial.slice(0, 6);
  const serialTail = serial.slice(6);
  const rows: LandParcelRow[] = [];
  for (let position = 0; position < count; position += 1) {
    const kind = random.weighted(choices);
    const area = random.int(kind.minArea * 100, kind.maxArea * 100) / 100;
    const since = holder.owner.kind === 'person' ? addYears(holder.sinceDay, 2) : holder.sinceDay;
    const registeredDay = randomDay(random, Math.max(since, FIRST_REGISTRATION_DAY), Infinity);
    rows.push({
      parcel_code: `${holder.region.code}${block}${kind.featureCode}${serialTail}${String(position + 1).padStart(2, '0')}`,
      holder_id_number: holder.idNumber,
      holder_credit_code: holder.creditCode,
      land_use: kind.landUse,
      area_sqm: area,
      right_type: kind.rightType,
      region_code: holder.region.code,
      registered_on: isoDate(registeredDay),
    });
  }
  return rows;
}

/**
 * The parcels of person `index`: a quarter hold one (22 %) or two (3 %),
 * homes, homesteads or contracted farmland; the demo person holds one.
 */
export function landParcelsOfPerson(index: number): LandParcelRow[] {
  const random = seededRandom(RANDOM_STREAMS.personLandParcels, index);
  let count = random.weighted([
    [0, 75],
    [1, 22],
    [2, 3],
  ]);
  if (index === DEMO_PERSON_INDEX) count = Math.max(count, 1);
  if (count === 0) return [];
  return parcelsOf(random, personHolder(index, personProfileAt(index)), PERSON_KINDS, count);
}

/**
 * The parcels of enterprise `index`: half hold one, of a use that fits the
 * trade (plants for manufacturers, warehouses for logistics, farmland for
 * agriculture); the demo enterprise holds one.
 */
export function landParcelsOfEnterprise(index: number): LandParcelRow[] {
  const random = seededRandom(RANDOM_STREAMS.enterpriseLandParcels, index);
  const count = index === DEMO_ENTERPRISE_INDEX || random.chance(1, 2) ? 1 : 0;
  if (count === 0) return [];
  const profile = enterpriseProfileAt(index);
  const choices = INDUSTRY_KINDS[profile.industry] ?? DEFAULT_ENTERPRISE_KINDS;
  return parcelsOf(random, enterpriseHolder(index, profile), choices, count);
}

/** Every `land_parcels` row of `scale`: each person's, then each enterprise's, lazily. */
export function* landParcelRows(scale: number): Generator<LandParcelRow> {
  const { persons, enterprises } = demoSizes(scale);
  for (let index = 0; index < persons; index += 1) yield* landParcelsOfPerson(index);
  for (let index = 0; index < enterprises; index += 1) yield* landParcelsOfEnterprise(index);
}
