import type { Knex } from 'knex';
import { CatalogueError, type Catalogue, type CatalogueDepartment } from '../../../schema/index.ts';
import { selectCatalogueRevision, selectPublishedEntries } from './entryQueries.ts';
import { publishedCatalogueOf } from './publishedCatalogueOf.ts';

type Listener = (catalogue: Catalogue) => void | Promise<void>;

/**
 * The catalogue in force: the departments (from their folders) and the
 * published version of every entry (from the platform database). Every replica
 * polls the database's catalogue revision and, when it moves, assembles and
 * validates the new catalogue and tells its listeners (subgraphs rebuild their
 * schema, the gateway recomposes). A catalogue that does not validate is not
 * taken: the last good one stays, and `error` says why.
 */
export class CatalogueStore {
  private current: Catalogue;
  private revision = '';
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<boolean> | undefined;
  private readonly listeners: Listener[] = [];
  private lastError: string | null = null;

  constructor(
    private readonly db: Knex,
    private readonly departments: readonly Omit<CatalogueDepartment, 'entries'>[],
    initial: Catalogue,
    private readonly intervalMs = 1000,
    private readonly log: (message: string) => void = () => {},
  ) {
    this.current = initial;
  }

  get catalogue(): Catalogue {
    return this.current;
  }

  /** Why the newest published catalogue was not taken, or null. */
  get error(): string | null {
    return this.lastError;
  }

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((error: unknown) =>
        this.log(`catalogue reload failed: ${String(error)}`),
      );
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Loads the published catalogue if it changed; true when a new one was taken. */
  reload(): Promise<boolean> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<boolean> {
    const revision = await selectCatalogueRevision(this.db);
    if (revision === this.revision) return false;
    const published = await selectPublishedEntries(this.db);
    let next: Catalogue;
    try {
      next = publishedCatalogueOf(this.departments, published);
    } catch (error) {
      this.lastError = error instanceof CatalogueError ? error.message : String(error);
      this.log(
        `the published catalogue does not validate; keeping the last good one:\n${this.lastError}`,
      );
      this.revision = revision;
      return false;
    }
    this.revision = revision;
    this.lastError = null;
    this.current = next;
    for (const listener of this.listeners) await listener(next);
    return true;
  }
}
