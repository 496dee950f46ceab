import type { ApiError } from './graphql.ts';

/**
 * Splits the API's validation message ("The application is not valid:\n-
 * items: …\n- purpose: …") into problems per field, so each shows beside its
 * field; whatever names no known field stays with the form as a whole.
 */
export function fieldProblems(
  error: ApiError | null,
  fields: readonly string[],
): { byField: Record<string, string>; rest: ApiError | null } {
  if (!error) return { byField: {}, rest: null };
  const byField: Record<string, string> = {};
  const rest = error.problems.filter((problem) => {
    if (problem.code !== 'BAD_USER_INPUT') return true;
    const lines = problem.message.split('\n').map((l) => l.replace(/^-\s*/, ''));
    let placed = false;
    for (const line of lines) {
      const field = fields.find((f) => line.startsWith(`${f}:`) || line.startsWith(`${f} `));
      if (field) {
        byField[field] = byField[field] ? `${byField[field]}; ${line}` : line;
        placed = true;
      }
    }
    return !placed;
  });
  return {
    byField,
    rest: rest.length
      ? (Object.assign(Object.create(Object.getPrototypeOf(error) as object), error, {
          problems: rest,
        }) as ApiError)
      : null,
  };
}
