import { lineDiff } from './lineDiff.ts';

/** A diff as a listing: removed lines marked "-", added "+" (marked by text too, not colour alone). */
export function DiffView({
  before,
  after,
  label,
}: {
  before: string;
  after: string;
  label: string;
}) {
  return (
    <pre class="diff" aria-label={label} tabIndex={0}>
      {lineDiff(before, after).map((l, i) => (
        <span key={i} class={l.kind === '+' ? 'added' : l.kind === '-' ? 'removed' : undefined}>
          {l.kind} {l.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

/** A JSON document pretty-printed, so that diffs are by field. */
export function pretty(json: string | null | undefined): string {
  if (!json) return '';
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}
