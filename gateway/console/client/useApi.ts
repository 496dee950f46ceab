import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, gql } from './graphql.ts';

export interface ApiState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/** Runs a query when the component shows and whenever `variables` change; `reload` runs it again. */
export function useQuery<T>(query: string, variables: Record<string, unknown> = {}): ApiState<T> {
  const key = JSON.stringify(variables);
  const [round, setRound] = useState(0);
  const [state, setState] = useState<Omit<ApiState<T>, 'reload'>>({
    data: null,
    error: null,
    loading: true,
  });
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    gql<T>(query, JSON.parse(key) as Record<string, unknown>).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        current && setState({ data: null, error: asApiError(error), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [query, key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

/** A mutation's state: run it, and see its error or result. */
export function useMutation<T>(query: string) {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<T | null>(null);
  const run = async (variables: Record<string, unknown>): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      const data = await gql<T>(query, variables);
      setResult(data);
      return data;
    } catch (caught) {
      setError(asApiError(caught));
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { run, error, busy, result };
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError([{ message: String(error), code: null, requestId: null }]);
}
