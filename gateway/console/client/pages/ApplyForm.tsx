import { useState } from 'preact/hooks';
import { describedBy, Field, inputType, Problems } from '../components.tsx';
import { dateFromToday } from '../dates.ts';
import { fieldProblems } from '../fieldProblems.ts';
import { useT } from '../i18n.ts';
import { useMutation } from '../useApi.ts';
import type { EntryView } from './EntryView.ts';

const APPLY = /* GraphQL */ `
  mutation ConsoleApply($input: ApplicationInput!) {
    applyForAccess(input: $input) {
      id
      status
      deadline
    }
  }
`;

const FIELDS = ['items', 'purpose', 'scenario', 'legalBasis', 'requestedFrom', 'modes'] as const;

/**
 * The application for a CONDITIONAL dataset: items picked from the entry,
 * purpose, scenario, legal basis, period and modes. What is missing is said
 * beside the field before anything is sent; what the API refuses is said
 * beside the field it names.
 */
export function ApplyForm({ entry }: { entry: EntryView }) {
  const t = useT();
  const [items, setItems] = useState<string[]>([]);
  const [modes, setModes] = useState<string[]>(entry.sharingModes.slice(0, 1));
  const [text, setText] = useState({
    purpose: '',
    scenario: '',
    legalBasis: '',
    requestedFrom: dateFromToday(0),
    requestedUntil: dateFromToday(365),
  });
  const [tried, setTried] = useState(false);
  const apply = useMutation<{ applyForAccess: { id: string; status: string; deadline: string } }>(
    APPLY,
  );

  const local: Record<string, string | null> = {
    items: items.length === 0 ? t('pickItem') : null,
    purpose: text.purpose.trim() === '' ? t('required') : null,
    scenario: text.scenario.trim() === '' ? t('required') : null,
    legalBasis: text.legalBasis.trim() === '' ? t('required') : null,
    modes: modes.length === 0 ? t('pickMode') : null,
    requestedFrom: text.requestedFrom >= text.requestedUntil ? t('datesOrder') : null,
  };
  const server = fieldProblems(apply.error, FIELDS);
  const problem = (field: string) => (tried ? local[field] : null) ?? server.byField[field] ?? null;

  const submit = async (event: Event) => {
    event.preventDefault();
    setTried(true);
    if (Object.values(local).some((p) => p !== null)) return;
    await apply.run({ input: { dataset: entry.code, items, modes, ...text } });
  };
  const toggle = (list: string[], set: (l: string[]) => void, value: string) =>
    set(list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const input = (name: keyof typeof text, type: 'text' | 'date' = 'text', help?: string) => (
    <Field
      id={`apply-${name}`}
      label={t(name === 'requestedFrom' ? 'from' : name === 'requestedUntil' ? 'until' : name)}
      problem={problem(name)}
      help={help}
    >
      <input
        id={`apply-${name}`}
        {...inputType(type)}
        value={text[name]}
        aria-invalid={problem(name) ? 'true' : undefined}
        aria-describedby={describedBy(`apply-${name}`, !!help, problem(name))}
        onInput={(e) => setText({ ...text, [name]: e.currentTarget.value })}
      />
    </Field>
  );
  const done = apply.result?.applyForAccess;
  return (
    <form
      class="card"
      id="apply-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="apply-title"
    >
      <h2 id="apply-title">{t('applyTitle')}</h2>
      <p class="help">{t('applyHelp')}</p>
      <fieldset
        class={problem('items') ? 'invalid' : undefined}
        aria-describedby={problem('items') ? 'apply-items-problem' : undefined}
      >
        <legend>{t('items')}</legend>
        {entry.items.map((i) => (
          <label key={i.name} class="check">
            <input
              type="checkbox"
              name="items"
              value={i.name}
              checked={items.includes(i.name)}
              onChange={() => toggle(items, setItems, i.name)}
            />{' '}
            {i.title} <code>{i.name}</code>
          </label>
        ))}
        {problem('items') ? (
          <small id="apply-items-problem" class="field-problem" role="alert">
            {problem('items')}
          </small>
        ) : null}
      </fieldset>
      {input('purpose', 'text', t('purposeHelp'))}
      <Field id="apply-scenario" label={t('scenario')} problem={problem('scenario')}>
        <textarea
          id="apply-scenario"
          value={text.scenario}
          aria-invalid={problem('scenario') ? 'true' : undefined}
          aria-describedby={describedBy('apply-scenario', false, problem('scenario'))}
          onInput={(e) => setText({ ...text, scenario: e.currentTarget.value })}
        />
      </Field>
      {input('legalBasis')}
      {input('requestedFrom', 'date')}
      {input('requestedUntil', 'date')}
      <fieldset aria-describedby={problem('modes') ? 'apply-modes-problem' : undefined}>
        <legend>{t('modes')}</legend>
        {entry.sharingModes.map((m) => (
          <label key={m} class="check">
            <input
              type="checkbox"
              name="modes"
              value={m}
              checked={modes.includes(m)}
              onChange={() => toggle(modes, setModes, m)}
            />{' '}
            {t(m)}
          </label>
        ))}
        {problem('modes') ? (
          <small id="apply-modes-problem" class="field-problem" role="alert">
            {problem('modes')}
          </small>
        ) : null}
      </fieldset>
      <Problems error={server.rest} />
      {done ? (
        <p class="success" role="status" id="apply-done">
          {t('submitted')} {done.id} · {t(done.status)} · {t('deadline')} {done.deadline}
        </p>
      ) : null}
      <button type="submit" class="primary" id="apply-submit" disabled={apply.busy}>
        {t('submit')}
      </button>
    </form>
  );
}
