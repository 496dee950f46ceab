import { selectLinks, selectPlatformIdentity } from '../../../server/index.ts';
import type { CrossLevelContext } from './CrossLevelContext.ts';
import { authoritativeFor, crossLevelAuthority } from './crossLevelAuthority.ts';
import { selectLinkedEntries } from './linkedEntryQueries.ts';

export interface DirectoryEntry {
  platform: string;
  level: string;
  code: string;
  title: string;
  department: string;
  departmentRegion: string;
  sharingType: string;
  harvestedAt: string | null;
  /** One-source elements this platform takes the entry as the authoritative source of. */
  authoritativeFor: string[];
}

/** Longest search text; longer is cut, never an error. */
const MAX_SEARCH = 100;

/**
 * The directory across levels: this platform's entries in force and those
 * harvested from linked platforms, each marked with its platform and
 * department; `search` matches words of code, title or department (any case).
 * A harvested entry's claim on an element this platform (or another linked
 * platform before it) holds is not taken: see `crossLevelAuthority`.
 */
export async function searchDirectory(
  ctx: CrossLevelContext,
  search: string | null,
  platform: string | null,
): Promise<DirectoryEntry[]> {
  const own = await selectPlatformIdentity(ctx.db);
  const ownCode = own?.code ?? 'local';
  const catalogue = ctx.catalogue();
  const harvested = await selectLinkedEntries(ctx.db);
  const authority = await crossLevelAuthority(ctx.db, catalogue, harvested);
  const local: DirectoryEntry[] = catalogue.entries.map((e) => ({
    platform: ownCode,
    level: own?.level ?? 'PROVINCIAL',
    code: e.code,
    title: e.name,
    department: e.department,
    departmentRegion: catalogue.department(e.department)?.region ?? '',
    sharingType: e.sharing.type,
    harvestedAt: null,
    authoritativeFor: authoritativeFor(authority, null, e.code),
  }));
  const links = new Map<string, string>();
  for (const link of await selectLinks(ctx.db)) links.set(link.code, link.level);
  const all = [
    ...local,
    ...harvested.map((e) => ({
      platform: e.platform,
      level: links.get(e.platform) ?? 'MUNICIPAL',
      code: e.code,
      title: e.title,
      department: e.department,
      departmentRegion: e.departmentRegion,
      sharingType: e.sharingType,
      harvestedAt: e.harvestedAt,
      authoritativeFor: authoritativeFor(authority, e.platform, e.code),
    })),
  ];
  const words = (search ?? '').slice(0, MAX_SEARCH).toLowerCase().split(/\s+/).filter(Boolean);
  return all.filter(
    (e) =>
      (platform === null || e.platform === platform) &&
      words.every((w) => `${e.code} ${e.title} ${e.department}`.toLowerCase().includes(w)),
  );
}
