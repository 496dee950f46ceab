import { useEffect } from 'preact/hooks';
import { useT } from '../i18n.ts';
import { useQuery } from '../useApi.ts';
import type { GrantRow } from '../grantFields.ts';

const SERVED_BY = /* GraphQL */ `
  query ConsoleServedBy($code: String!) {
    catalogueEntry(code: $code) {
      servedBy {
        listField
      }
    }
  }
`;

/** Where the console leaves a grant's "try it" settings for GraphiQL (see setupGraphiQL.js). */
const tryItKey = (grantId: string) => `govdata-try-it:${grantId}`;

/**
 * Opens GraphiQL in a new tab with an example query for the grant's dataset
 * (its list field with the grant's items), a purpose the grant allows, and
 * the console's session: GraphiQL fetches the token from the session route
 * itself, so the token is never put in the link. The query, purpose and grant
 * are not in the link either, which any site could write: the console leaves
 * them in this origin's storage, and the link names only the grant.
 */
export function TryItLink({ grant }: { grant: GrantRow }) {
  const t = useT();
  const served = useQuery<{ catalogueEntry: { servedBy: { listField: string } | null } | null }>(
    SERVED_BY,
    { code: grant.dataset },
  );
  const listField = served.data?.catalogueEntry?.servedBy?.listField;
  const query = listField
    ? `# ${grant.dataset}: the items of grant ${grant.id}\nquery TryIt {\n  ${listField}(first: 5) {\n    nodes {\n${grant.items.map((i) => `      ${i}`).join('\n')}\n    }\n  }\n}\n`
    : null;
  const purpose = grant.purposes[0] ?? '';
  useEffect(() => {
    if (query === null) return;
    localStorage.setItem(tryItKey(grant.id), JSON.stringify({ grant: grant.id, purpose, query }));
  }, [grant.id, purpose, query]);
  if (query === null) return null;
  const params = new URLSearchParams({ session: 'console', tryIt: grant.id });
  return (
    <a
      class="button"
      href={`/graphiql?${params.toString()}`}
      target="_blank"
      rel="noopener"
      data-try-it={grant.id}
    >
      {t('tryIt')} <span class="visually-hidden">{grant.dataset}</span>
    </a>
  );
}
