import { describe, expect, it } from 'vitest';
import { applyMask, isMaskRule } from '../masking.ts';

describe('applyMask', () => {
  it('keeps the first 6 and last 4 characters of an ID number', () => {
    expect(applyMask({ rule: 'KEEP_ENDS', first: 6, last: 4 }, '11010519491231002X')).toBe(
      '110105****002X',
    );
  });

  it('hides everything when the kept ends would cover the value', () => {
    expect(applyMask({ rule: 'KEEP_ENDS', first: 6, last: 4 }, '12345')).toBe('****');
    expect(applyMask({ rule: 'KEEP_ENDS', first: 6, last: 4 }, '1234567890')).toBe('****');
  });

  it('keeps only the surname, counting characters not bytes', () => {
    expect(applyMask({ rule: 'SURNAME_ONLY' }, '欧阳娜娜')).toBe('欧****');
    expect(applyMask({ rule: 'SURNAME_ONLY' }, '张')).toBe('****');
  });

  it('tells nothing of the length of what it hides', () => {
    // Values differing only in the hidden part's length mask alike.
    const masks = [
      { rule: 'KEEP_ENDS', first: 6, last: 0 },
      { rule: 'KEEP_ENDS', first: 1, last: 1 },
      { rule: 'SURNAME_ONLY' },
    ] as const;
    for (const mask of masks) {
      expect(applyMask(mask, '浙江省杭州市西湖区文三路1号')).toBe(
        applyMask(mask, '浙江省杭州市滨江区长河街道江南大道3850号'),
      );
      expect(applyMask(mask, '张三丰')).toBe(applyMask(mask, '张三三丰'));
    }
    expect(applyMask({ rule: 'SURNAME_ONLY' }, '张三')).toBe(
      applyMask({ rule: 'SURNAME_ONLY' }, '张三丰'),
    );
  });

  it('counts a character outside the Basic Multilingual Plane as one', () => {
    // 𠮷 is one character in two UTF-16 units.
    expect(applyMask({ rule: 'SURNAME_ONLY' }, '𠮷野家')).toBe('𠮷****');
    expect(applyMask({ rule: 'SURNAME_ONLY' }, '王𠮷')).toBe('王****');
    expect(applyMask({ rule: 'KEEP_ENDS', first: 1, last: 1 }, '𠮷a𠮷b𠮷')).toBe('𠮷****𠮷');
    expect(applyMask({ rule: 'KEEP_ENDS', first: 2, last: 2 }, '𠮷𠮷𠮷')).toBe('****');
  });

  it('keeps only the year of a date', () => {
    expect(applyMask({ rule: 'YEAR_ONLY' }, '1987-04-12')).toBe('1987');
    expect(applyMask({ rule: 'YEAR_ONLY' }, 'unknown')).toBe('****');
  });

  it('redacts entirely and leaves null alone', () => {
    expect(applyMask({ rule: 'REDACT' }, 13800138000)).toBe('***');
    expect(applyMask({ rule: 'REDACT' }, null)).toBeNull();
  });
});

describe('isMaskRule', () => {
  it('accepts the known rules with sane parameters only', () => {
    expect(isMaskRule({ rule: 'KEEP_ENDS', first: 6, last: 4 })).toBe(true);
    expect(isMaskRule({ rule: 'SURNAME_ONLY' })).toBe(true);
    expect(isMaskRule({ rule: 'KEEP_ENDS', first: -1, last: 4 })).toBe(false);
    expect(isMaskRule({ rule: 'KEEP_ENDS', first: 6 })).toBe(false);
    expect(isMaskRule({ rule: 'HASH' })).toBe(false);
    expect(isMaskRule('REDACT')).toBe(false);
  });
});
