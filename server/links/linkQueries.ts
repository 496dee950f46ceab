import type { Knex } from 'knex';
import { inTransaction } from '../database/inTransaction.ts';
import type { LinkStatus, PlatformIdentity, PlatformLevel, PlatformLink } from './PlatformLink.ts';

interface LinkRow {
  code: string;
  name: string;
  level: string;
  region_code: string;
  gateway_url: string;
  public_keys: string;
  status: string;
  registered_by: string;
  registered_at: string;
  changed_by: string;
  changed_at: string;
  change_reason: string | null;
}

function fromRow(row: LinkRow): PlatformLink {
  return {
    code: row.code,
    name: row.name,
    level: row.level as PlatformLevel,
    regionCode: row.region_code,
    gatewayUrl: row.gateway_url,
    publicKeys: JSON.parse(row.public_keys) as string[],
    status: row.status as LinkStatus,
    registeredBy: row.registered_by,
    registeredAt: row.registered_at,
    changedBy: row.changed_by,
    changedAt: row.changed_at,
    changeReason: row.change_reason,
  };
}

export async function selectLink(db: Knex, code: string): Promise<PlatformLink | null> {
  const row = await db<LinkRow>('platform_links').where({ code }).first();
  return row ? fromRow(row) : null;
}

export async function selectLinks(db: Knex): Promise<PlatformLink[]> {
  const rows = await db<LinkRow>('platform_links').orderBy('code');
  return rows.map(fromRow);
}

/** Registers `link`, or replaces what was registered under its code (keeping who registered it first). */
export async function upsertLink(db: Knex, link: PlatformLink): Promise<void> {
  const row = {
    name: link.name,
    level: link.level,
    region_code: link.regionCode,
    gateway_url: link.gatewayUrl,
    public_keys: JSON.stringify(link.publicKeys),
    status: link.status,
    changed_by: link.changedBy,
    changed_at: link.changedAt,
    change_reason: link.changeReason,
  };
  await inTransaction(db, async (trx) => {
    const updated = await trx('platform_links').where({ code: link.code }).update(row);
    if (updated === 0) {
      await trx('platform_links').insert({
        ...row,
        code: link.code,
        registered_by: link.registeredBy,
        registered_at: link.registeredAt,
      });
    }
  });
}

export async function updateLink(
  db: Knex,
  code: string,
  change: { status?: LinkStatus; publicKeys?: string[]; by: string; at: string; reason: string },
): Promise<boolean> {
  const updated = await db('platform_links')
    .where({ code })
    .update({
      ...(change.status ? { status: change.status } : {}),
      ...(change.publicKeys ? { public_keys: JSON.stringify(change.publicKeys) } : {}),
      changed_by: change.by,
      changed_at: change.at,
      change_reason: change.reason,
    });
  return updated > 0;
}

interface IdentityRow {
  code: string;
  name: string;
  level: string;
  region_code: string;
}

export async function selectPlatformIdentity(db: Knex): Promise<PlatformIdentity | null> {
  const row = await db<IdentityRow & { id: number }>('platform_identity').where({ id: 1 }).first();
  return row
    ? {
        code: row.code,
        name: row.name,
        level: row.level as PlatformLevel,
        regionCode: row.region_code,
      }
    : null;
}

export async function savePlatformIdentity(
  db: Knex,
  identity: PlatformIdentity,
  by: string,
  at: string,
): Promise<void> {
  const row = {
    code: identity.code,
    name: identity.name,
    level: identity.level,
    region_code: identity.regionCode,
    changed_by: by,
    changed_at: at,
  };
  await inTransaction(db, async (trx) => {
    const updated = await trx('platform_identity').where({ id: 1 }).update(row);
    if (updated === 0) await trx('platform_identity').insert({ id: 1, ...row });
  });
}

/**
 * Records that the link token `jti` from `platform` was used; false when it
 * was already (a replay), on this gateway or another replica. Expired ids are
 * cleared on the way.
 */
export async function useLinkToken(
  db: Knex,
  jti: string,
  platform: string,
  expiresAt: number,
): Promise<boolean> {
  await db('link_token_uses').where('expires_at', '<', Date.now()).delete();
  try {
    await db('link_token_uses').insert({ jti, platform, expires_at: expiresAt });
    return true;
  } catch {
    // The primary key refused a second use of this id.
    return false;
  }
}
