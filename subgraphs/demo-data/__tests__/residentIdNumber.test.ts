import { describe, expect, it } from 'vitest';
import {
  isValidResidentIdNumber,
  personAt,
  residentIdCheckDigit,
  residentIdGender,
  residentIdNumber,
} from '../index.ts';

describe('residentIdCheckDigit', () => {
  it('matches the examples published with GB 11643-1999', () => {
    expect(residentIdCheckDigit('11010519491231002')).toBe('X');
    expect(residentIdCheckDigit('44052418800101001')).toBe('4');
  });

  it('matches check digits computed by hand', () => {
    // 3·7+3·9+0·10+1·5+0·8+6·4+1·2+9·1+9·6+0·3+0·7+1·9+0·10+1·5+1·8+2·4+3·2 = 178; 178 mod 11 = 2 → 'X'
    expect(residentIdCheckDigit('33010619900101123')).toBe('X');
    // 3·7+3·9+0+2·5+0+5·4+1·2+9·1+8·6+5·3+1·7+1·9+2·10+0+0+0+4·2 = 196; 196 mod 11 = 9 → '3'
    expect(residentIdCheckDigit('33020519851120004')).toBe('3');
  });

  it('rejects input that is not 17 digits', () => {
    expect(() => residentIdCheckDigit('1101051949123100')).toThrow(RangeError);
    expect(() => residentIdCheckDigit('1101051949123100A')).toThrow(RangeError);
  });
});

describe('isValidResidentIdNumber', () => {
  it('accepts valid numbers', () => {
    expect(isValidResidentIdNumber('11010519491231002X')).toBe(true);
    expect(isValidResidentIdNumber('440524188001010014')).toBe(true);
    expect(isValidResidentIdNumber('33010619900101123X')).toBe(true);
    expect(isValidResidentIdNumber('330205198511200043')).toBe(true);
  });

  it('rejects a wrong check character, a lower-case x, a bad date or a bad length', () => {
    expect(isValidResidentIdNumber('110105194912310021')).toBe(false);
    expect(isValidResidentIdNumber('11010519491231002x')).toBe(false);
    expect(isValidResidentIdNumber('110105194902300021')).toBe(false);
    expect(isValidResidentIdNumber('11010519491231002')).toBe(false);
    expect(isValidResidentIdNumber('11010519491231002X0')).toBe(false);
  });
});

describe('residentIdNumber', () => {
  it('assembles region, birth date, order code and check character', () => {
    expect(residentIdNumber({ regionCode: '110105', birthDate: '1949-12-31', sequence: 2 })).toBe(
      '11010519491231002X',
    );
    expect(residentIdNumber({ regionCode: '330106', birthDate: '1990-01-01', sequence: 123 })).toBe(
      '33010619900101123X',
    );
  });

  it('takes the sex from the order code parity', () => {
    expect(residentIdGender('11010519491231002X')).toBe('F');
    expect(residentIdGender('33010619900101123X')).toBe('M');
  });

  it('refuses malformed parts', () => {
    expect(() =>
      residentIdNumber({ regionCode: '11010', birthDate: '1949-12-31', sequence: 2 }),
    ).toThrow(RangeError);
    expect(() =>
      residentIdNumber({ regionCode: '110105', birthDate: '1949-12-31', sequence: 1000 }),
    ).toThrow(RangeError);
  });
});

describe('generated resident ID numbers', () => {
  it('are valid and agree with the row they belong to', () => {
    for (let index = 0; index < 20_000; index += 1) {
      const person = personAt(index);
      expect(isValidResidentIdNumber(person.id_number)).toBe(true);
      expect(person.id_number.slice(6, 14)).toBe(person.birth_date.replaceAll('-', ''));
      expect(residentIdGender(person.id_number)).toBe(person.gender);
      expect(Number(person.id_number.charAt(16)) % 2).toBe(person.gender === 'M' ? 1 : 0);
    }
  });

  it('are valid at the top of the supported range too', () => {
    for (let index = 9_999_000; index < 10_000_000; index += 1) {
      expect(isValidResidentIdNumber(personAt(index).id_number)).toBe(true);
    }
  });
});
