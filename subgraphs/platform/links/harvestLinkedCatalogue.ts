import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  departmentFitsPlatform,
  getRequestBody,
  LINK_TOKEN_HEADER,
  signLinkToken,
  type PlatformIdentity,
  type PlatformKey,
  type PlatformLink,
} from '../../../server/index.ts';
import type { CatalogueEntry } from '../../../schema/index.ts';
import type { LinkCatalogue } from './catalogueForLinks.ts';
import { LINK_CATALOGUE_PATH } from './linkCatalogueRoute.ts';
import { replaceLinkedEntries, type LinkedEntry } from './linkedEntryQueries.ts';

/** How long a harvest waits for the other platform. */
const HARVEST_TIMEOUT_MS = 5000;

/** What one harvest of one link came to. */
export interface HarvestOutcome {
  platform: string;
  entries: number;
  /** Entries refused: a department the linked platform may not claim, say. */
  refused: string[];
}

/**
 * Harvests `link`'s published catalogue into this platform's directory,
 * replacing what was harvested before (so a retired entry leaves). The other
 * platform must describe itself as it was registered here; an entry of a
 * department outside the linked platform's region — a municipal platform
 * claiming a provincial department, or another city's — is refused and named.
 * Throws when the other platform does not answer or refuses (nothing changes).
 */
export async function harvestLinkedCatalogue(
  db: Knex,
  own: PlatformIdentity,
  link: PlatformLink,
  key: PlatformKey,
): Promise<HarvestOutcome> {
  const url = new URL(LINK_CATALOGUE_PATH, link.gatewayUrl);
  const token = signLinkToken(
    {
      from: own.code,
      to: link.code,
      body: getRequestBody(url.pathname + url.search),
      correlationId: randomUUID(),
    },
    key,
  );
  const response = await fetch(url, {
    headers: { [LINK_TOKEN_HEADER]: token },
    signal: AbortSignal.timeout(HARVEST_TIMEOUT_MS),
  });
  if (!response.ok) {
    throw new Error(
      `${link.code} answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
    );
  }
  const published = (await response.json()) as LinkCatalogue;
  const { platform } = published;
  if (
    platform.code !== link.code ||
    platform.level !== link.level ||
    platform.regionCode !== link.regionCode
  ) {
    throw new Error(
      `${link.code} describes itself as ${platform.code} (${platform.level}, ${platform.regionCode}), not as registered here`,
    );
  }
  const refused: string[] = [];
  const at = new Date().toISOString();
  const entries: LinkedEntry[] = [];
  for (const e of published.entries) {
    if (!departmentFitsPlatform(e.departmentRegion, link.level, link.regionCode)) {
      refused.push(
        `${e.code}: department ${e.department} (region ${e.departmentRegion}) is not a department of ${link.code}`,
      );
      continue;
    }
    entries.push({
      platform: link.code,
      code: e.code,
      department: e.department,
      departmentRegion: e.departmentRegion,
      title: e.title,
      sharingType: e.sharingType,
      entry: e.entry as CatalogueEntry,
      dcat: e.dcat,
      harvestedAt: at,
    });
  }
  await replaceLinkedEntries(db, link.code, entries);
  return { platform: link.code, entries: entries.length, refused };
}
