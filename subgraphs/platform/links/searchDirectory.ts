import { selectLinks, selectPlatformIdentity } from '../../../server/index.ts';
import type { CrossLevelContext } from './CrossLevelContext.ts';
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
}

/** Longest search text; longer is cut, never an error. */
const MAX_SEARCH = 100;

/**
 * The directory across levels: this platform's entries in force and those
 * harvested from linked platforms, each marked with its platform and
 * department; `search` matches words of code, title or department (any case).
 */
export async function searchDirectory(
  ctx: CrossLevelContext,
  search: string | null,
  platform: string | null,
): Promise<DirectoryEntry[]> {
  const own = await selectPlatformIdentity(ctx.db);
  const ownCode = own?.code ?? 'local';
  const catalogue = ctx.catalogue();
  const local: DirectoryEntry[] = catalogue.entries.map((e) => ({
    platform: ownCode,
    level: own?.level ?? 'PROVINCIAL',
    code: e.code,
    title: e.name,
    department: e.department,
    departmentRegion: catalogue.department(e.department)?.region ?? '',
    sharingType: e.sharing.type,
    harvestedAt: null,
  }));
  const links = new Map<string, string>();
  const harvested = await selectLinkedEntries(ctx.db);
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
    })),
  ];
  const words = (search ?? '').slice(0, MAX_SEARCH).toLowerCase().split(/\s+/).filter(Boolean);
  return all.filter(
    (e) =>
      (platform === null || e.platform === platform) &&
      words.every((w) => `${e.code} ${e.title} ${e.department}`.toLowerCase().includes(w)),
  );
}
