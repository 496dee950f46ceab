/**
 * Characters used for trade names (字号), two per name. Every character is
 * distinct, so the pair maps back to one number: {@link TRADE_NAME_COUNT}
 * names in all.
 */
const TRADE_NAME_CHARACTERS = [
  ...'华信达瑞恒泰鑫通源盛德宏汇丰嘉诚安康富利兴隆远航科创博优邦捷美新星辰润海天方正和合力昌永金银百千万中东南西北云峰川江湖山林森禾田晨光明朗阳益佳亿聚联同众卓越凯锐智慧启元坤乾宇鼎尚品睿腾飞龙凤祥豪骏翔毅福顺宝玉耀驰荣茂裕祺弘拓展胜威雅致精立欣',
];

/** Number of distinct two-character trade names. */
export const TRADE_NAME_COUNT = TRADE_NAME_CHARACTERS.length ** 2;

/** The industry word of an enterprise name; also decides which licences it needs. */
export const INDUSTRIES = [
  '科技',
  '网络科技',
  '信息技术',
  '贸易',
  '商贸',
  '餐饮管理',
  '食品',
  '建筑工程',
  '建材',
  '物流',
  '机械制造',
  '电子',
  '服装',
  '纺织',
  '生物科技',
  '医药',
  '环保科技',
  '文化传媒',
  '教育科技',
  '房地产开发',
  '物业管理',
  '农业开发',
  '汽车服务',
  '电气',
] as const;

export type Industry = (typeof INDUSTRIES)[number];

/** Legal forms of the demo enterprises, as registered in the `kind` column. */
export const ENTERPRISE_KINDS = ['有限责任公司', '股份有限公司', '个人独资企业'] as const;

export type EnterpriseKind = (typeof ENTERPRISE_KINDS)[number];

/** The trade name (字号) numbered `number` in [0, TRADE_NAME_COUNT). */
export function tradeName(number: number): string {
  const size = TRADE_NAME_CHARACTERS.length;
  return (
    (TRADE_NAME_CHARACTERS[Math.floor(number / size)] ?? '') +
    (TRADE_NAME_CHARACTERS[number % size] ?? '')
  );
}

/**
 * A registered enterprise name in the standard order 行政区划 + 字号 + 行业 +
 * 组织形式, e.g. 杭州恒信网络科技有限公司. A sole proprietorship takes a
 * non-company suffix (经营部, 商行 or 工作室, picked by `suffixChoice`), since
 * only companies may call themselves 公司.
 */
export function enterpriseName(parts: {
  cityShort: string;
  trade: string;
  industry: Industry;
  kind: EnterpriseKind;
  suffixChoice: number;
}): string {
  const { cityShort, trade, industry, kind, suffixChoice } = parts;
  const suffix =
    kind === '股份有限公司'
      ? '股份有限公司'
      : kind === '有限责任公司'
        ? '有限公司'
        : (['经营部', '商行', '工作室'][suffixChoice % 3] ?? '经营部');
  return `${cityShort}${trade}${industry}${suffix}`;
}
