import { enterpriseHolder, personHolder } from './demoHolder.ts';
import type { DemoHolder } from './demoHolder.ts';
import { demoSizes } from './demoSizes.ts';
import { DEMO_ENTERPRISE_INDEX, enterpriseProfileAt } from './enterpriseRows.ts';
import { addYears, dayNumber, isoDate } from './isoDate.ts';
import { OwnerSerials } from './OwnerSerials.ts';
import { DEMO_PERSON_INDEX, personProfileAt } from './personRows.ts';
import { RANDOM_STREAMS } from './randomStreams.ts';
import { randomDay } from './randomDay.ts';
import { DEMO_PROVINCE } from './regions.ts';
import type { Region } from './regions.ts';
import { seededRandom } from './seededRandom.ts';
import type { SeededRandom } from './seededRandom.ts';

const SERIALS = new OwnerSerials(RANDOM_STREAMS.creditRecordSerial);

/** A row of development-reform `credit_records`; keys are the table's column names. */
export interface CreditRecordRow {
  record_id: string;
  subject_id_number: string | null;
  subject_credit_code: string | null;
  category: 'COMMENDATION' | 'PENALTY' | 'DISHONEST';
  description: string;
  authority: string;
  decided_on: string;
  valid_until: string;
}

type Category = CreditRecordRow['category'];

/** One kind of record: what it says, who decides it, how long it stays on file. */
interface RecordTemplate {
  describe(random: SeededRandom, region: Region, year: number): string;
  authority(region: Region): string;
}

/** Years a record is disclosed: penalties three, dishonesty five, commendations two. */
const VALID_YEARS: Record<Category, number> = { COMMENDATION: 2, PENALTY: 3, DISHONEST: 5 };
const CATEGORY_WEIGHTS: readonly (readonly [Category, number])[] = [
  ['COMMENDATION', 40],
  ['PENALTY', 45],
  ['DISHONEST', 15],
];
/** Records older than this have dropped out of the disclosure period and are not kept. */
const FIRST_RECORD_DAY = dayNumber('2019-01-01');

const court = (r: Region): string => `${r.city}${r.name}人民法院`;
const caseNumber = (random: SeededRandom, r: Region, year: number): string =>
  `（${year}）${DEMO_PROVINCE.short}${r.code.slice(2)}执${random.int(1, 9999)}号`;
const fine = (random: SeededRandom, min: number, max: number): string =>
  `${random.int(min / 100, max / 100) * 100}元`;

const PERSON_TEMPLATES: Record<Category, readonly RecordTemplate[]> = {
  COMMENDATION: [
    {
      describe: (_random, r) => `获评${r.city}“诚信之星”荣誉称号`,
      authority: (r) => `${r.city}精神文明建设委员会办公室`,
    },
    {
      describe: () => '获全国无偿献血奉献奖',
      authority: (r) => `${r.city}卫生健康委员会`,
    },
    {
      describe: () => '见义勇为，获见义勇为先进个人表彰',
      authority: (r) => `${r.city}见义勇为基金会`,
    },
  ],
  PENALTY: [
    {
      describe: (random) =>
        `违反《中华人民共和国道路交通安全法》，处罚款${fine(random, 200, 2000)}`,
      authority: (r) => `${r.city}公安局交通警察支队`,
    },
    {
      describe: (random) => `违反《浙江省生活垃圾管理条例》，处罚款${fine(random, 100, 500)}`,
      authority: (r) => `${r.city}${r.name}综合行政执法局`,
    },
    {
      describe: (random) => `未按期申报个人所得税，处罚款${fine(random, 200, 2000)}`,
      authority: (r) => `国家税务总局${r.city}${r.name}税务局`,
    },
  ],
  DISHONEST: [
    {
      describe: (random, r, year) =>
        `有履行能力而拒不履行生效法律文书确定的义务，被纳入失信被执行人名单，案号${caseNumber(random, r, year)}`,
      authority: court,
    },
    {
      describe: () => '骗取社会保险待遇，被列入社会保险领域严重失信人名单',
      authority: (r) => `${r.city}人力资源和社会保障局`,
    },
  ],
};

const ENTERPRISE_TEMPLATES: Record<Category, readonly RecordTemplate[]> = {
  COMMENDATION: [
    {
      describe: (_random, _r, year) => `${year}年度纳税信用A级纳税人`,
      authority: (r) => `国家税务总局${r.city}税务局`,
    },
    {
      describe: () => '获评“守合同重信用”企业',
      authority: (r) => `${r.city}市场监督管理局`,
    },
    {
      describe: () => '获评劳动保障诚信示范单位',
      authority: (r) => `${r.city}人力资源和社会保障局`,
    },
  ],
  PENALTY: [
    {
      describe: () => '未按规定报送年度报告，被列入经营异常名录',
      authority: (r) => `${r.city}${r.name}市场监督管理局`,
    },
    {
      describe: (random) =>
        `违反《中华人民共和国食品安全法》，没收违法所得并处罚款${fine(random, 5000, 100000)}`,
      authority: (r) => `${r.city}${r.name}市场监督管理局`,
    },
    {
      describe: (random) =>
        `违反《中华人民共和国大气污染防治法》，处罚款${fine(random, 20000, 200000)}`,
      authority: (r) => `${r.city}生态环境局`,
    },
    {
      describe: (random) => `未按期办理纳税申报，处罚款${fine(random, 500, 10000)}`,
      authority: (r) => `国家税务总局${r.city}${r.name}税务局`,
    },
  ],
  DISHONEST: [
    {
      describe: (random, r, year) =>
        `未履行生效法律文书确定的给付义务，被纳入失信被执行人名单，案号${caseNumber(random, r, year)}`,
      authority: court,
    },
    {
      describe: () => '拖欠农民工工资，被列入拖欠农民工工资失信联合惩戒对象名单',
      authority: (r) => `${r.city}人力资源和社会保障局`,
    },
    {
      describe: () => '存在重大税收违法失信行为，被列入重大税收违法失信主体名单',
      authority: (r) => `国家税务总局${r.city}税务局`,
    },
  ],
};

/**
 * The credit records of `holder`, `count` of them, each a decision since 2019
 * (and since the holder existed) kept for its category's disclosure period.
 * IDs are "XY" + region + year + the holder's serial + position: unique.
 */
function recordsOf(
  random: SeededRandom,
  holder: DemoHolder,
  templates: Record<Category, readonly RecordTemplate[]>,
  count: number,
): CreditRecordRow[] {
  const serial = SERIALS.of(holder.owner);
  const rows: CreditRecordRow[] = [];
  for (let position = 0; position < count; position += 1) {
    const category = random.weighted(CATEGORY_WEIGHTS);
    const template = random.pick(templates[category]);
    const decidedDay = randomDay(random, Math.max(holder.sinceDay, FIRST_RECORD_DAY), Infinity);
    const decidedOn = isoDate(decidedDay);
    const year = Number(decidedOn.slice(0, 4));
    rows.push({
      record_id: `XY${holder.region.code}${year}${serial}${position}`,
      subject_id_number: holder.idNumber,
      subject_credit_code: holder.creditCode,
      category,
      description: template.describe(random, holder.region, year),
      authority: template.authority(holder.region),
      decided_on: decidedOn,
      valid_until: isoDate(addYears(decidedDay, VALID_YEARS[category]) - 1),
    });
  }
  return rows;
}

/**
 * The credit records of person `index`: about 20 % have any (17 % one, 3 %
 * two); the demo person always has one.
 */
export function creditRecordsOfPerson(index: number): CreditRecordRow[] {
  const random = seededRandom(RANDOM_STREAMS.personCreditRecords, index);
  let count = random.weighted([
    [0, 80],
    [1, 17],
    [2, 3],
  ]);
  if (index === DEMO_PERSON_INDEX) count = Math.max(count, 1);
  if (count === 0) return [];
  return recordsOf(random, personHolder(index, personProfileAt(index)), PERSON_TEMPLATES, count);
}

/**
 * The credit records of enterprise `index`: none for half, one for 35 %, two
 * for 15 %; the demo enterprise always has at least one.
 */
export function creditRecordsOfEnterprise(index: number): CreditRecordRow[] {
  const random = seededRandom(RANDOM_STREAMS.enterpriseCreditRecords, index);
  let count = random.weighted([
    [0, 50],
    [1, 35],
    [2, 15],
  ]);
  if (index === DEMO_ENTERPRISE_INDEX) count = Math.max(count, 1);
  if (count === 0) return [];
  const holder = enterpriseHolder(index, enterpriseProfileAt(index));
  return recordsOf(random, holder, ENTERPRISE_TEMPLATES, count);
}

/** Every `credit_records` row of `scale`: each person's, then each enterprise's, lazily. */
export function* creditRecordRows(scale: number): Generator<CreditRecordRow> {
  const { persons, enterprises } = demoSizes(scale);
  for (let index = 0; index < persons; index += 1) yield* creditRecordsOfPerson(index);
  for (let index = 0; index < enterprises; index += 1) yield* creditRecordsOfEnterprise(index);
}
