import { dirname, join } from 'node:path';
import { loadConfig, LinkKeyRing } from '../../server/index.ts';
import { ok } from './responses.ts';
import type { TestPlatform } from './testPlatform.ts';

/** How a test names a platform's level and region when it links it. */
export interface LinkedPlatformIdentity {
  code: string;
  name: string;
  level: 'PROVINCIAL' | 'MUNICIPAL';
  regionCode: string;
}

/** An administrator of `platform`'s own data office. */
export function adminOf(platform: TestPlatform): Promise<Record<string, string>> {
  return platform.as('data_office', null, { roles: ['ADMIN'], user: 'link.admin' });
}

/** Describes `platform` as its administrator would; returns its link public key. */
export async function describePlatform(
  platform: TestPlatform,
  identity: LinkedPlatformIdentity,
): Promise<string> {
  const described = ok(
    await platform.query<{ describeThisPlatform: { linkPublicKey: string } }>(
      `mutation($code: String!, $name: String!, $level: PlatformLevel!, $region: String!) {
        describeThisPlatform(code: $code, name: $name, level: $level, regionCode: $region) { linkPublicKey }
      }`,
      {
        code: identity.code,
        name: identity.name,
        level: identity.level,
        region: identity.regionCode,
      },
      await adminOf(platform),
    ),
  );
  return described.describeThisPlatform.linkPublicKey;
}

export const REGISTER_LINK = `mutation($link: PlatformLinkInput!) {
  registerPlatformLink(link: $link) { code status publicKeys }
}`;

/** `at`'s administrator registers `other` (its identity, gateway URL and keys). */
export async function registerLink(
  at: TestPlatform,
  other: TestPlatform,
  identity: LinkedPlatformIdentity,
  publicKeys: string[],
): Promise<void> {
  ok(
    await at.query(
      REGISTER_LINK,
      { link: { ...identity, gatewayUrl: other.gateway.url, publicKeys } },
      await adminOf(at),
    ),
  );
}

/** The link key ring of a test platform, read from its data folder (as an operator could). */
export function linkKeysOf(platform: TestPlatform): LinkKeyRing {
  const config = loadConfig({ DATA_DIR: platform.database.dir });
  return LinkKeyRing.open(join(dirname(config.auth.gatewayPrivateKeyFile), 'link'));
}
