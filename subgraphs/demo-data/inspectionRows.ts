import { demoSizes } from './demoSizes.ts';
import { DEMO_ENTERPRISE_INDEX, enterpriseProfileAt } from './enterpriseRows.ts';
import { dayNumber, isoDate } from './isoDate.ts';
import { OwnerSerials } from './OwnerSerials.ts';
import { RANDOM_STREAMS } from './randomStreams.ts';
import { randomDay } from './randomDay.ts';
import type { Region } from './regions.ts';
import { seededRandom } from './seededRandom.ts';

const SERIALS = new OwnerSerials(RANDOM_STREAMS.inspectionSerial);

/** A row of market-supervision `inspections`; keys are the table's column names. */
export interface InspectionRow {
  inspection_id: string;
  credit_code: string;
  inspected_on: string;
  inspector_unit: string;
  result: 'PASSED' | 'RECTIFY' | 'FAILED';
  notes: string;
}

/** "Double random, one public" spot checks, the kind recorded here, began nationwide in 2019. */
const FIRST_INSPECTION_DAY = dayNumber('2019-01-01');

const UNITS: readonly ((r: Region) => string)[] = [
  (r) => `${r.city}${r.name}市场监督管理局`,
  (r) => `${r.city}市场监督管理局`,
  (r) => `${r.city}市场监督管理局稽查支队`,
];

const NOTES: Record<InspectionRow['result'], readonly string[]> = {
  PASSED: [
    '“双随机、一公开”抽查，未发现问题',
    '证照齐全，经营场所与登记一致',
    '年报公示信息核查无异常',
  ],
  RECTIFY: [
    '未在经营场所醒目位置公示营业执照，责令限期改正',
    '进货查验记录不完整，责令限期整改',
    '年报公示信息与实际不符，责令更正',
    '消防通道堆放杂物，责令立即整改',
  ],
  FAILED: [
    '通过登记的住所无法联系，列入经营异常名录',
    '超范围经营，已立案调查',
    '抽检产品不合格，已立案调查',
  ],
};

/**
 * The inspections of enterprise `index`: none for 40 %, one for 40 %, two for
 * 20 % (at least one for the demo enterprise), since 2019 and since its
 * establishment; 70 % pass, 22 % must rectify, 8 % fail. IDs are "JC" +
 * region + year + the enterprise's serial + position: unique.
 */
export function inspectionsOfEnterprise(index: number): InspectionRow[] {
  const random = seededRandom(RANDOM_STREAMS.enterpriseInspections, index);
  let count = random.weighted([
    [0, 40],
    [1, 40],
    [2, 20],
  ]);
  if (index === DEMO_ENTERPRISE_INDEX) count = Math.max(count, 1);
  if (count === 0) return [];
  const profile = enterpriseProfileAt(index);
  const serial = SERIALS.of({ kind: 'enterprise', index });
  const rows: InspectionRow[] = [];
  for (let position = 0; position < count; position += 1) {
    const day = randomDay(random, Math.max(profile.establishedDay, FIRST_INSPECTION_DAY), Infinity);
    const inspectedOn = isoDate(day);
    const result = random.weighted<InspectionRow['result']>([
      ['PASSED', 70],
      ['RECTIFY', 22],
      ['FAILED', 8],
    ]);
    rows.push({
      inspection_id: `JC${profile.region.code}${inspectedOn.slice(0, 4)}${serial}${position}`,
      credit_code: profile.row.credit_code,
      inspected_on: inspectedOn,
      inspector_unit: random.pick(UNITS)(profile.region),
      result,
      notes: random.pick(NOTES[result]),
    });
  }
  return rows;
}

/** Every `inspections` row of `scale`, enterprise by enterprise, lazily. */
export function* inspectionRows(scale: number): Generator<InspectionRow> {
  const { enterprises } = demoSizes(scale);
  for (let index = 0; index < enterprises; index += 1) yield* inspectionsOfEnterprise(index);
}
