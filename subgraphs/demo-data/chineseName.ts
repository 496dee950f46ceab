import type { SeededRandom } from './seededRandom.ts';

/**
 * Common surnames with rough relative frequencies (per mille of the
 * population, rounded), so 王, 李, 张 and 陈 dominate as they do in the census.
 */
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72],
  ['李', 72],
  ['张', 68],
  ['刘', 54],
  ['陈', 53],
  ['杨', 31],
  ['黄', 23],
  ['赵', 20],
  ['吴', 20],
  ['周', 19],
  ['徐', 18],
  ['孙', 15],
  ['马', 15],
  ['朱', 14],
  ['胡', 13],
  ['郭', 12],
  ['何', 12],
  ['林', 12],
  ['高', 12],
  ['罗', 11],
  ['郑', 11],
  ['梁', 10],
  ['谢', 8],
  ['宋', 8],
  ['唐', 8],
  ['许', 7],
  ['韩', 7],
  ['冯', 7],
  ['邓', 7],
  ['曹', 6],
  ['彭', 6],
  ['曾', 6],
  ['肖', 6],
  ['田', 5],
  ['董', 5],
  ['潘', 5],
  ['袁', 5],
  ['蔡', 5],
  ['蒋', 5],
  ['余', 5],
  ['于', 5],
  ['杜', 5],
  ['叶', 5],
  ['程', 4],
  ['魏', 4],
  ['苏', 4],
  ['吕', 4],
  ['丁', 4],
  ['沈', 4],
  ['任', 4],
  ['姚', 4],
  ['卢', 4],
  ['钟', 3],
  ['姜', 3],
  ['崔', 3],
  ['谭', 3],
  ['陆', 3],
  ['汪', 3],
  ['范', 3],
  ['金', 3],
  ['方', 3],
  ['钱', 2],
  ['戴', 2],
  ['邵', 2],
  ['楼', 1],
  ['应', 1],
  ['欧阳', 1],
  ['诸葛', 1],
];

const MALE_GIVEN = [
  ...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林峰建国志文东海晨阳博睿轩泽昊然诚宏亮成豪鸣',
];
const FEMALE_GIVEN = [
  ...'芳娜敏静丽艳娟霞燕玲婷雪琳慧颖倩洁萍红莉佳欣怡悦雯琪梦瑶璐露晶蕾薇妍岚月秀英兰娇菲梅琴婧丹彤诗涵馨嘉',
];

/**
 * A plausible Chinese full name for a person of `gender`: a weighted surname
 * and a one- (about a third) or two-character given name. Names repeat across
 * people, as real names do; they are never keys.
 */
export function chineseName(random: SeededRandom, gender: 'M' | 'F'): string {
  const given = gender === 'M' ? MALE_GIVEN : FEMALE_GIVEN;
  const surname = random.weighted(SURNAMES);
  const first = random.pick(given);
  return random.chance(1, 3) ? surname + first : surname + first + random.pick(given);
}
