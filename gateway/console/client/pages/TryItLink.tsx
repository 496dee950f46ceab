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

/**
 * Opens GraphiQL in a new tab with an example query for the grant's dataset
 * (its list field with the grant's items), a purpose the grant allows, and
 * the console's session: GraphiQL fetches the token from the session route
 * itself, so the token is never put in the link.
 */
export function TryItLink({ grant }: { grant: GrantRow }) {
  const t = useT();
  const served = useQuery<{ catalogueEntry: { servedBy: { listField: string } | null } | null }>(
    SERVED_BY,
    { code: grant.dataset },
  );
  const listField = served.data?.catalogueEntry?.servedBy?.listField;
  if (!listField) return null;
  const query = `# ${grant.dataset}: the items of grant ${grant.id}\nquery TryIt {\n  ${listField}(first: 5) {\n    nodes {\n${grant.items.map((i) => `      ${i}`).join('\n')}\n    }\n  }\n}\n`;
  const params = new URLSearchParams({
    session: 'console',
    purpose: grant.purposes[0] ?? '',
    grant: grant.id,
    query,
  });
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
