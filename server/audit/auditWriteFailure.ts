import { rolledBackByServer, StorageUnavailableError } from '../database/index.ts';

/**
 * What a failed audit transaction (records plus chain head) left behind, as far
 * as the writer can tell from the error, and whether writing the same records
 * again may help:
 *
 * - `rolled-back`: the server answered with an error and kept nothing — on a
 *   Galera cluster a certification conflict or a brute-force abort (both
 *   reported as 1213, "Deadlock found … try restarting transaction"), or a node
 *   that is not part of the primary component (1047); or no connection was had
 *   at all. The same records, under the same sequence numbers and hashes, may
 *   be written again.
 * - `uncertain`: the connection broke (the node was killed, a proxy closed it)
 *   or the commit itself failed: the transaction may have committed or not. The
 *   chain head must be read back from the store before anything is written:
 *   writing on from memory could leave a gap, and writing the same records
 *   again could store them twice.
 * - `stale-head`: the store already holds a record with one of these sequence
 *   numbers (1062 on `writer, seq`): the head in memory is behind the store's,
 *   after an uncertain commit that did happen. Read the head back, as above.
 * - `refused`: anything else — a lock held too long, a full disk, a schema
 *   problem. Callers are refused at once, as they always were; retrying would
 *   only hold requests longer.
 *
 * The unique key on `audit_records (writer, seq)` is what makes retrying safe:
 * a chain can never fork, whatever the writer believes, because a second record
 * with the same position is refused by the store.
 */
export type AuditWriteFailure =
  | { kind: 'rolled-back'; reason: string }
  | { kind: 'uncertain'; reason: string }
  | { kind: 'stale-head'; reason: string }
  | { kind: 'refused'; reason: string };

/** Server errors after which the commit may or may not have happened. */
const UNCERTAIN_ERRNOS = new Set([
  1180, // ER_ERROR_DURING_COMMIT
  1053, // ER_SERVER_SHUTDOWN
  1927, // ER_CONNECTION_KILLED
  2006, // CR_SERVER_GONE_ERROR
  2013, // CR_SERVER_LOST
]);

/** Driver and socket codes of a connection that broke under a statement. */
const UNCERTAIN_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/** Socket codes of a connection that was never made: nothing was sent. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND']);

const ER_DUP_ENTRY = 1062;

/**
 * Thrown when the store's chain head is neither where this writer last
 * committed nor where an uncertain commit would have left it: records were
 * removed and the head moved back, or another process writes this chain.
 * Refused, not retried: writing on would fill positions already written.
 */
export class ChainHeadMovedError extends Error {
  override name = 'ChainHeadMovedError';

  constructor(
    readonly storedSeq: number,
    readonly writtenSeq: number,
  ) {
    super(
      `the audit chain's head in the store is at record ${storedSeq}, but this writer had committed ` +
        `up to ${writtenSeq}: records removed, or written by another process; refusing to write on`,
    );
  }
}

/**
 * Thrown inside an audit transaction when the store's chain head is not where
 * the writer chained its records from: the transaction is rolled back, and the
 * writer reads the head back (`stale-head`).
 */
export class StaleChainHeadError extends Error {
  override name = 'StaleChainHeadError';

  constructor() {
    super("the audit chain's head in the store is not where this writer left it");
  }
}

/** Classifies an error thrown by one audit write; see `AuditWriteFailure`. */
export function classifyAuditWriteFailure(error: unknown): AuditWriteFailure {
  if (error instanceof ChainHeadMovedError) {
    return {
      kind: 'refused',
      reason: `the audit chain's head in the store is at record ${error.storedSeq}, not ${error.writtenSeq} as written`,
    };
  }
  if (error instanceof StaleChainHeadError) {
    return { kind: 'stale-head', reason: 'the audit chain head moved in the store' };
  }
  if (error instanceof StorageUnavailableError) {
    return { kind: 'refused', reason: `the audit store stayed locked for ${error.waitedMs} ms` };
  }
  const { code, errno, fatal, name } = (error ?? {}) as {
    code?: unknown;
    errno?: unknown;
    fatal?: unknown;
    name?: unknown;
  };
  const label = typeof code === 'string' ? ` (${code})` : '';
  if (rolledBackByServer(error)) {
    return { kind: 'rolled-back', reason: `the audit store rolled a write back${label}` };
  }
  if (errno === ER_DUP_ENTRY) {
    return { kind: 'stale-head', reason: `the audit store already holds the position${label}` };
  }
  if (name === 'KnexTimeoutError' || (typeof code === 'string' && NOT_CONNECTED_CODES.has(code))) {
    return { kind: 'rolled-back', reason: `no connection to the audit store${label}` };
  }
  if (
    (typeof errno === 'number' && UNCERTAIN_ERRNOS.has(errno)) ||
    (typeof code === 'string' && UNCERTAIN_CODES.has(code)) ||
    fatal === true
  ) {
    return { kind: 'uncertain', reason: `the connection to the audit store broke${label}` };
  }
  if (code === 'ER_LOCK_WAIT_TIMEOUT') {
    return { kind: 'refused', reason: `the audit store stayed locked${label}` };
  }
  return { kind: 'refused', reason: `the audit store refused a write${label}` };
}
