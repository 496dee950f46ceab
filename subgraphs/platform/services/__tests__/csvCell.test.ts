import { describe, expect, it } from 'vitest';
import { csvCell } from '../csvCell.ts';

describe('csvCell', () => {
  it('keeps every text a spreadsheet would run as a formula as text', () => {
    for (const formula of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=HYPERLINK("x")', '\r=cmd']) {
      const cell = csvCell(formula);
      expect(cell.startsWith(`"'`)).toBe(true);
      // Unquoted, the cell reads back as the text with its leading '.
      expect(cell.slice(1, -1).replaceAll('""', '"')).toBe(`'${formula}`);
    }
  });

  it('writes numbers, plain text and nothing as they are, and quotes what RFC 4180 needs', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('civil_affairs/alice')).toBe('civil_affairs/alice');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"\r\nbye')).toBe('"say ""hi""\r\nbye"');
  });
});
