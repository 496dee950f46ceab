import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { DEPARTMENT_CODE, type Caller, type Role } from './RequestIdentity.ts';

/** Prefix of every API key, so a leaked one is recognisable in logs and scanners. */
const PREFIX = 'gdk';

/**
 * A department of this platform, as a bearer token's `dept` must be. A linked
 * platform's consumer (`platform:department`) is only ever established by a
 * verified link token: a key naming one would take its grants here.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * How long a key is valid, in days: 90 unless asked otherwise, a year at most.
 * A key does not live for ever: one copied into a script, a log or a departed
 * developer's laptop stops working on its own, and its successor is issued.
 */
export const API_KEY_VALID_DAYS = { default: 90, most: 365 } as const;

export interface IssuedApiKey {
  id: string;
  /** The whole key; shown once, never stored. */
  key: string;
  /** When it stops working. */
  expiresAt: string;
}

/**
 * Issues an API key for an application: `gdk_<id>_<secret>`. Only the SHA-256
 * of the secret is stored (the secret is 32 random bytes, so a fast hash is
 * enough); the key itself is returned once. It expires after `validDays`
 * (`API_KEY_VALID_DAYS`).
 */
export async function issueApiKey(
  db: Knex,
  owner: Caller,
  label: string,
  /** Who issued it, as recorded: an admin's department/user, or the command line. */
  issuedBy: string | null = null,
  validDays: number = API_KEY_VALID_DAYS.default,
): Promise<IssuedApiKey> {
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > API_KEY_VALID_DAYS.most) {
    throw new Error(`A key is valid for 1 to ${API_KEY_VALID_DAYS.most} days, not ${validDays}.`);
  }
  if (!DEPARTMENT_CODE.test(owner.department)) {
    throw new Error(
      `${owner.department} is not a department code (lower-case letters, digits and _); a linked platform's consumer gets no key here.`,
    );
  }
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const now = Date.now();
  const expiresAt = new Date(now + validDays * 86_400_000).toISOString();
  await db('api_keys').insert({
    id,
    secret_hash: sha256(secret),
    department: owner.department,
    application: owner.application,
    user_id: owner.user,
    roles: JSON.stringify(owner.roles),
    label,
    created_at: new Date(now).toISOString(),
    expires_at: expiresAt,
    revoked_at: null,
    issued_by: issuedBy,
  });
  return { id, key: `${PREFIX}_${id}_${secret}`, expiresAt };
}

export async function revokeApiKey(
  db: Knex,
  id: string,
  revokedBy: string | null = null,
): Promise<boolean> {
  return (
    (await db('api_keys')
      .where({ id, revoked_at: null })
      .update({ revoked_at: new Date().toISOString(), revoked_by: revokedBy })) === 1
  );
}

/** What may be shown about an issued key: everything but its secret and the secret's hash. */
export interface ApiKeyListing {
  id: string;
  department: string;
  application: string | null;
  user: string | null;
  roles: Role[];
  label: string;
  createdAt: string;
  /** When it stops working (null only on a row written without one). */
  expiresAt: string | null;
  revokedAt: string | null;
  /** Who issued and who revoked it, where recorded. */
  issuedBy: string | null;
  revokedBy: string | null;
}

/** Which keys to list: of one department, one id, and which page (offset and limit). */
export interface ApiKeyFilter {
  department?: string | null;
  id?: string | null;
  offset?: number;
  limit?: number | null;
}

/**
 * Every issued API key, oldest first, optionally of one department (or one
 * id, or one page), for operators to find the id to revoke. The secret is
 * never stored and its hash is not selected, so a listing can be pasted anywhere.
 */
export async function listApiKeys(db: Knex, filter: ApiKeyFilter = {}): Promise<ApiKeyListing[]> {
  const { department, id, offset = 0, limit = null } = filter;
  const rows = (await db('api_keys')
    .select(
      'id',
      'department',
      'application',
      'user_id',
      'roles',
      'label',
      'created_at',
      'expires_at',
      'revoked_at',
      'issued_by',
      'revoked_by',
    )
    .modify((q) => {
      if (department) void q.where({ department });
      if (id) void q.where({ id });
      if (limit !== null) void q.limit(limit);
      if (offset > 0) void q.offset(offset);
    })
    .orderBy([{ column: 'created_at' }, { column: 'id' }])) as {
    id: string;
    department: string;
    application: string | null;
    user_id: string | null;
    roles: string;
    label: string;
    created_at: string;
    expires_at: string | null;
    revoked_at: string | null;
    issued_by: string | null;
    revoked_by: string | null;
  }[];
  return rows.map((row) => ({
    id: row.id,
    department: row.department,
    application: row.application,
    user: row.user_id,
    roles: JSON.parse(row.roles) as Role[],
    label: row.label,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    issuedBy: row.issued_by,
    revokedBy: row.revoked_by,
  }));
}

/** The caller an API key stands for, or null if it is unknown, wrong, revoked or expired. */
export async function findApiKeyCaller(db: Knex, key: string): Promise<Caller | null> {
  const match = /^gdk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(key);
  if (!match) return null;
  const [, id, secret] = match as unknown as [string, string, string];
  const row = (await db('api_keys').where({ id }).first()) as
    | {
        secret_hash: string;
        department: string;
        application: string | null;
        user_id: string | null;
        roles: string;
        revoked_at: string | null;
        expires_at: string | null;
      }
    | undefined;
  if (!row || row.revoked_at !== null || !DEPARTMENT_CODE.test(row.department)) return null;
  // A row without an end is not taken for one that never ends.
  if (!row.expires_at || !(Date.parse(row.expires_at) > Date.now())) return null;
  const expected = Buffer.from(row.secret_hash, 'hex');
  const actual = Buffer.from(sha256(secret), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return {
    department: row.department,
    application: row.application,
    user: row.user_id,
    roles: JSON.parse(row.roles) as Role[],
  };
}
