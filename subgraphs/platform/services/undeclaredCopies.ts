import type { Knex } from 'knex';
import type { Catalogue, CatalogueEntry, CatalogueItem } from '../../../schema/index.ts';
import { databaseEngine } from '../../../server/index.ts';

/** How many distinct values of an item are read to compare; enough to see a copy, cheap on any table. */
const SAMPLE = 200;
/** Values a membership query names at once. */
const BATCH = 200;
/** Shortest identifier looked for inside longer values: shorter ones turn up in any text by chance. */
const MIN_EMBEDDED_LENGTH = 8;
/** A value longer than this is text, not a number that carries another; not searched for embedded identifiers. */
const MAX_EMBEDDING_LENGTH = 64;

/**
 * What an entry's own data says against its declarations: an item whose
 * values are another dataset's identifiers (the key of another entry of the
 * same department), or carry one inside them, while the item declares no
 * `source`. Such an item would publish that identifier under its own entry's
 * sharing, not the one that decides who may read it (one number, one source),
 * and no declaration would tell the reviewer. Found by comparing a sample of
 * the item's values with the other entry's key in the department's database.
 *
 * Only the department's own datasets are compared. Compared with another
 * department's register, the answer would be an oracle: a table of one made-up
 * ID number, submitted, would be refused exactly when that number is in the
 * register. Copies across departments are declared by `references`, `source`
 * and data elements, and checked by the quality inspection within grants.
 */
export interface UndeclaredCopy {
  /** The entry whose item holds the values. */
  entry: CatalogueEntry;
  item: CatalogueItem;
  index: number;
  /** The entry and key item whose values it holds. */
  source: CatalogueEntry;
  sourceItem: CatalogueItem;
  /** The values are the source's (`copy`), or contain them (`embeds`). */
  kind: 'copy' | 'embeds';
  matched: number;
  sampled: number;
}

/**
 * An item counts as holding another's identifiers when at least this share of
 * its sampled values do (and `MIN_MATCHES` of them): a copy matches nearly
 * every value, a coincidence a few.
 */
const MIN_SHARE = 0.2;
const MIN_MATCHES = 5;

/**
 * The candidate's items that hold, undeclared, the key of another entry of its
 * department in `catalogue` (the catalogue as it would be with the candidate).
 * `db` is the department's own database. Only reads; values never leave here.
 */
export async function undeclaredCopiesIn(
  db: Knex,
  catalogue: Catalogue,
  candidate: CatalogueEntry,
): Promise<UndeclaredCopy[]> {
  const samples = new Samples(db);
  const found: UndeclaredCopy[] = [];
  for (const sibling of siblingsOf(catalogue, candidate)) {
    const siblingKey = identifierItem(sibling);
    if (siblingKey) found.push(...(await copiesOf(samples, candidate, sibling, siblingKey)));
  }
  return found;
}

/**
 * The other entries of the candidate's department whose items hold its key
 * undeclared: looked for only when that key is new since `previous`, the
 * version in force (its first version, or a key moved to another table or
 * column). Entries submitted after the key was published were held to it then,
 * and those published before were found at its first version.
 */
export async function undeclaredCopiesOf(
  db: Knex,
  catalogue: Catalogue,
  candidate: CatalogueEntry,
  previous: CatalogueEntry | undefined,
): Promise<UndeclaredCopy[]> {
  const key = identifierItem(candidate);
  if (!key || sameIdentifier(candidate, previous)) return [];
  const samples = new Samples(db);
  const found: UndeclaredCopy[] = [];
  for (const sibling of siblingsOf(catalogue, candidate)) {
    found.push(...(await copiesOf(samples, sibling, candidate, key)));
  }
  return found;
}

function siblingsOf(catalogue: Catalogue, candidate: CatalogueEntry): CatalogueEntry[] {
  return catalogue.entries.filter(
    (e) => e.department === candidate.department && e.code !== candidate.code,
  );
}

/**
 * Samples of distinct values of a table's columns, each read once per check.
 * An item's values are sampled at random, not the first rows a scan meets:
 * those are whatever sorts first (test rows, placeholders), and would let a
 * table put values that match nothing where the sample is taken. A key's are
 * only read for their width (`fixedLength`): the first of its index will do,
 * without sorting a whole table at random for each of the department's datasets.
 */
class Samples {
  private readonly taken = new Map<string, Promise<string[]>>();

  constructor(readonly db: Knex) {}

  /** A random sample of the column's distinct values. */
  of(table: string, column: string): Promise<string[]> {
    return this.once(`random\u0000${table}\u0000${column}`, () =>
      this.read(table, column, databaseEngine(this.db) === 'mysql' ? 'RAND()' : 'RANDOM()'),
    );
  }

  /** The first of the key's distinct values, in the key's order. */
  firstOf(table: string, column: string): Promise<string[]> {
    return this.once(`first\u0000${table}\u0000${column}`, () => this.read(table, column, null));
  }

  private once(key: string, read: () => Promise<string[]>): Promise<string[]> {
    let values = this.taken.get(key);
    if (!values) {
      values = read();
      this.taken.set(key, values);
    }
    return values;
  }

  private async read(table: string, column: string, random: string | null): Promise<string[]> {
    const query = this.db(table).distinct(column).whereNotNull(column).limit(SAMPLE);
    const rows = (await (random ? query.orderByRaw(random) : query.orderBy(column))) as Record<
      string,
      unknown
    >[];
    return rows.map((r) => r[column]).filter((v): v is string => typeof v === 'string' && v !== '');
  }
}

/** Whether `previous` (the version in force) had the same identifier, in the same table and column. */
function sameIdentifier(candidate: CatalogueEntry, previous: CatalogueEntry | undefined): boolean {
  if (!previous) return false;
  const now = identifierItem(candidate);
  const before = identifierItem(previous);
  return (
    now !== null &&
    before !== null &&
    candidate.binding.table === previous.binding.table &&
    now.column === before.column
  );
}

/** The entry's identifier: its key when that is one authoritative text item. */
function identifierItem(entry: CatalogueEntry): CatalogueItem | null {
  if (entry.binding.key.length !== 1) return null;
  const key = entry.items.find((i) => i.name === entry.binding.key[0]);
  return key && key.type === 'STRING' && !key.source ? key : null;
}

/** `holder`'s undeclared text items whose values are, or contain, values of `source`'s key. */
async function copiesOf(
  samples: Samples,
  holder: CatalogueEntry,
  source: CatalogueEntry,
  sourceKey: CatalogueItem,
): Promise<UndeclaredCopy[]> {
  const { db } = samples;
  const found: UndeclaredCopy[] = [];
  const embeddedLength = fixedLength(await samples.firstOf(source.binding.table, sourceKey.column));
  for (const [index, item] of holder.items.entries()) {
    if (item.type !== 'STRING' || item.source) continue;
    const values = await samples.of(holder.binding.table, item.column);
    if (values.length === 0) continue;
    let kind: UndeclaredCopy['kind'] = 'copy';
    let matched = await countPresent(db, source, sourceKey, values, spellings);
    if (!enough(matched, values.length) && embeddedLength !== null) {
      kind = 'embeds';
      matched = await countPresent(db, source, sourceKey, values, (v) =>
        spellings(v).flatMap((spelling) => substringsOf(spelling, embeddedLength)),
      );
    }
    if (enough(matched, values.length)) {
      found.push({
        entry: holder,
        item,
        index,
        source,
        sourceItem: sourceKey,
        kind,
        matched,
        sampled: values.length,
      });
    }
  }
  return found;
}

function enough(matched: number, sampled: number): boolean {
  return matched >= Math.min(MIN_MATCHES, sampled) && matched >= sampled * MIN_SHARE;
}

/**
 * The one length every sampled value of the column has, when it has one of at
 * least `MIN_EMBEDDED_LENGTH` characters (an identifier of fixed width, which
 * can be looked for inside other values); null otherwise.
 */
function fixedLength(values: readonly string[]): number | null {
  const lengths = new Set(values.map((v) => v.length));
  if (lengths.size !== 1) return null;
  const [length] = lengths;
  return length! >= MIN_EMBEDDED_LENGTH ? length! : null;
}

/** The value as stored, and without the separators a number may be written with (`3301-0666…`). */
function spellings(value: string): string[] {
  const bare = value.replace(/[\s\-_./:]/g, '');
  return bare === value || bare === '' ? [value] : [value, bare];
}

/** Every substring of `value` of `length` characters, for a value longer than that. */
function substringsOf(value: string, length: number): string[] {
  if (value.length <= length || value.length > MAX_EMBEDDING_LENGTH) return [];
  const parts: string[] = [];
  for (let at = 0; at + length <= value.length; at += 1) parts.push(value.slice(at, at + length));
  return parts;
}

/** How many of `values` have at least one of their `probes` among the values of `source`'s key. */
async function countPresent(
  db: Knex,
  source: CatalogueEntry,
  sourceKey: CatalogueItem,
  values: readonly string[],
  probes: (value: string) => string[],
): Promise<number> {
  const byProbe = new Map<string, string[]>();
  const asked = new Set<string>();
  for (const value of values) {
    // MySQL's usual collations compare without case; look rows up the same way on either engine.
    for (const probe of probes(value)) {
      asked.add(probe);
      const at = probe.toLowerCase();
      byProbe.set(at, [...(byProbe.get(at) ?? []), value]);
    }
  }
  const all = [...asked];
  const present = new Set<string>();
  for (let at = 0; at < all.length; at += BATCH) {
    const rows = (await db(source.binding.table)
      .distinct(sourceKey.column)
      .whereIn(sourceKey.column, all.slice(at, at + BATCH))) as Record<string, unknown>[];
    for (const row of rows) {
      const key = String(row[sourceKey.column]).toLowerCase();
      for (const value of byProbe.get(key) ?? []) present.add(value);
    }
  }
  return present.size;
}
