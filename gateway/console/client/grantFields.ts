/** The fields of a grant every grant list shows, as one fragment. */
export const GRANT_FIELDS = /* GraphQL */ `
  fragment GrantFields on Grant {
    id
    consumerDepartment
    dataset
    items
    masks {
      item
      rule
      first
      last
    }
    rowFilter {
      item
      eq
      startsWith
    }
    purposes
    modes
    validFrom
    validUntil
    dailyQuota
    status
    version
  }
`;

export interface GrantRow {
  id: string;
  consumerDepartment: string;
  dataset: string;
  items: string[];
  masks: { item: string; rule: string; first: number | null; last: number | null }[];
  rowFilter: { item: string; eq: string | null; startsWith: string | null }[];
  purposes: string[];
  modes: string[];
  validFrom: string;
  validUntil: string;
  dailyQuota: number | null;
  status: string;
  version: number;
}

/** A grant's masks in one line: `phone: KEEP_ENDS(3,4); name: SURNAME_ONLY`. */
export function describeMasks(g: Pick<GrantRow, 'masks'>): string {
  return g.masks
    .map((m) =>
      m.rule === 'KEEP_ENDS'
        ? `${m.item}: ${m.rule}(${m.first},${m.last})`
        : `${m.item}: ${m.rule}`,
    )
    .join('; ');
}

/** A grant's row filter in one line: `regionCode ^= 3301` (starts with), `item = value`. */
export function describeRowFilter(g: Pick<GrantRow, 'rowFilter'>): string {
  return g.rowFilter
    .map((r) => (r.eq !== null ? `${r.item} = ${r.eq}` : `${r.item} ^= ${r.startsWith ?? ''}`))
    .join('; ');
}
