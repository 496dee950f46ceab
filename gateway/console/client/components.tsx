import type { ComponentChildren } from 'preact';
import type { ApiError } from './graphql.ts';
import { useContext } from 'preact/hooks';
import { knownText, LangContext, useT } from './i18n.ts';

/** Text in a Chinese script: the API's message needs no translation then. */
const CHINESE = /[\u3400-\u9fff]/;

/**
 * Every problem the API reported, in words, headed by what kind of problem it
 * is. The API speaks English: in Chinese the console says what the error's
 * code (or denial reason) means, and gives the API's own message as detail;
 * in English the API's message is the text.
 */
export function Problems({ error }: { error: ApiError | null }) {
  const lang = useContext(LangContext);
  const t = useT();
  if (!error) return null;
  return (
    <div class="problems" role="alert">
      {error.problems.map((p, i) => {
        const explained =
          lang === 'zh' && !CHINESE.test(p.message)
            ? ((p.reason ? knownText(lang, `reason.${p.reason}`) : null) ??
              (p.code ? knownText(lang, `codeHelp.${p.code}`) : null))
            : null;
        return (
          <p key={i}>
            <strong>{t(p.code ? `code.${p.code}` : 'problem')}：</strong>
            {explained ? (
              <>
                <span class="explained">{explained}</span>
                <span class="detail">
                  {t('apiMessage')}：
                  <span class="message" lang="en">
                    {p.message}
                  </span>
                </span>
              </>
            ) : (
              <span class="message">{p.message}</span>
            )}
            {p.requestId ? (
              <small>
                {' '}
                ({t('requestId')} {p.requestId})
              </small>
            ) : null}
          </p>
        );
      })}
    </div>
  );
}

export function Loading({ when }: { when: boolean }) {
  const t = useT();
  return when ? (
    <p class="loading" role="status">
      {t('loading')}
    </p>
  ) : null;
}

/** A table with a caption (for screen readers) and a row per record, or "nothing here yet". */
export function Table({
  caption,
  headers,
  rows,
}: {
  caption: string;
  headers: string[];
  rows: ComponentChildren[][];
}) {
  const t = useT();
  if (rows.length === 0) return <p class="empty">{t('nothing')}</p>;
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {headers.map((h) => (
            <th scope="col" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((cells, i) => (
          <tr key={i}>
            {cells.map((cell, j) => (
              <td key={j}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A labelled form field with its inline message, tied together for assistive technology. */
export function Field({
  id,
  label,
  problem,
  help,
  children,
}: {
  id: string;
  label: string;
  problem?: string | null;
  help?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={problem ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      {children}
      {help ? (
        <small id={`${id}-help`} class="help">
          {help}
        </small>
      ) : null}
      {problem ? (
        <small id={`${id}-problem`} class="field-problem" role="alert">
          {problem}
        </small>
      ) : null}
    </div>
  );
}

/** The accessible description of a field: its help and its problem, when shown. */
export function describedBy(id: string, help: boolean, problem: string | null | undefined) {
  const ids = [help ? `${id}-help` : '', problem ? `${id}-problem` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** Saves text as a file from the page itself (a blob: URL; nothing is fetched). */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function Enum({ value }: { value: string }) {
  const t = useT();
  return <span class={`tag tag-${value.toLowerCase()}`}>{t(value)}</span>;
}

/**
 * The `type` of a text-valued input, as props: Preact types text and date
 * inputs apart, so a field helper that makes either spreads one of these.
 */
export function inputType(
  type: 'text' | 'date' | 'datetime-local',
): { type: 'text' } | { type: 'date' | 'datetime-local' } {
  return type === 'text' ? { type } : { type };
}
