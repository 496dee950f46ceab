import { DEMO_REFERENCE_DAY } from './demoReferenceDate.ts';
import { enterpriseHolder, personHolder } from './demoHolder.ts';
import type { DemoHolder } from './demoHolder.ts';
import { demoSizes } from './demoSizes.ts';
import type { Industry } from './enterpriseName.ts';
import { enterpriseProfileAt } from './enterpriseRows.ts';
import { addYears, isoDate } from './isoDate.ts';
import { OwnerSerials } from './OwnerSerials.ts';
import { DEMO_PERSON_INDEX, personProfileAt } from './personRows.ts';
import { RANDOM_STREAMS } from './randomStreams.ts';
import { recentDay } from './randomDay.ts';
import type { Region } from './regions.ts';
import { seededRandom } from './seededRandom.ts';
import type { SeededRandom } from './seededRandom.ts';

const SERIALS = new OwnerSerials(RANDOM_STREAMS.licenseSerial);

/** A row of business-environment `licenses`; keys are the table's column names. */
export interface LicenseRow {
  license_number: string;
  kind: string;
  holder_id_number: string | null;
  holder_credit_code: string | null;
  issuer: string;
  issued_on: string;
  valid_until: string;
  status: 'VALID' | 'EXPIRED' | 'REVOKED';
}

/** One kind of licence: its name, number prefix, term and issuing authority. */
interface LicenseKind {
  kind: string;
  /**
   * Two letters heading the number: `prefix + region + issue year + serial +
   * position` (22 characters). Null when the number is the holder's own key.
   */
  prefix: string | null;
  years: number;
  issuer(region: Region): string;
}

const marketSupervision = (r: Region): string => `${r.city}${r.name}市场监督管理局`;

const BUSINESS_LICENSE = '营业执照';
/**
 * A business licence runs for the enterprise's business term: 50 years here
 * (a common term), so no active enterprise of the demo has outlived it.
 */
const BUSINESS_TERM_YEARS = 50;

/** Numbered with the holder's ID number, as Chinese driving licences are. */
const DRIVING: LicenseKind = {
  kind: '机动车驾驶证',
  prefix: null,
  years: 10,
  issuer: (r) => `${r.city}公安局交通警察支队`,
};

const FOOD: LicenseKind = {
  kind: '食品经营许可证',
  prefix: 'JY',
  years: 5,
  issuer: marketSupervision,
};
const SPECIAL_WORK: LicenseKind = {
  kind: '特种作业操作证',
  prefix: 'TZ',
  years: 6,
  issuer: () => '浙江省应急管理厅',
};
const GUIDE: LicenseKind = {
  kind: '导游证',
  prefix: 'DG',
  years: 3,
  issuer: () => '浙江省文化和旅游厅',
};
const ROAD_WORKER: LicenseKind = {
  kind: '道路运输从业人员从业资格证',
  prefix: 'CY',
  years: 6,
  issuer: (r) => `${r.city}交通运输局`,
};
const TOBACCO: LicenseKind = {
  kind: '烟草专卖零售许可证',
  prefix: 'YC',
  years: 5,
  issuer: (r) => `${r.city}烟草专卖局`,
};
const CONSTRUCTION: LicenseKind = {
  kind: '建筑施工许可证',
  prefix: 'SG',
  years: 3,
  issuer: (r) => `${r.city}${r.name}住房和城乡建设局`,
};
const POLLUTANT: LicenseKind = {
  kind: '排污许可证',
  prefix: 'PW',
  years: 5,
  issuer: (r) => `${r.city}生态环境局`,
};
const DRUG: LicenseKind = {
  kind: '药品经营许可证',
  prefix: 'YP',
  years: 5,
  issuer: () => '浙江省药品监督管理局',
};
const ROAD_TRANSPORT: LicenseKind = {
  kind: '道路运输经营许可证',
  prefix: 'YS',
  years: 4,
  issuer: (r) => `${r.city}交通运输局`,
};
const TELECOM: LicenseKind = {
  kind: '增值电信业务经营许可证',
  prefix: 'ZX',
  years: 5,
  issuer: () => '浙江省通信管理局',
};
const WATER_INTAKE: LicenseKind = {
  kind: '取水许可证',
  prefix: 'QS',
  years: 5,
  issuer: (r) => `${r.city}水利局`,
};

/** Licences a person may hold besides a driving licence, with relative frequency. */
const PERSON_KINDS: readonly (readonly [LicenseKind, number])[] = [
  [DRIVING, 60],
  [FOOD, 10],
  [SPECIAL_WORK, 10],
  [ROAD_WORKER, 10],
  [TOBACCO, 7],
  [GUIDE, 3],
];

/** Licences an enterprise's trade calls for; others may hold {@link GENERAL_KINDS} only. */
const INDUSTRY_KINDS: Partial<Record<Industry, readonly LicenseKind[]>> = {
  餐饮管理: [FOOD],
  食品: [FOOD, POLLUTANT],
  建筑工程: [CONSTRUCTION],
  房地产开发: [CONSTRUCTION],
  建材: [POLLUTANT],
  物流: [ROAD_TRANSPORT],
  汽车服务: [ROAD_TRANSPORT],
  医药: [DRUG, POLLUTANT],
  生物科技: [POLLUTANT, DRUG],
  机械制造: [POLLUTANT],
  电子: [POLLUTANT],
  电气: [POLLUTANT],
  纺织: [POLLUTANT, WATER_INTAKE],
  服装: [POLLUTANT],
  环保科技: [POLLUTANT],
  网络科技: [TELECOM],
  信息技术: [TELECOM],
  文化传媒: [TELECOM],
  贸易: [FOOD, TOBACCO],
  商贸: [TOBACCO, FOOD],
  农业开发: [WATER_INTAKE],
};
/** Licences any enterprise may hold: a staff canteen, its own well. */
const GENERAL_KINDS: readonly LicenseKind[] = [FOOD, WATER_INTAKE];

/** Up to `count` distinct kinds, weighted, without repeats. */
function distinctKinds<T>(
  random: SeededRandom,
  choices: readonly (readonly [T, number])[],
  count: number,
): T[] {
  const chosen: T[] = [];
  let left = choices;
  while (chosen.length < count && left.length > 0) {
    const kind = random.weighted(left);
    chosen.push(kind);
    left = left.filter(([k]) => k !== kind);
  }
  return chosen;
}

/**
 * A current licence of `kind` for `holder`: issued within its term plus a
 * year before the reference date (so about one in `years + 1` has expired),
 * never before the holder could hold it; revoked in 2 % of cases.
 */
function licenseRow(
  random: SeededRandom,
  holder: DemoHolder,
  kind: LicenseKind,
  position: number,
): LicenseRow {
  const issuedDay = recentDay(random, holder.sinceDay, (kind.years + 1) * 365);
  const validUntilDay = addYears(issuedDay, kind.years) - 1;
  const issuedOn = isoDate(issuedDay);
  const serial = SERIALS.of(holder.owner);
  return {
    license_number:
      kind.prefix === null
        ? (holder.idNumber ?? holder.creditCode ?? '')
        : `${kind.prefix}${holder.region.code}${issuedOn.slice(0, 4)}${serial}${position}`,
    kind: kind.kind,
    holder_id_number: holder.idNumber,
    holder_credit_code: holder.creditCode,
    issuer: kind.issuer(holder.region),
    issued_on: issuedOn,
    valid_until: isoDate(validUntilDay),
    status: random.chance(2, 100)
      ? 'REVOKED'
      : validUntilDay < DEMO_REFERENCE_DAY
        ? 'EXPIRED'
        : 'VALID',
  };
}

/**
 * The licences of person `index`: none for 45 %, one for 35 %, two for 15 %,
 * three for 5 % (at least one for the demo person), all of different kinds.
 * A driving licence is numbered with the holder's ID number, as in China;
 * other numbers come from the person's serial, so all are unique.
 */
export function licensesOfPerson(index: number): LicenseRow[] {
  const random = seededRandom(RANDOM_STREAMS.personLicenses, index);
  let count = random.weighted([
    [0, 45],
    [1, 35],
    [2, 15],
    [3, 5],
  ]);
  if (index === DEMO_PERSON_INDEX) count = Math.max(count, 1);
  if (count === 0) return [];
  const holder = personHolder(index, personProfileAt(index));
  return distinctKinds(random, PERSON_KINDS, count).map((kind, position) =>
    licenseRow(random, holder, kind, position),
  );
}

/**
 * The licences of enterprise `index`: always its business licence (numbered
 * with its credit code, issued on establishment, revoked with the enterprise,
 * like its other licences), plus none (50 %), one (35 %) or two (15 %) licences its trade
 * calls for.
 */
export function licensesOfEnterprise(index: number): LicenseRow[] {
  const random = seededRandom(RANDOM_STREAMS.enterpriseLicenses, index);
  const profile = enterpriseProfileAt(index);
  const holder = enterpriseHolder(index, profile);
  const extra = random.weighted([
    [0, 50],
    [1, 35],
    [2, 15],
  ]);
  const own = INDUSTRY_KINDS[profile.industry] ?? [];
  const pool = [...own, ...GENERAL_KINDS.filter((kind) => !own.includes(kind))];
  const kinds = distinctKinds(
    random,
    pool.map((kind) => [kind, own.includes(kind) ? 4 : 1] as const),
    extra,
  );
  const { status } = profile.row;
  // A revoked or cancelled enterprise's licences are withdrawn with it.
  const closed: LicenseRow['status'] | null = status === 'ACTIVE' ? null : 'REVOKED';
  const businessLicense: LicenseRow = {
    license_number: profile.row.credit_code,
    kind: BUSINESS_LICENSE,
    holder_id_number: null,
    holder_credit_code: profile.row.credit_code,
    issuer: marketSupervision(profile.region),
    issued_on: profile.row.established_on,
    valid_until: isoDate(addYears(profile.establishedDay, BUSINESS_TERM_YEARS) - 1),
    status: closed ?? 'VALID',
  };
  const others = kinds.map((kind, position) => {
    const row = licenseRow(random, holder, kind, position + 1);
    return closed ? { ...row, status: closed } : row;
  });
  return [businessLicense, ...others];
}

/** Every `licenses` row of `scale`: each person's, then each enterprise's, generated lazily. */
export function* licenseRows(scale: number): Generator<LicenseRow> {
  const { persons, enterprises } = demoSizes(scale);
  for (let index = 0; index < persons; index += 1) yield* licensesOfPerson(index);
  for (let index = 0; index < enterprises; index += 1) yield* licensesOfEnterprise(index);
}
