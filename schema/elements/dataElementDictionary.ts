import type { DataElement } from './DataElement.ts';

/**
 * The data elements the platform ships: those the demo departments' catalogue
 * items carry. A department adds an element here (by a change reviewed like
 * any other) before an item may name it.
 */
export const DATA_ELEMENTS: readonly DataElement[] = [
  {
    code: 'residentIdNumber',
    title: '公民身份号码',
    meaning: "A resident's identity number, issued once for life.",
    type: 'STRING',
    format:
      'GB 11643: 6-digit region code, birth date YYYYMMDD, 3-digit order code, check character 0-9 or X',
    pattern: '[1-9][0-9]{16}[0-9X]',
    checkDigit: 'GB11643',
    oneSource: true,
  },
  {
    code: 'unifiedSocialCreditCode',
    title: '统一社会信用代码',
    meaning: 'The identifier of a legal entity or other organisation.',
    type: 'STRING',
    format:
      'GB 32100: 18 characters of 0-9 and A-Y without I, O, S, V, Z; the last is a check character',
    pattern: '[0-9A-HJ-NPQRTUWXY]{18}',
    checkDigit: 'GB32100',
    oneSource: true,
  },
  {
    code: 'personName',
    title: '姓名',
    meaning: "A person's name as registered in the population record.",
    type: 'STRING',
    format: 'text, as registered',
    oneSource: true,
  },
  {
    code: 'sex',
    title: '性别',
    meaning: "A person's sex as registered.",
    type: 'STRING',
    format: 'M or F',
    enumeration: ['M', 'F'],
    oneSource: true,
  },
  {
    code: 'birthDate',
    title: '出生日期',
    meaning: "A person's date of birth as registered.",
    type: 'DATE',
    format: 'YYYY-MM-DD',
    oneSource: true,
  },
  {
    code: 'ethnicity',
    title: '民族',
    meaning: "A person's ethnic group as registered.",
    type: 'STRING',
    format: 'the name of one of the 56 ethnic groups (GB 3304)',
    oneSource: true,
  },
  {
    code: 'organizationName',
    title: '单位名称',
    meaning: 'The registered name of a legal entity or organisation.',
    type: 'STRING',
    format: 'text, as registered',
    oneSource: true,
  },
  {
    code: 'regionCode',
    title: '行政区划代码',
    meaning: 'An administrative division of the country.',
    type: 'STRING',
    format: 'GB/T 2260: 6 digits',
    pattern: '[1-9][0-9]{5}',
    oneSource: false,
  },
  {
    code: 'address',
    title: '地址',
    meaning: 'A postal address.',
    type: 'STRING',
    format: 'text: province, city, district, street and number',
    oneSource: false,
  },
  {
    code: 'mobilePhoneNumber',
    title: '移动电话号码',
    meaning: 'A mainland mobile phone number.',
    type: 'STRING',
    format: '11 digits starting with 1',
    pattern: '1[3-9][0-9]{9}',
    oneSource: false,
  },
  {
    code: 'issueDate',
    title: '发证日期',
    meaning: 'The day a licence, certificate or registration was issued.',
    type: 'DATE',
    format: 'YYYY-MM-DD',
    oneSource: false,
  },
  {
    code: 'validityEndDate',
    title: '有效期至',
    meaning: 'The last day a licence, permit, certificate or record is valid.',
    type: 'DATE',
    format: 'YYYY-MM-DD',
    oneSource: false,
  },
  {
    code: 'registrationDate',
    title: '登记日期',
    meaning: 'The day something was registered or recorded by an authority.',
    type: 'DATE',
    format: 'YYYY-MM-DD',
    oneSource: false,
  },
];

const BY_CODE = new Map(DATA_ELEMENTS.map((e) => [e.code, e]));

/** The dictionary's element `code`, or undefined when it has none. */
export function dataElement(code: string): DataElement | undefined {
  return BY_CODE.get(code);
}
