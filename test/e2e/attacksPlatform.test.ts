import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';
import { mysqlAvailable, type Engine } from '../support/testDatabase.ts';
import { ok } from '../support/responses.ts';

/**
 * Acceptance for issue 11, findings 9–11, tried as an attacker would against
 * the platform's own workflows: an approval that widens the application, a
 * catalogue binding that reaches tables that are not the department's, and an
 * audit trail rewritten by someone with write access to the database. Each
 * test is the attack and fails if the attack succeeds.
 */

const ENGINES: Engine[] = (await mysqlAvailable()) ? ['sqlite', 'mysql'] : ['sqlite'];

type Role = 'DEPT_IT' | 'REVIEWER' | 'APP_DEVELOPER' | 'ADMIN';

async function bearer(platform: TestPlatform, department: string, role: Role, user: string) {
  return {
    authorization: `Bearer ${await platform.token({ department, roles: [role], user })}`,
  };
}

const APPLY = `mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id } }`;
const APPROVE = `mutation($id: ID!, $c: GrantConditionsInput!) {
  approveSharingApplication(id: $id, conditions: $c) { status grant { id } }
}`;
const GRANTS_OF_TAX = `{ grants(consumerDepartment: "tax") { id } }`;

describe.each(ENGINES)('on %s', (engine) => {
  let platform: TestPlatform;
  let as: Record<'taxDeveloper' | 'waterIt' | 'admin', Record<string, string>>;

  beforeAll(async () => {
    platform = await startTestPlatform(engine);
    as = {
      taxDeveloper: await bearer(platform, 'tax', 'APP_DEVELOPER', 'qian.dev'),
      waterIt: await bearer(platform, 'city_water', 'DEPT_IT', 'sun.it'),
      admin: await bearer(platform, 'data_office', 'ADMIN', 'zhou.admin'),
    };
  });

  afterAll(async () => {
    await platform?.close();
  });

  describe('finding 9: an approval never widens the application', () => {
    /** Tax applies for two items of the water accounts, for one purpose, QUERY only, until 2027-06-01. */
    async function apply(): Promise<string> {
      return ok(
        await platform.query<{ applyForAccess: { id: string } }>(
          APPLY,
          {
            input: {
              dataset: 'CW-ACC-001',
              items: ['accountNumber', 'address'],
              purpose: 'tax-assessment',
              scenario: 'Checking declared residence of taxpayers.',
              legalBasis: 'Tax Collection Administration Law, art. 6.',
              requestedFrom: '2026-12-01',
              requestedUntil: '2027-06-01',
              modes: ['QUERY'],
            },
          },
          as.taxDeveloper,
        ),
      ).applyForAccess.id;
    }

    const asApplied = {
      items: ['accountNumber', 'address'],
      purposes: ['tax-assessment'],
      modes: ['QUERY'],
      validFrom: '2026-12-01',
      validUntil: '2027-06-01',
    };

    async function grantIds(): Promise<string[]> {
      const response = await platform.query<{ grants: { id: string }[] }>(
        GRANTS_OF_TAX,
        {},
        as.admin,
      );
      return ok(response).grants.map((g) => g.id);
    }

    /** The approval is refused naming `field`, the application is still open, and no grant was made. */
    async function refusedNaming(
      conditions: Record<string, unknown>,
      field: string,
      asked: RegExp,
    ) {
      const id = await apply();
      const before = await grantIds();
      const response = await platform.query(APPROVE, { id, c: conditions }, as.waterIt);
      expect(response.data?.approveSharingApplication ?? null).toBeNull();
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: `conditions.${field}`,
      });
      expect(response.errors![0]!.message).toMatch(asked);
      expect(await grantIds()).toEqual(before);
      const status = await platform.query<{ sharingApplication: { status: string } }>(
        `query($id: ID!) { sharingApplication(id: $id) { status } }`,
        { id },
        as.waterIt,
      );
      expect(ok(status).sharingApplication.status).toBe('SUBMITTED');
    }

    it('the attack as found: other purposes and a period to 2099 are refused', async () => {
      await refusedNaming(
        { ...asApplied, purposes: ['anything-at-all', 'marketing'], validUntil: '2099-12-31' },
        'purposes',
        /anything-at-all, marketing not applied for \(applied for: tax-assessment\)[\s\S]*2099-12-31 is after the requested end 2027-06-01/,
      );
    });

    it('an extra mode is refused', async () => {
      await refusedNaming(
        { ...asApplied, modes: ['QUERY', 'VERIFY'] },
        'modes',
        /VERIFY not applied for/,
      );
    });

    it('an extra item is refused', async () => {
      await refusedNaming(
        { ...asApplied, items: ['accountNumber', 'address', 'arrears'] },
        'items',
        /arrears not applied for \(applied for: accountNumber, address\)/,
      );
    });

    it('a validity starting before the requested start is refused', async () => {
      await refusedNaming(
        { ...asApplied, validFrom: '2026-11-30' },
        'validFrom',
        /before the requested start 2026-12-01/,
      );
    });

    it('a date-time one second past the requested end is refused', async () => {
      await refusedNaming(
        { ...asApplied, validUntil: '2027-06-01T00:00:01Z' },
        'validUntil',
        /after the requested end 2027-06-01/,
      );
    });

    it('a narrower approval (fewer items, a mask, a row filter, a quota, a shorter period) is granted', async () => {
      const id = await apply();
      const approved = ok(
        await platform.query<{
          approveSharingApplication: { status: string; grant: { id: string } };
        }>(
          APPROVE,
          {
            id,
            c: {
              items: ['address'],
              masks: [{ item: 'address', rule: 'KEEP_ENDS', first: 6, last: 0 }],
              rowFilter: [{ item: 'status', eq: 'ACTIVE' }],
              purposes: ['tax-assessment'],
              modes: ['QUERY'],
              validFrom: '2027-01-01',
              validUntil: '2027-03-01',
              dailyQuota: 100,
            },
          },
          as.waterIt,
        ),
      ).approveSharingApplication;
      expect(approved.status).toBe('APPROVED');
      expect(await grantIds()).toContain(approved.grant.id);
    });
  });
});
