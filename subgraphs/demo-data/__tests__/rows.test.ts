import { describe, expect, it } from 'vitest';
import {
  creditRecordRows,
  creditRecordsOfEnterprise,
  creditRecordsOfPerson,
  DEMO_ENTERPRISE_INDEX,
  DEMO_PERSON_INDEX,
  DEMO_REFERENCE_DATE,
  demoSizes,
  enterpriseAt,
  enterpriseProfileAt,
  enterpriseRows,
  inspectionRows,
  inspectionsOfEnterprise,
  isValidResidentIdNumber,
  isValidUnifiedSocialCreditCode,
  landParcelRows,
  landParcelsOfEnterprise,
  landParcelsOfPerson,
  licenseRows,
  licensesOfEnterprise,
  licensesOfPerson,
  MAX_DEMO_SCALE,
  personAt,
  personIdNumberAt,
  personRows,
  REGIONS,
  regionByCode,
  utilityAccountRows,
  utilityAccountsOfEnterprise,
  utilityAccountsOfPerson,
} from '../index.ts';

const SCALE = 20_000;

/** Column lengths of the migrations: every generated string must fit. */
const LIMITS: Record<string, Record<string, number>> = {
  persons: {
    id_number: 18,
    name: 32,
    gender: 1,
    ethnicity: 16,
    region_code: 6,
    address: 128,
    phone: 11,
  },
  enterprises: {
    credit_code: 18,
    name: 128,
    kind: 32,
    legal_rep_id_number: 18,
    region_code: 6,
    address: 128,
    status: 16,
  },
  inspections: { inspection_id: 24, credit_code: 18, inspector_unit: 64, result: 16, notes: 255 },
  land_parcels: {
    parcel_code: 19,
    holder_id_number: 18,
    holder_credit_code: 18,
    land_use: 32,
    right_type: 16,
    region_code: 6,
  },
  credit_records: {
    record_id: 24,
    subject_id_number: 18,
    subject_credit_code: 18,
    category: 16,
    description: 255,
    authority: 64,
  },
  licenses: {
    license_number: 32,
    kind: 64,
    holder_id_number: 18,
    holder_credit_code: 18,
    issuer: 64,
    status: 16,
  },
  utility_accounts: {
    account_number: 16,
    holder_id_number: 18,
    holder_credit_code: 18,
    address: 128,
    status: 16,
  },
};

const TABLES = {
  persons: { rows: personRows, key: 'id_number' },
  enterprises: { rows: enterpriseRows, key: 'credit_code' },
  inspections: { rows: inspectionRows, key: 'inspection_id' },
  land_parcels: { rows: landParcelRows, key: 'parcel_code' },
  credit_records: { rows: creditRecordRows, key: 'record_id' },
  licenses: { rows: licenseRows, key: 'license_number' },
  utility_accounts: { rows: utilityAccountRows, key: 'account_number' },
} as const;

type AnyRow = Readonly<Record<string, string | number | null>>;

/** A typed row seen as a plain column → value record, so one check can cover every table. */
const asRecord = (row: object): AnyRow => ({ ...row });

const all = Object.fromEntries(
  Object.entries(TABLES).map(([table, { rows }]) => [table, Array.from(rows(SCALE), asRecord)]),
) as Record<keyof typeof TABLES, AnyRow[]>;

describe('demoSizes', () => {
  it('gives a tenth as many enterprises as people, at least one', () => {
    expect(demoSizes(5000)).toEqual({ persons: 5000, enterprises: 500 });
    expect(demoSizes(1_000_000)).toEqual({ persons: 1_000_000, enterprises: 100_000 });
    expect(demoSizes(1)).toEqual({ persons: 1, enterprises: 1 });
  });

  it('refuses scales it cannot keep unique', () => {
    expect(() => demoSizes(0)).toThrow(RangeError);
    expect(() => demoSizes(1.5)).toThrow(RangeError);
    expect(() => demoSizes(MAX_DEMO_SCALE + 1)).toThrow(RangeError);
  });
});

describe('determinism', () => {
  it('gives the same rows for the same index, whatever was computed before', () => {
    for (const index of [0, 1, 17, 4999, 123_456, 9_999_999]) {
      const first = {
        person: personAt(index),
        licenses: licensesOfPerson(index),
        credit: creditRecordsOfPerson(index),
        parcels: landParcelsOfPerson(index),
        water: utilityAccountsOfPerson(index),
      };
      personAt(index === 0 ? 1 : index - 1);
      expect({
        person: personAt(index),
        licenses: licensesOfPerson(index),
        credit: creditRecordsOfPerson(index),
        parcels: landParcelsOfPerson(index),
        water: utilityAccountsOfPerson(index),
      }).toEqual(first);
    }
    for (const index of [0, 1, 999, 99_999, 999_999]) {
      const first = [
        enterpriseAt(index),
        licensesOfEnterprise(index),
        creditRecordsOfEnterprise(index),
        landParcelsOfEnterprise(index),
        utilityAccountsOfEnterprise(index),
        inspectionsOfEnterprise(index),
      ];
      expect([
        enterpriseAt(index),
        licensesOfEnterprise(index),
        creditRecordsOfEnterprise(index),
        landParcelsOfEnterprise(index),
        utilityAccountsOfEnterprise(index),
        inspectionsOfEnterprise(index),
      ]).toEqual(first);
    }
  });

  it('keeps the demo keys the README and other departments rely on', () => {
    expect(personIdNumberAt(DEMO_PERSON_INDEX)).toBe('330106196310216243');
    expect(enterpriseAt(DEMO_ENTERPRISE_INDEX).credit_code).toBe('91330206MA2HDDTX7A');
  });

  it('does not depend on the scale: a row is the same in a small and a large seed', () => {
    const small = [...licenseRows(50)];
    const large = [...licenseRows(500)];
    const smallPersons = small.filter((row) => row.holder_id_number !== null);
    expect(large.slice(0, smallPersons.length)).toEqual(smallPersons);
  });
});

describe('keys', () => {
  it.each(Object.entries(TABLES))('are unique across the whole %s table', (table, { key }) => {
    const rows = all[table as keyof typeof TABLES];
    const keys = new Set(rows.map((row) => row[key]));
    expect(keys.size).toBe(rows.length);
  });

  it('give every enterprise its own name, as registration requires', () => {
    const names = new Set(all.enterprises.map((row) => row.name));
    expect(names.size).toBe(all.enterprises.length);
  });

  it('use the column lengths of the migrations', () => {
    for (const [table, limits] of Object.entries(LIMITS)) {
      for (const row of all[table as keyof typeof TABLES]) {
        for (const [column, limit] of Object.entries(limits)) {
          const value = row[column];
          if (value !== null)
            expect(String(value).length, `${table}.${column}`).toBeLessThanOrEqual(limit);
        }
      }
    }
    for (const row of all.land_parcels) expect(String(row.parcel_code)).toHaveLength(19);
    for (const row of all.utility_accounts) expect(String(row.account_number)).toHaveLength(16);
  });

  it('refer only to persons and enterprises that exist at that scale', () => {
    const persons = new Set(all.persons.map((row) => row.id_number));
    const enterprises = new Set(all.enterprises.map((row) => row.credit_code));
    for (const row of all.enterprises) expect(persons.has(row.legal_rep_id_number)).toBe(true);
    for (const row of all.inspections) expect(enterprises.has(row.credit_code)).toBe(true);
    const holders: [keyof typeof TABLES, string, string][] = [
      ['land_parcels', 'holder_id_number', 'holder_credit_code'],
      ['credit_records', 'subject_id_number', 'subject_credit_code'],
      ['licenses', 'holder_id_number', 'holder_credit_code'],
      ['utility_accounts', 'holder_id_number', 'holder_credit_code'],
    ];
    for (const [table, person, enterprise] of holders) {
      for (const row of all[table]) {
        expect((row[person] === null) !== (row[enterprise] === null)).toBe(true);
        if (row[person] !== null) expect(persons.has(row[person])).toBe(true);
        else expect(enterprises.has(row[enterprise])).toBe(true);
      }
    }
  });

  it('keep legal representatives inside the population at every scale', () => {
    for (const scale of [1, 9, 10, 19, 20, 21, 99, 1000, 1234]) {
      const { persons, enterprises } = demoSizes(scale);
      const ids = new Set([...personRows(scale)].map((row) => row.id_number));
      expect(ids.size).toBe(persons);
      for (let index = 0; index < enterprises; index += 1) {
        expect(enterpriseProfileAt(index).legalRepIndex).toBeLessThan(persons);
      }
    }
  });
});

describe('values', () => {
  it('are well-formed: codes, regions, dates, phones and enumerations', () => {
    const isoDate = /^\d{4}-\d{2}-\d{2}$/;
    for (const row of all.persons) {
      expect(regionByCode(String(row.region_code))).toBeDefined();
      expect(row.phone).toMatch(/^1[358]\d{9}$/);
      expect(['M', 'F']).toContain(row.gender);
    }
    for (const row of all.enterprises) {
      expect(isValidUnifiedSocialCreditCode(String(row.credit_code))).toBe(true);
      expect(isValidResidentIdNumber(String(row.legal_rep_id_number))).toBe(true);
      expect(['ACTIVE', 'REVOKED', 'CANCELLED']).toContain(row.status);
      expect(String(row.name)).toMatch(/^(杭州|宁波|温州)/);
    }
    const dated: [keyof typeof TABLES, string[]][] = [
      ['persons', ['birth_date']],
      ['enterprises', ['established_on']],
      ['inspections', ['inspected_on']],
      ['land_parcels', ['registered_on']],
      ['credit_records', ['decided_on']],
      ['licenses', ['issued_on']],
      ['utility_accounts', ['opened_on']],
    ];
    for (const [table, columns] of dated) {
      for (const row of all[table]) {
        for (const column of columns) {
          expect(row[column]).toMatch(isoDate);
          expect(String(row[column]) < DEMO_REFERENCE_DATE).toBe(true);
        }
      }
    }
    for (const row of all.licenses) {
      expect(String(row.valid_until) > String(row.issued_on)).toBe(true);
      if (row.status === 'VALID') expect(String(row.valid_until) >= DEMO_REFERENCE_DATE).toBe(true);
      if (row.status === 'EXPIRED')
        expect(String(row.valid_until) < DEMO_REFERENCE_DATE).toBe(true);
    }
    for (const row of all.credit_records) {
      expect(String(row.valid_until) > String(row.decided_on)).toBe(true);
      expect(['COMMENDATION', 'PENALTY', 'DISHONEST']).toContain(row.category);
    }
    for (const row of all.land_parcels) {
      expect(['OWNERSHIP', 'USE_RIGHT', 'LEASE']).toContain(row.right_type);
      expect(Number(row.area_sqm)).toBeGreaterThan(0);
    }
    for (const row of all.utility_accounts) {
      expect(['ACTIVE', 'SUSPENDED', 'CLOSED']).toContain(row.status);
      expect(Number(row.arrears)).toBeGreaterThanOrEqual(0);
    }
    for (const row of all.inspections)
      expect(['PASSED', 'RECTIFY', 'FAILED']).toContain(row.result);
  });

  it('never hand out a licence or record before the holder is 18', () => {
    for (let index = 0; index < 2000; index += 1) {
      const birth = personAt(index).birth_date;
      const adult = `${Number(birth.slice(0, 4)) + 18}${birth.slice(4)}`;
      for (const row of licensesOfPerson(index)) expect(row.issued_on >= adult).toBe(true);
      for (const row of creditRecordsOfPerson(index)) expect(row.decided_on >= adult).toBe(true);
    }
  });

  it('spread people over every demo region and both sexes', () => {
    const regions = new Set(all.persons.map((row) => row.region_code));
    expect(regions.size).toBe(REGIONS.length);
    const men = all.persons.filter((row) => row.gender === 'M').length;
    expect(men / SCALE).toBeGreaterThan(0.45);
    expect(men / SCALE).toBeLessThan(0.55);
  });
});

describe('distribution', () => {
  const share = (count: (index: number) => number): number => {
    let holders = 0;
    for (let index = 0; index < SCALE; index += 1) if (count(index) > 0) holders += 1;
    return holders / SCALE;
  };

  it('gives people the advertised shares of each kind of row', () => {
    expect(share((i) => creditRecordsOfPerson(i).length)).toBeCloseTo(0.2, 1);
    expect(share((i) => landParcelsOfPerson(i).length)).toBeCloseTo(0.25, 1);
    expect(share((i) => utilityAccountsOfPerson(i).length)).toBeCloseTo(0.5, 1);
    let upToTwo = 0;
    for (let index = 0; index < SCALE; index += 1) {
      if (licensesOfPerson(index).length <= 2) upToTwo += 1;
    }
    expect(upToTwo / SCALE).toBeGreaterThan(0.9);
  });

  it('gives every enterprise its bounded counts', () => {
    const { enterprises } = demoSizes(SCALE);
    for (let index = 0; index < enterprises; index += 1) {
      expect(licensesOfEnterprise(index).length).toBeGreaterThanOrEqual(1);
      expect(licensesOfEnterprise(index).length).toBeLessThanOrEqual(3);
      expect(creditRecordsOfEnterprise(index).length).toBeLessThanOrEqual(2);
      expect(landParcelsOfEnterprise(index).length).toBeLessThanOrEqual(1);
      expect(utilityAccountsOfEnterprise(index)).toHaveLength(1);
      expect(inspectionsOfEnterprise(index).length).toBeLessThanOrEqual(2);
    }
  });
});

describe('the demo subjects', () => {
  it('person 0 has a licence, a credit record, a land parcel and a water account', () => {
    const id = personIdNumberAt(DEMO_PERSON_INDEX);
    expect(licensesOfPerson(DEMO_PERSON_INDEX).length).toBeGreaterThanOrEqual(1);
    expect(creditRecordsOfPerson(DEMO_PERSON_INDEX).length).toBeGreaterThanOrEqual(1);
    expect(landParcelsOfPerson(DEMO_PERSON_INDEX).length).toBeGreaterThanOrEqual(1);
    expect(utilityAccountsOfPerson(DEMO_PERSON_INDEX)).toHaveLength(1);
    for (const row of licensesOfPerson(DEMO_PERSON_INDEX)) expect(row.holder_id_number).toBe(id);
  });

  it('enterprise 0 has all of that plus an inspection, and person 0 represents it', () => {
    const code = enterpriseAt(DEMO_ENTERPRISE_INDEX).credit_code;
    expect(licensesOfEnterprise(DEMO_ENTERPRISE_INDEX).length).toBeGreaterThanOrEqual(1);
    expect(creditRecordsOfEnterprise(DEMO_ENTERPRISE_INDEX).length).toBeGreaterThanOrEqual(1);
    expect(landParcelsOfEnterprise(DEMO_ENTERPRISE_INDEX)).toHaveLength(1);
    expect(utilityAccountsOfEnterprise(DEMO_ENTERPRISE_INDEX)).toHaveLength(1);
    expect(inspectionsOfEnterprise(DEMO_ENTERPRISE_INDEX).length).toBeGreaterThanOrEqual(1);
    expect(inspectionsOfEnterprise(DEMO_ENTERPRISE_INDEX)[0]?.credit_code).toBe(code);
    expect(enterpriseAt(DEMO_ENTERPRISE_INDEX).legal_rep_id_number).toBe(
      personIdNumberAt(DEMO_PERSON_INDEX),
    );
  });

  it('are part of even the smallest seed', () => {
    expect([...personRows(1)].map((row) => row.id_number)).toEqual([personIdNumberAt(0)]);
    expect([...inspectionRows(1)].length).toBeGreaterThanOrEqual(1);
  });
});
