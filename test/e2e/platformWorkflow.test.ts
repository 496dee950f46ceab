import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSON_INDEX, personIdNumberAt } from '../../subgraphs/demo-data/index.ts';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';
import { availableEngines } from '../support/testDatabase.ts';
import { ok, waitFor } from '../support/responses.ts';

const PERSON = personIdNumberAt(DEMO_PERSON_INDEX);
const PERMIT = 'JZZ3301060001';

/** The entry Public Security's IT registers: a new CONDITIONAL dataset over a table it already has. */
const RESIDENCE_PERMITS = `
code: PS-RES-001
name: Residence permits (居住证)
summary: Residence permits issued to residents living outside their registered residence.
classification: DEPARTMENT
theme: population
department: public_security
format: DATABASE
updateCycle: DAILY
publishedOn: '2026-11-21'
related: [PS-POP-001]
sharing:
  type: CONDITIONAL
  conditions: For public services to permit holders within the consumer's functions.
  legalBasis: Interim Regulations on Residence Permits, art. 12.
  modes: [QUERY]
binding:
  table: residence_permits
  type: ResidencePermit
  key: [permitNumber]
items:
  - name: permitNumber
    title: 居住证编号
    description: Number of the residence permit.
    type: STRING
    column: permit_number
    sensitivity: INTERNAL
  - name: holderIdNumber
    title: 持证人身份号码
    description: Resident identity number of the holder.
    type: STRING
    column: holder_id_number
    sensitivity: SENSITIVE
    references: { type: Person, field: holder, reverse: residencePermits }
  - name: address
    title: 居住地址
    description: Address of residence.
    type: STRING
    column: address
    sensitivity: SENSITIVE
  - name: validUntil
    title: 有效期至
    description: Last day of validity.
    type: DATE
    column: valid_until
    sensitivity: INTERNAL
`;

const ENGINES = await availableEngines();

describe.each(ENGINES)('on %s', (engine) => {
  let platform: TestPlatform;
  let as: Record<
    'deptIt' | 'reviewer' | 'developer' | 'admin' | 'otherDeptIt',
    Record<string, string>
  >;

  beforeAll(async () => {
    platform = await startTestPlatform(engine);
    const bearer = async (
      department: string,
      role: 'DEPT_IT' | 'REVIEWER' | 'APP_DEVELOPER' | 'ADMIN',
      user: string,
    ) => ({
      authorization: `Bearer ${await platform.token({ department, roles: [role], user })}`,
    });
    as = {
      deptIt: await bearer('public_security', 'DEPT_IT', 'li.it'),
      otherDeptIt: await bearer('city_water', 'DEPT_IT', 'wang.it'),
      reviewer: await bearer('data_office', 'REVIEWER', 'zhao.reviewer'),
      developer: await bearer('civil_affairs', 'APP_DEVELOPER', 'chen.dev'),
      admin: await bearer('data_office', 'ADMIN', 'sun.admin'),
    };
    // Department IT's existing table in the department's own database.
    const db = platform.databases.get('public_security')!;
    await db.schema.createTable('residence_permits', (t) => {
      t.string('permit_number', 20).primary();
      t.string('holder_id_number', 18).notNullable().index();
      t.string('address', 128).notNullable();
      t.date('valid_until').notNullable();
    });
    await db('residence_permits').insert([
      {
        permit_number: PERMIT,
        holder_id_number: PERSON,
        address: '浙江省杭州市西湖区文三路100号',
        valid_until: '2028-06-30',
      },
    ]);
  });
  afterAll(() => platform?.close());

  const READ = `query($n: String!) { residencePermit(permitNumber: $n) { permitNumber address validUntil holderIdNumber } }`;

  describe('the whole path, as the four users would walk it', () => {
    it('registers, publishes, applies, approves with a mask and a purpose, reads, and revokes', async () => {
      // Department IT drafts and submits the entry.
      const draft = ok(
        await platform.query<{
          saveCatalogueDraft: { code: string; version: number; status: string; deadline: string };
        }>(
          `mutation($doc: String!) { saveCatalogueDraft(document: $doc, changeReason: "New residence permit service", triggerDate: "2026-11-20") { code version status deadline } }`,
          { doc: RESIDENCE_PERMITS },
          as.deptIt,
        ),
      ).saveCatalogueDraft;
      expect(draft).toMatchObject({ code: 'PS-RES-001', version: 1, status: 'DRAFT' });
      expect(draft.deadline).toBe('2026-12-04');
      const submitted = ok(
        await platform.query<{ submitCatalogueEntry: { status: string; warnings: string[] } }>(
          `mutation { submitCatalogueEntry(code: "PS-RES-001", version: 1) { status warnings } }`,
          {},
          as.deptIt,
        ),
      ).submitCatalogueEntry;
      expect(submitted.status).toBe('SUBMITTED');

      // A reviewer publishes it.
      const published = ok(
        await platform.query<{
          publishCatalogueEntry: {
            status: string;
            servedBy: { type: string; lookupField: string };
          };
        }>(
          `mutation { publishCatalogueEntry(code: "PS-RES-001", version: 1) { status servedBy { type lookupField } } }`,
          {},
          as.reviewer,
        ),
      ).publishCatalogueEntry;
      expect(published).toEqual({
        status: 'PUBLISHED',
        servedBy: { type: 'ResidencePermit', lookupField: 'residencePermit' },
      });

      // The running gateway serves the new type without a restart; the developer is denied.
      const denied = await waitFor('the new dataset reaching the gateway', async () => {
        const response = await platform.query(
          READ,
          { n: PERMIT },
          { ...as.developer, 'x-purpose': 'social-assistance' },
        );
        return response.errors?.[0]?.extensions?.reason ? response : undefined;
      });
      expect(denied.errors![0]!.extensions).toMatchObject({
        code: 'FORBIDDEN',
        dataset: 'PS-RES-001',
        reason: 'NO_GRANT',
      });

      // The developer applies.
      const application = ok(
        await platform.query<{
          applyForAccess: {
            id: string;
            status: string;
            deadline: string;
            providerDepartment: string;
          };
        }>(
          `mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id status deadline providerDepartment } }`,
          {
            input: {
              dataset: 'PS-RES-001',
              items: ['permitNumber', 'holderIdNumber', 'address', 'validUntil'],
              purpose: 'social-assistance',
              scenario: 'Checking residence for minimum living allowance applicants.',
              legalBasis: 'Measures for Social Assistance, art. 11.',
              requestedFrom: '2026-11-01',
              requestedUntil: '2027-11-01',
              modes: ['QUERY'],
            },
          },
          as.developer,
        ),
      ).applyForAccess;
      expect(application).toMatchObject({
        status: 'SUBMITTED',
        providerDepartment: 'public_security',
      });

      // Public Security approves with a masked address, for that purpose only.
      const approved = ok(
        await platform.query<{
          approveSharingApplication: { status: string; grant: { id: string; version: number } };
        }>(
          `mutation($id: ID!, $c: GrantConditionsInput!) { approveSharingApplication(id: $id, conditions: $c) { status grant { id version } } }`,
          {
            id: application.id,
            c: {
              items: ['permitNumber', 'holderIdNumber', 'address', 'validUntil'],
              masks: [{ item: 'address', rule: 'KEEP_ENDS', first: 6, last: 0 }],
              purposes: ['social-assistance'],
              modes: ['QUERY'],
              validFrom: '2026-11-01',
              validUntil: '2027-11-01',
            },
          },
          as.deptIt,
        ),
      ).approveSharingApplication;
      expect(approved.status).toBe('APPROVED');
      await platform.policies.reload();

      const read = ok(
        await platform.query<{
          residencePermit: { address: string; holderIdNumber: string; validUntil: string };
        }>(READ, { n: PERMIT }, { ...as.developer, 'x-purpose': 'social-assistance' }),
      ).residencePermit;
      expect(read).toEqual({
        permitNumber: PERMIT,
        address: `浙江省杭州市****`,
        validUntil: '2028-06-30',
        // A copy of PS-POP-001.idNumber, shown as civil_affairs sees that (region code only).
        holderIdNumber: `${PERSON.slice(0, 6)}****`,
      });
      const otherPurpose = await platform.query(
        READ,
        { n: PERMIT },
        { ...as.developer, 'x-purpose': 'tax-collection' },
      );
      expect(otherPurpose.errors![0]!.extensions).toMatchObject({
        reason: 'PURPOSE_NOT_ALLOWED',
        dataset: 'PS-RES-001',
      });

      // An admin revokes the grant; the next read is denied.
      ok(
        await platform.query(
          `mutation($id: ID!) { revokeGrant(id: $id, reason: "Applicant department reorganised") { status } }`,
          { id: approved.grant.id },
          as.admin,
        ),
      );
      const revoked = await waitFor(
        'the revocation reaching the rules',
        async () => {
          const response = await platform.query(
            READ,
            { n: PERMIT },
            { ...as.developer, 'x-purpose': 'social-assistance' },
          );
          return response.errors ? response : undefined;
        },
        5000,
      );
      expect(revoked.errors![0]!.extensions).toMatchObject({
        reason: 'NO_GRANT',
        dataset: 'PS-RES-001',
      });

      // Every step is on the record.
      const changes = ok(
        await platform.query<{ grantChanges: { action: string; actor: string; reason: string }[] }>(
          `query($id: ID) { grantChanges(grantId: $id) { action actor reason } }`,
          { id: approved.grant.id },
          as.admin,
        ),
      ).grantChanges;
      expect(changes).toEqual([
        {
          action: 'REVOKE',
          actor: 'data_office/sun.admin',
          reason: 'Applicant department reorganised',
        },
        {
          action: 'CREATE',
          actor: 'public_security/li.it',
          reason: `approved application ${application.id}`,
        },
      ]);
    });

    it('lists the new entry in the public catalogue and the DCAT-AP export', async () => {
      const listed = ok(
        await platform.query<{
          catalogueEntries: { nodes: { code: string; sharingType: string }[] };
        }>(`{ catalogueEntries(filter: { keyword: "居住证" }) { nodes { code sharingType } } }`),
      ).catalogueEntries.nodes;
      expect(listed).toEqual([{ code: 'PS-RES-001', sharingType: 'CONDITIONAL' }]);
      const dcat = JSON.parse(
        ok(await platform.query<{ dcatCatalogue: string }>(`{ dcatCatalogue }`)).dcatCatalogue,
      ) as {
        '@graph': { 'dct:identifier'?: string }[];
      };
      const identifiers = dcat['@graph'].map((n) => n['dct:identifier']).filter(Boolean);
      expect(identifiers).toEqual(
        expect.arrayContaining(['PS-RES-001', 'PS-POP-001', 'MS-INS-001']),
      );
    });
  });
});
