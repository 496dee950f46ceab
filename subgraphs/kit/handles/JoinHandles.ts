import { badUserInput } from '../../../schema/index.ts';
import type { DatasetTable, KeyValue } from '../sql/index.ts';
import { Sealer, type SealContext } from './Sealer.ts';

/**
 * One request's join handles. Entities travel between subgraphs under an opaque
 * `joinHandle` instead of their key, so the gateway and the client never see a
 * key that the caller's grant does not show: the key field itself is decided
 * like any other item. A handle is sealed for one entity type within one
 * request; the subgraph resolving the entity opens it to get the real key.
 */
export class JoinHandles {
  constructor(
    private readonly sealer: Sealer,
    private readonly requestId: string,
  ) {}

  /** Each entity type's sealing context in this request (a page seals and opens a hundred under one). */
  private readonly contexts = new Map<string, SealContext>();

  private contextOf(type: string): SealContext {
    let context = this.contexts.get(type);
    if (!context) {
      context = Sealer.context(`join\u0000${this.requestId}\u0000${type}`);
      this.contexts.set(type, context);
    }
    return context;
  }

  /** The handle of the `type` entity whose key is `key`. */
  seal(type: string, key: KeyValue): string {
    return this.sealer.seal(key, this.contextOf(type));
  }

  /**
   * The key inside a handle of this request for `type`. A handle from another
   * request, for another type or forged is refused: nothing is looked up.
   */
  open(type: string, handle: unknown): KeyValue {
    const key = this.sealer.open(handle, this.contextOf(type));
    if (isKeyValue(key)) return key;
    throw badUserInput(
      `joinHandle is not a handle of this request for ${type}; handles are made by the platform and only valid within the request that made them.`,
      'joinHandle',
    );
  }

  /** The key of `table`'s entity in its handle, in the shape loaders use. */
  openKey(table: DatasetTable, handle: unknown): KeyValue {
    const key = this.open(table.entry.binding.type, handle);
    const parts = typeof key === 'object' ? key : [key];
    if (parts.length !== table.keyItems.length) {
      throw badUserInput(
        `joinHandle does not hold a ${table.entry.binding.type} key.`,
        'joinHandle',
      );
    }
    return key;
  }
}

function isKeyValue(value: unknown): value is KeyValue {
  if (typeof value === 'string' || typeof value === 'number') return true;
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string' || typeof v === 'number')
  );
}
