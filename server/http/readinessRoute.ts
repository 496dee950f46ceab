import type { Route } from './createGraphQLHttpServer.ts';
import { sendJson } from './sendJson.ts';

/** One thing a server needs to serve: says why it cannot now, or null. */
export type ReadinessCheck = () => Promise<string | null> | string | null;

/** Longest `/ready` waits for one check before reporting it as not answering. */
export const READY_CHECK_MS = 1000;

/**
 * Why a server cannot serve now, from its checks, all run at once: each one
 * that answers with a reason, throws, or has not answered within
 * `READY_CHECK_MS` gives one line (a thrown error only by its name: `/ready`
 * is read by load balancers and people, never shown a driver's message).
 */
export async function readinessProblems(checks: readonly ReadinessCheck[]): Promise<string[]> {
  const outcomes = await Promise.all(
    checks.map(async (check, index) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<string>((resolve) => {
        timer = setTimeout(
          () => resolve(`readiness check ${index + 1} did not answer within ${READY_CHECK_MS} ms`),
          READY_CHECK_MS,
        );
      });
      try {
        return await Promise.race([Promise.resolve(check()), late]);
      } catch (error) {
        return `readiness check ${index + 1} failed: ${error instanceof Error ? error.name : 'error'}`;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return outcomes.filter((outcome): outcome is string => outcome !== null);
}

/**
 * A `/ready` route for a subgraph host: 200 `ready` when every check passes,
 * 503 with the reasons otherwise (a load balancer or Kubernetes then sends it
 * nothing), and 503 `stopping` from the moment `stopping()` is true, so traffic
 * moves away before the server closes.
 */
export function readinessRoute(
  checks: readonly ReadinessCheck[],
  stopping: () => boolean = () => false,
): Route {
  return async (_, res) => {
    if (stopping()) return sendJson(res, 503, { status: 'stopping', problems: ['stopping'] });
    const problems = await readinessProblems(checks);
    sendJson(
      res,
      problems.length > 0 ? 503 : 200,
      problems.length > 0 ? { status: 'unavailable', problems } : { status: 'ready' },
    );
  };
}
