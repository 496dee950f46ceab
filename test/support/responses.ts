import { expect } from 'vitest';
import type { GraphQLResponse } from './testPlatform.ts';

/** The response answered without any error; returns its data. */
export function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data!;
}

/** The response is refused with exactly one error of `code`; returns its message. */
export function refused(response: GraphQLResponse<unknown>, code: string): string {
  expect(response.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  return response.errors![0]!.message;
}

/** Retries `attempt` every 200 ms until it gives a value, failing after `ms`. */
export async function waitFor<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  ms = 10_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() - started > ms) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
