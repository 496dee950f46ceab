import { badUserInput, conflict, notFound } from '../../../schema/index.ts';
import {
  API_KEY_VALID_DAYS,
  DEPARTMENT_CODE,
  issueApiKey,
  listApiKeys,
  keyRoleProblem,
  revokeApiKey,
  ROLES,
  type ApiKeyListing,
  type Role,
} from '../../../server/index.ts';
import { actorOf, type PlatformContext } from '../api/PlatformContext.ts';
import type { OffsetPage } from '../api/pageArguments.ts';

/** What an admin asks for when issuing a key. */
export interface ApiKeyInput {
  department: string;
  application: string;
  roles?: string[] | null;
  label?: string | null;
  validDays?: number | null;
}

const APPLICATION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEY_ID = /^[0-9a-f]{16}$/;
const LABEL_LENGTH = 128;

/**
 * Issuing, listing and revoking API keys is the admin's alone (the rules
 * refuse every other role): a key is a credential carrying the roles chosen
 * when it is issued, so issuing one grants access the way a grant does.
 */
export async function listKeys(
  ctx: PlatformContext,
  department: string | null,
  page: OffsetPage,
): Promise<ApiKeyListing[]> {
  if (department !== null && !DEPARTMENT_CODE.test(department)) {
    throw badUserInput('department must be a department code, e.g. civil_affairs.', 'department');
  }
  return listApiKeys(ctx.db, { department, ...page });
}

/** Issues a key after checking what it is for; the key is in the answer once and nowhere else. */
export async function issueKey(
  ctx: PlatformContext,
  input: ApiKeyInput,
): Promise<{ secret: string; apiKey: ApiKeyListing }> {
  const problems: string[] = [];
  if (!DEPARTMENT_CODE.test(input.department)) {
    problems.push('department: a department code, e.g. civil_affairs (a-z, 0-9, _).');
  }
  if (!APPLICATION.test(input.application)) {
    problems.push(
      'application: letters, digits, ".", "_" or "-", up to 64 characters, e.g. relief-app.',
    );
  }
  const roles = [...new Set(input.roles ?? ['APP_DEVELOPER'])];
  const unknown = roles.filter((r) => !ROLES.includes(r as Role));
  if (roles.length === 0 || unknown.length > 0) {
    problems.push(
      `roles: ${unknown.length ? `unknown ${unknown.slice(0, 4).join(', ').slice(0, 200)}; ` : ''}one or more of ${ROLES.join(', ')}.`,
    );
  }
  // An application's credential: it reads data. What else a key could carry would let one
  // admin act as a department's IT, or as a second reviewer, under names the admin chose.
  const beyond = roles.filter((r) => r !== 'APP_DEVELOPER');
  if (unknown.length === 0 && beyond.length > 0) {
    problems.push(
      `roles: keys issued here carry APP_DEVELOPER only, not ${beyond.join(', ')}: ${
        keyRoleProblem(roles as Role[]) ??
        "department IT's work is done by its people signed in, or by an automation key its operator issues (npm run apikey -- issue --role DEPT_IT)."
      }`,
    );
  }
  const label = (input.label ?? '').trim() || `${input.department}/${input.application}`;
  if (label.length > LABEL_LENGTH || /\p{Cc}/u.test(label)) {
    problems.push(`label: up to ${LABEL_LENGTH} characters on one line.`);
  }
  const validDays = input.validDays ?? API_KEY_VALID_DAYS.default;
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > API_KEY_VALID_DAYS.most) {
    problems.push(`validDays: 1 to ${API_KEY_VALID_DAYS.most} days; a key does not live for ever.`);
  }
  if (problems.length > 0) {
    throw badUserInput(
      `The API key cannot be issued:\n${problems.map((p) => `- ${p}`).join('\n')}`,
      'input',
    );
  }
  const issued = await issueApiKey(
    ctx.db,
    {
      department: input.department,
      application: input.application,
      user: null,
      roles: roles as Role[],
    },
    label,
    actorOf(ctx),
    validDays,
  );
  const [apiKey] = await listApiKeys(ctx.db, { id: issued.id });
  return { secret: issued.key, apiKey: apiKey! };
}

/** Revokes an active key; NOT_FOUND for an unknown id, CONFLICT for one already revoked. */
export async function revokeKey(ctx: PlatformContext, id: string): Promise<ApiKeyListing> {
  if (!KEY_ID.test(id)) {
    throw badUserInput('id must be a key id: 16 hexadecimal digits, as listed.', 'id');
  }
  const revoked = await revokeApiKey(ctx.db, id, actorOf(ctx));
  const [apiKey] = await listApiKeys(ctx.db, { id });
  if (!apiKey) throw notFound(`There is no API key ${id}.`);
  if (!revoked) throw conflict(`The API key ${id} was already revoked at ${apiKey.revokedAt}.`);
  return apiKey;
}
