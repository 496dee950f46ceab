/** One county-level administrative division of the demo province. */
export interface Region {
  /** 6-digit GB/T 2260 code. */
  code: string;
  /** The division's own name, e.g. 西湖区. */
  name: string;
  /** Its prefecture-level city, e.g. 杭州市. */
  city: string;
  /** The city without 市, as used at the head of enterprise names, e.g. 杭州. */
  cityShort: string;
}

/** The demo province: every region, address and code of the demo data lies in it. */
export const DEMO_PROVINCE = { code: '330000', name: '浙江省', short: '浙' } as const;

const city = (cityName: string, entries: readonly (readonly [string, string])[]): Region[] =>
  entries.map(([code, name]) => ({ code, name, city: cityName, cityShort: cityName.slice(0, -1) }));

/**
 * Twenty real county-level divisions of Zhejiang (codes as in force since the
 * 2021 Hangzhou redistricting) across three cities. The order is part of the
 * data: generated rows refer to regions by position.
 */
export const REGIONS: readonly Region[] = [
  ...city('杭州市', [
    ['330102', '上城区'],
    ['330105', '拱墅区'],
    ['330106', '西湖区'],
    ['330108', '滨江区'],
    ['330109', '萧山区'],
    ['330110', '余杭区'],
    ['330113', '临平区'],
    ['330114', '钱塘区'],
  ]),
  ...city('宁波市', [
    ['330203', '海曙区'],
    ['330205', '江北区'],
    ['330206', '北仑区'],
    ['330211', '镇海区'],
    ['330212', '鄞州区'],
    ['330282', '慈溪市'],
  ]),
  ...city('温州市', [
    ['330302', '鹿城区'],
    ['330303', '龙湾区'],
    ['330304', '瓯海区'],
    ['330324', '永嘉县'],
    ['330381', '瑞安市'],
    ['330382', '乐清市'],
  ]),
];

/** The distinct cities of {@link REGIONS}, in order of first appearance. */
export const DEMO_CITIES: readonly string[] = [...new Set(REGIONS.map((r) => r.city))];

/** The region at `position` of {@link REGIONS}; throws when out of range. */
export function regionAt(position: number): Region {
  const region = REGIONS[position];
  if (!region) throw new RangeError(`no region at position ${position}`);
  return region;
}

/** The region with GB/T 2260 `code`, or undefined when it is not a demo region. */
export function regionByCode(code: string): Region | undefined {
  return REGIONS.find((region) => region.code === code);
}

const REGIONS_BY_CITY = new Map(
  DEMO_CITIES.map((cityName) => [cityName, REGIONS.filter((r) => r.city === cityName)] as const),
);

/** The regions of `cityName`, in table order; empty for a city outside the demo. */
export function regionsOfCity(cityName: string): readonly Region[] {
  return REGIONS_BY_CITY.get(cityName) ?? [];
}
