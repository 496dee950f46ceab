import { DEMO_PROVINCE } from './regions.ts';
import type { Region } from './regions.ts';
import type { SeededRandom } from './seededRandom.ts';

/** Road names common to most Chinese cities, so none claims a real building. */
const ROADS = [
  '人民路',
  '解放路',
  '中山路',
  '建设路',
  '文化路',
  '新华路',
  '和平路',
  '环城北路',
  '环城南路',
  '体育场路',
  '学院路',
  '科技路',
  '创业路',
  '工业路',
  '滨江路',
  '江南大道',
  '世纪大道',
  '迎宾大道',
  '东风路',
  '青年路',
  '湖滨路',
  '望江路',
  '凤起路',
  '明珠路',
];
const COMMUNITIES = [
  '阳光花园',
  '翠苑小区',
  '金色家园',
  '春江花苑',
  '明珠花苑',
  '东方名苑',
  '锦绣华庭',
  '滨江花园',
  '新华小区',
  '香樟公寓',
  '湖畔居',
  '枫林苑',
  '紫荆花园',
  '梧桐苑',
  '和睦新村',
  '丽水家园',
];
const PARKS = ['科技园', '创业园', '工业园', '商务中心', '产业园', '大厦'];

/**
 * A full postal address inside `region`: province, city, district, road and
 * number, then a flat (`home`) or an office or plant (`business`). At most
 * about 50 characters, well inside the 128 of the address columns.
 */
export function streetAddress(
  random: SeededRandom,
  region: Region,
  use: 'home' | 'business',
): string {
  const head = `${DEMO_PROVINCE.name}${region.city}${region.name}${random.pick(ROADS)}${random.int(1, 999)}号`;
  if (use === 'home') {
    const floor = random.int(1, 28);
    const flat = `${floor}${String(random.int(1, 4)).padStart(2, '0')}`;
    return `${head}${random.pick(COMMUNITIES)}${random.int(1, 36)}幢${random.int(1, 4)}单元${flat}室`;
  }
  if (random.chance(1, 3)) return `${head}${random.pick(PARKS)}${random.int(1, 12)}幢`;
  const floor = random.int(1, 30);
  return `${head}${floor}楼${floor}${String(random.int(1, 20)).padStart(2, '0')}室`;
}
