import type { Industry } from './enterpriseName.ts';
import type { EnterpriseProfile } from './enterpriseRows.ts';
import type { DemoOwner } from './OwnerSerials.ts';
import { adulthoodDay } from './personRows.ts';
import type { PersonProfile } from './personRows.ts';
import type { Region } from './regions.ts';

/**
 * The owner of child rows (licences, records, parcels, accounts) as those rows
 * see it: exactly one of the two key columns set, plus where it is and since
 * when it can hold anything.
 */
export interface DemoHolder {
  owner: DemoOwner;
  idNumber: string | null;
  creditCode: string | null;
  region: Region;
  address: string;
  /** First day the holder can hold anything: 18th birthday or date of establishment. */
  sinceDay: number;
  /** The enterprise's industry; null for a person. */
  industry: Industry | null;
}

/** Person `index`, whose profile is given, as a holder of child rows. */
export function personHolder(index: number, profile: PersonProfile): DemoHolder {
  return {
    owner: { kind: 'person', index },
    idNumber: profile.row.id_number,
    creditCode: null,
    region: profile.region,
    address: profile.row.address,
    sinceDay: adulthoodDay(profile),
    industry: null,
  };
}

/** Enterprise `index`, whose profile is given, as a holder of child rows. */
export function enterpriseHolder(index: number, profile: EnterpriseProfile): DemoHolder {
  return {
    owner: { kind: 'enterprise', index },
    idNumber: null,
    creditCode: profile.row.credit_code,
    region: profile.region,
    address: profile.row.address,
    sinceDay: profile.establishedDay,
    industry: profile.industry,
  };
}
