import { IndexPermutation } from './IndexPermutation.ts';

/** Who a child row belongs to: person `index` or enterprise `index`. */
export type DemoOwner = { kind: 'person'; index: number } | { kind: 'enterprise'; index: number };

const SERIAL_SPACE = 1_000_000_000;
/** Enterprises number from here, so no enterprise shares a serial with a person. */
const ENTERPRISE_BASE = 500_000_000;

/**
 * 9-digit serials of owners within one table, one instance per table (its
 * stream tells tables apart, so a person's licence and credit serials are
 * unrelated). Child keys are the owner's serial plus the row's position among
 * the owner's rows, hence unique across the whole table without looking at any
 * other row.
 */
export class OwnerSerials {
  private readonly permutation: IndexPermutation;

  constructor(stream: number) {
    this.permutation = new IndexPermutation(SERIAL_SPACE, stream);
  }

  /** The serial of `owner`, zero-padded to 9 digits. */
  of(owner: DemoOwner): string {
    const slot = owner.kind === 'person' ? owner.index : ENTERPRISE_BASE + owner.index;
    return String(this.permutation.at(slot)).padStart(9, '0');
  }
}
