import { signInternalToken, type PlatformKey } from '../../server/index.ts';
import { benchIdentity } from './benchGrants.ts';
import {
  DEPARTMENT,
  ENTITIES_REQUEST_ID,
  entitiesBody,
  servePublicSecurity,
  type PublicSecuritySetup,
} from './publicSecurityServers.ts';
import { alternate, logRounds } from './alternate.ts';
import { runAutocannon } from './runAutocannon.ts';
import { summarize, type Summary } from './summarize.ts';

export interface RulesBenchSetup extends PublicSecuritySetup {
  rounds: number;
  seconds: number;
  connections: number;
}

/**
 * The public-security subgraph answering the `_entities` fetch the gateway sends
 * for 100 people, with its sharing rules on (a grantee with a mask) and off,
 * alternating rounds. Both are the same code but for the shield middleware.
 */
export async function runRulesBench(setup: RulesBenchSetup): Promise<Summary[]> {
  const { keys, log } = setup;
  // Both keep the caller's identity (the token is checked); only the rules differ.
  const { servers, stop } = await servePublicSecurity(setup, {
    'rules on': 'governed',
    'rules off': 'rules off',
  });
  try {
    const body = await entitiesBody(setup.departmentDb, setup.joinKey);
    // A benchmark of error responses measures nothing: check each answers in full first.
    for (const [name, server] of Object.entries(servers)) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-govdata-context': await benchToken(keys.privateKey, body),
        },
        body,
      });
      const answer = (await response.json()) as {
        data?: { _entities?: unknown[] };
        errors?: unknown[];
      };
      const entities = answer.data?._entities ?? [];
      if (answer.errors || entities.length !== 100 || entities.some((e) => e === null)) {
        throw new Error(
          `${name} does not answer the benchmark query in full: ${JSON.stringify(answer).slice(0, 300)}`,
        );
      }
    }
    const results = await alternate(
      ['rules on', 'rules off'] as const,
      setup,
      async (name, seconds) =>
        runAutocannon({
          url: servers[name].url,
          body,
          // A fresh token each turn, bound to the body: valid 10 s (15 with clock tolerance).
          headers: { 'x-govdata-context': await benchToken(keys.privateKey, body) },
          connections: setup.connections,
          seconds,
        }),
      logRounds(log),
    );
    return [...results].map(([name, r]) => summarize(name, r));
  } finally {
    await stop();
  }
}

/** The context token of the benchmark's grantee for `body`, valid for one round (up to 15 s). */
function benchToken(key: PlatformKey, body: string): Promise<string> {
  return signInternalToken(benchIdentity(ENTITIES_REQUEST_ID), DEPARTMENT, key, body);
}
