import type { Knex } from 'knex';

/** MySQL refusing a user (1045) or its rights on the database (1044). */
const REFUSED_FOR_RIGHTS = new Set<unknown>([1044, 1045]);

/**
 * For `windowMs` from now, a new connection of `db` that the server refuses
 * for want of rights is tried again (after 50 ms, doubling to at most 400 ms)
 * instead of failing. On a multi-primary cluster (Galera) a department's user
 * and its grant are made through one node and applied by the others moments
 * later: a first connection the balancer routes to a node still applying them
 * is refused, though the grant is committed. After the window a refusal fails
 * at once, as a wrong password or a missing grant should.
 */
export function retryWhileGrantsSpread(db: Knex, windowMs: number): void {
  const client = db.client as { acquireRawConnection(): Promise<unknown> };
  const connect = client.acquireRawConnection.bind(client);
  const until = Date.now() + windowMs;
  client.acquireRawConnection = async () => {
    for (let wait = 50; ; wait = Math.min(wait * 2, 400)) {
      try {
        return await connect();
      } catch (error) {
        const errno = (error as { errno?: unknown } | null)?.errno;
        if (!REFUSED_FOR_RIGHTS.has(errno) || Date.now() + wait > until) throw error;
        await new Promise((retry) => setTimeout(retry, wait));
      }
    }
  };
}
