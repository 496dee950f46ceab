import { randomFillSync } from 'node:crypto';

/**
 * Fresh random byte strings of one size, cut from a buffer filled `batch` at a
 * time: asking the system for 12 or 24 bytes costs 1 to 2 µs a call, nearly all
 * of it the call, not the randomness, and the hot paths (a nonce per subgraph
 * fetch, per join handle) ask thousands of times a second. Every string is
 * handed out once; nothing is reused.
 */
export class RandomPool {
  private pool = Buffer.alloc(0);
  private at = 0;

  constructor(
    private readonly size: number,
    private readonly batch = 1024,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be positive: ${size}`);
  }

  /** The next `size` random bytes (a view into the pool: copy them to keep them past the next call). */
  next(): Buffer {
    if (this.at + this.size > this.pool.length) {
      this.pool = randomFillSync(Buffer.allocUnsafe(this.size * this.batch));
      this.at = 0;
    }
    this.at += this.size;
    return this.pool.subarray(this.at - this.size, this.at);
  }
}
