import { badUserInput, conflict, forbidden, notFound } from '../../../schema/index.ts';
import {
  isPublicKey,
  PLATFORM_LEVELS,
  regionProblem,
  savePlatformIdentity,
  selectLink,
  selectPlatformIdentity,
  updateLink,
  upsertLink,
  withinRegion,
  type PlatformIdentity,
  type PlatformLink,
} from '../../../server/index.ts';
import type { CrossLevelContext } from './CrossLevelContext.ts';

const CODE = /^[a-z][a-z0-9_]{1,30}$/;
const MAX_KEYS = 4;

/** The administrator's name for the records; throws unless the caller is one of this platform's. */
export function administrator(ctx: CrossLevelContext): string {
  const caller = ctx.identity.caller;
  if (!caller?.roles.includes('ADMIN') || caller.department.includes(':')) {
    throw forbidden("Only this platform's administrators manage links between platforms.", 'ADMIN');
  }
  return caller.user ?? `${caller.department} administrator`;
}

/** Throws unless the caller is one of this platform's administrators or reviewers. */
export function supervisor(ctx: CrossLevelContext): void {
  const caller = ctx.identity.caller;
  const role = caller?.roles.some((r) => r === 'ADMIN' || r === 'REVIEWER') ?? false;
  if (!role || caller!.department.includes(':')) {
    throw forbidden(
      "Only this platform's administrators and reviewers see conflicts of authority across levels.",
      'ADMIN or REVIEWER',
    );
  }
}

export interface ThisPlatformView extends PlatformIdentity {
  linkPublicKey: string;
  nextLinkPublicKey: string | null;
}

export function thisPlatformView(
  identity: PlatformIdentity,
  ctx: CrossLevelContext,
): ThisPlatformView {
  return {
    ...identity,
    linkPublicKey: ctx.keys.publicKey,
    nextLinkPublicKey: ctx.keys.nextPublicKey,
  };
}

export async function describeThisPlatform(
  args: PlatformIdentity,
  ctx: CrossLevelContext,
): Promise<ThisPlatformView> {
  const by = administrator(ctx);
  checkIdentity(args);
  await savePlatformIdentity(ctx.db, args, by, new Date().toISOString());
  return thisPlatformView(args, ctx);
}

/**
 * Registers another platform on this side. A link joins a province and a city
 * within it: a municipal platform links its province, a provincial platform
 * its cities; two platforms of one level, or a city of another province, are
 * refused. Registering is this side's agreement only: nothing crosses until
 * the other platform's administrator registers this one too.
 */
export async function registerPlatformLink(
  input: Omit<
    PlatformLink,
    'status' | 'registeredBy' | 'registeredAt' | 'changedBy' | 'changedAt' | 'changeReason'
  >,
  ctx: CrossLevelContext,
): Promise<PlatformLink> {
  const by = administrator(ctx);
  const own = await selectPlatformIdentity(ctx.db);
  if (!own) throw conflict('Describe this platform first (describeThisPlatform).');
  checkIdentity(input);
  if (input.code === own.code) throw badUserInput('A platform does not link itself.', 'code');
  if (input.level === own.level) {
    throw badUserInput('A link joins a provincial platform and a municipal one.', 'level');
  }
  const [province, city] = own.level === 'PROVINCIAL' ? [own, input] : [input, own];
  if (!withinRegion(city.regionCode, 'PROVINCIAL', province.regionCode)) {
    throw badUserInput(
      `Region ${city.regionCode} is not within province ${province.regionCode}.`,
      'regionCode',
    );
  }
  let url: URL;
  try {
    url = new URL(input.gatewayUrl);
  } catch {
    throw badUserInput(
      'gatewayUrl is not a URL; give the other gateway’s GraphQL URL.',
      'gatewayUrl',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw badUserInput('gatewayUrl must be http or https.', 'gatewayUrl');
  }
  const publicKeys = checkedKeys(input.publicKeys);
  const at = new Date().toISOString();
  const previous = await selectLink(ctx.db, input.code);
  const link: PlatformLink = {
    ...input,
    gatewayUrl: url.toString(),
    publicKeys,
    status: previous?.status ?? 'ACTIVE',
    registeredBy: previous?.registeredBy ?? by,
    registeredAt: previous?.registeredAt ?? at,
    changedBy: by,
    changedAt: at,
    changeReason: previous ? 're-registered' : 'registered',
  };
  await upsertLink(ctx.db, link);
  return link;
}

/** Suspends, resumes or re-keys a link; takes effect on the next request either way. */
export async function changePlatformLink(
  code: string,
  change: { status?: 'ACTIVE' | 'SUSPENDED'; publicKeys?: string[]; reason: string },
  ctx: CrossLevelContext,
): Promise<PlatformLink> {
  const by = administrator(ctx);
  if (change.reason.trim() === '') throw badUserInput('Say why.', 'reason');
  const publicKeys = change.publicKeys ? checkedKeys(change.publicKeys) : undefined;
  const changed = await updateLink(ctx.db, code, {
    status: change.status,
    publicKeys,
    by,
    at: new Date().toISOString(),
    reason: change.reason.slice(0, 500),
  });
  if (!changed) throw notFound(`No platform ${code} is linked; see platformLinks.`);
  return (await selectLink(ctx.db, code))!;
}

function checkIdentity(identity: PlatformIdentity): void {
  if (!CODE.test(identity.code)) {
    throw badUserInput(
      'A platform code is 2-31 lower-case letters, digits or _ starting with a letter.',
      'code',
    );
  }
  if (identity.name.trim() === '' || identity.name.length > 200) {
    throw badUserInput('Give a name of at most 200 characters.', 'name');
  }
  if (!PLATFORM_LEVELS.includes(identity.level)) {
    throw badUserInput(`level is one of ${PLATFORM_LEVELS.join(', ')}.`, 'level');
  }
  const problem = regionProblem(identity.level, identity.regionCode);
  if (problem) throw badUserInput(`regionCode: ${problem}.`, 'regionCode');
}

function checkedKeys(keys: readonly string[]): string[] {
  if (keys.length === 0 || keys.length > MAX_KEYS || !keys.every(isPublicKey)) {
    throw badUserInput(
      `Give 1 to ${MAX_KEYS} Ed25519 public keys as the other platform shows them (thisPlatform.linkPublicKey).`,
      'publicKeys',
    );
  }
  return [...new Set(keys)];
}
