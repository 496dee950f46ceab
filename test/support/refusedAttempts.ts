/** MySQL's codes for a statement refused for want of a right. */
const REFUSED = /^ER_(TABLEACCESS|COLUMNACCESS|DBACCESS|SPECIFIC_ACCESS|ACCESS)/;

/**
 * Runs each attempt as a database user and returns those MySQL did not refuse
 * for want of a right, each with how it ended (`done`, or another error's
 * code): empty when every one was refused.
 */
export async function unrefused(
  attempts: readonly (readonly [string, () => Promise<unknown>])[],
): Promise<string[]> {
  const done: string[] = [];
  for (const [what, attempt] of attempts) {
    const error = await attempt().then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    if (!REFUSED.test(error?.code ?? '')) {
      done.push(`${what}: ${error ? (error.code ?? 'failed otherwise') : 'done'}`);
    }
  }
  return done;
}
