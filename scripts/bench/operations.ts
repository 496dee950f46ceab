import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';

/** An operation the gateway suites load a gateway with. */
export interface Operation {
  key: string;
  name: string;
  description: string;
  /** The first request's body; the others ask the same of other people or pages. */
  body: string;
  /**
   * The bodies sent in turn to the gateway at `url`: one operation over
   * `VARIANTS` people or pages, so concurrent requests differ as real
   * traffic's do (identical requests in flight would let a gateway that
   * shares one subgraph answer among them skip the work being measured).
   */
  bodies(url: string, headers: Record<string, string>): Promise<string[]>;
  /** Whether the direct subgraph can answer it (one subgraph only). */
  direct: boolean;
  /** Throws unless the answer is complete: error answers measure nothing. */
  check(data: Record<string, unknown>): void;
}

/** Distinct requests each operation rotates through. */
const VARIANTS = 64;

/** Lookups of `VARIANTS` people spread over the `scale` seeded. */
function lookupBody(index: number): string {
  return JSON.stringify({
    query:
      'query Person($idNumber: String!) { person(idNumber: $idNumber) { idNumber name gender birthDate regionCode } }',
    variables: { idNumber: personIdNumberAt(index) },
  });
}

/** The lookup of `VARIANTS` people spread evenly over the `scale` seeded, as sent to a gateway or to the subgraph. */
export function lookupBodies(scale: number): string[] {
  const spread = Math.max(1, Math.floor(scale / VARIANTS));
  return Array.from({ length: VARIANTS }, (_, i) => lookupBody(DEMO_PERSON_INDEX + i * spread));
}

/**
 * A paged list's query for its first `VARIANTS` pages at `url`: page cursors
 * are sealed per caller and list, so each gateway's own are collected by
 * walking the list through it.
 */
async function pages(
  url: string,
  headers: Record<string, string>,
  list: string,
  query: (after: string) => string,
  size: number,
): Promise<string[]> {
  const bodies = [JSON.stringify({ query: query('') })];
  let after: string | null = null;
  while (bodies.length < VARIANTS) {
    const walk = await post(
      url,
      JSON.stringify({
        query: `query Walk($after: String) { ${list}(first: ${size}, after: $after) { pageInfo { endCursor } } }`,
        variables: { after },
      }),
      headers,
    );
    const page = walk.data?.[list] as { pageInfo?: { endCursor?: string | null } } | undefined;
    after = page?.pageInfo?.endCursor ?? null;
    if (!after) throw new Error(`${url} has fewer than ${VARIANTS} pages of ${list}`);
    bodies.push(JSON.stringify({ query: query(`, after: ${JSON.stringify(after)}`) }));
  }
  return bodies;
}

export function benchOperations(scale: number): Operation[] {
  const nodes = (data: Record<string, unknown>, field: string) => {
    const list = (data[field] as { nodes?: Record<string, unknown>[] } | null)?.nodes ?? [];
    return list;
  };
  const lists = (row: Record<string, unknown>, fields: string[]) => {
    for (const field of fields) {
      if (!Array.isArray(row[field])) throw new Error(`${field} missing`);
    }
  };
  const people = (
    after: string,
  ) => `query People { persons(first: 100${after}) { nodes { idNumber name gender
          licenses { licenseNumber kind issuedOn } creditRecords { recordId category authority }
          landParcels { parcelCode landUse areaSqm } } } }`;
  const enterprises = (
    after: string,
  ) => `query Enterprises { enterprises(first: 50${after}) { nodes { creditCode name kind registeredCapital
          legalRepresentative { name gender licenses { licenseNumber kind } }
          licenses { licenseNumber kind issuedOn } creditRecords { recordId category authority }
          landParcels { parcelCode landUse areaSqm } utilityAccounts { accountNumber address monthlyUsageM3 } } } }`;
  return [
    {
      key: 'lookup',
      name: 'single lookup',
      description: 'one person by ID number (one subgraph)',
      direct: true,
      body: lookupBody(DEMO_PERSON_INDEX),
      bodies: async () => lookupBodies(scale),
      check(data) {
        if (!(data.person as { name?: string } | null)?.name) throw new Error('no person');
      },
    },
    {
      key: 'people',
      name: '100 people',
      description:
        '100 people with their licences, credit records and land parcels (four subgraphs)',
      direct: false,
      body: JSON.stringify({ query: people('') }),
      bodies: (url, headers) => pages(url, headers, 'persons', people, 100),
      check(data) {
        const found = nodes(data, 'persons');
        if (found.length !== 100) throw new Error(`${found.length} people`);
        for (const person of found) lists(person, ['licenses', 'creditRecords', 'landParcels']);
      },
    },
    {
      key: 'heavy',
      name: 'heavy nested',
      description:
        'a page of 50 enterprises with their legal representatives (and their licences), licences, credit records, land parcels and water accounts (six subgraphs)',
      direct: false,
      body: JSON.stringify({ query: enterprises('') }),
      bodies: (url, headers) => pages(url, headers, 'enterprises', enterprises, 50),
      check(data) {
        const found = nodes(data, 'enterprises');
        if (found.length !== 50) throw new Error(`${found.length} enterprises`);
        for (const e of found) {
          lists(e, ['licenses', 'creditRecords', 'landParcels', 'utilityAccounts']);
          if (!e.legalRepresentative) throw new Error('no legal representative');
        }
      },
    },
  ];
}

export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

async function expectComplete(
  name: string,
  url: string,
  operation: Operation,
  body: string,
  headers: Record<string, string>,
): Promise<void> {
  const answer = await post(url, body, headers);
  try {
    if (answer.errors) throw new Error('errors');
    operation.check(answer.data ?? {});
  } catch (error) {
    throw new Error(
      `${name} does not answer "${operation.name}" in full (${(error as Error).message}): ${JSON.stringify(answer).slice(0, 400)}`,
    );
  }
}

/** `operation`'s bodies for the gateway `name` at `url`, each checked to be answered in full. */
export async function checkedBodies(
  name: string,
  url: string,
  operation: Operation,
  headers: Record<string, string>,
): Promise<string[]> {
  const bodies = await operation.bodies(url, headers);
  for (const body of bodies) await expectComplete(name, url, operation, body, headers);
  return bodies;
}
