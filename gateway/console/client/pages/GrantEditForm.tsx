import { useState } from 'preact/hooks';
import { Field, Problems } from '../components.tsx';
import type { GrantRow } from '../grantFields.ts';
import { useT } from '../i18n.ts';
import { useMutation } from '../useApi.ts';

const UPDATE = /* GraphQL */ `
  mutation ConsoleUpdateGrant(
    $id: ID!
    $expectedVersion: Int!
    $conditions: GrantConditionsInput!
    $reason: String!
  ) {
    updateGrant(
      id: $id
      expectedVersion: $expectedVersion
      conditions: $conditions
      reason: $reason
    ) {
      id
      version
    }
  }
`;

/**
 * An admin's change to a grant's purposes, period and quota, made against the
 * version the page showed: when someone changed the grant meanwhile the API
 * refuses it (CONFLICT), and the page says so and offers the current version.
 */
export function GrantEditForm({ grant, onChanged }: { grant: GrantRow; onChanged: () => void }) {
  const t = useT();
  const [purposes, setPurposes] = useState(grant.purposes.join(', '));
  const [validUntil, setValidUntil] = useState(grant.validUntil);
  const [quota, setQuota] = useState(grant.dailyQuota === null ? '' : String(grant.dailyQuota));
  const [reason, setReason] = useState('');
  const update = useMutation<{ updateGrant: { version: number } }>(UPDATE);
  const save = async (event: Event) => {
    event.preventDefault();
    const done = await update.run({
      id: grant.id,
      expectedVersion: grant.version,
      reason,
      conditions: {
        items: grant.items,
        masks: grant.masks.map((m) =>
          m.rule === 'KEEP_ENDS'
            ? { item: m.item, rule: m.rule, first: m.first, last: m.last }
            : { item: m.item, rule: m.rule },
        ),
        rowFilter: grant.rowFilter.map((r) =>
          r.eq !== null ? { item: r.item, eq: r.eq } : { item: r.item, startsWith: r.startsWith },
        ),
        purposes: purposes.split(/[,，\s]+/).filter(Boolean),
        modes: grant.modes,
        validFrom: grant.validFrom,
        validUntil,
        dailyQuota: quota === '' ? null : Number(quota),
      },
    });
    if (done) onChanged();
  };
  const stale = update.error?.problems.some((p) => p.code === 'CONFLICT');
  return (
    <form
      class="card"
      id="grant-edit"
      onSubmit={(e) => void save(e)}
      aria-labelledby="grant-edit-title"
    >
      <h3 id="grant-edit-title">
        {t('edit')} · v{grant.version}
      </h3>
      <div class="row">
        <Field id="edit-purposes" label={t('purposes')}>
          <input
            id="edit-purposes"
            value={purposes}
            onInput={(e) => setPurposes(e.currentTarget.value)}
          />
        </Field>
        <Field id="edit-until" label={t('validUntil')} help={t('dateOrInstant')}>
          <input
            id="edit-until"
            aria-describedby="edit-until-help"
            value={validUntil}
            onInput={(e) => setValidUntil(e.currentTarget.value)}
          />
        </Field>
        <Field id="edit-quota" label={t('dailyQuota')}>
          <input
            id="edit-quota"
            type="number"
            min={1}
            value={quota}
            onInput={(e) => setQuota(e.currentTarget.value)}
          />
        </Field>
        <Field id="edit-reason" label={t('reason')}>
          <input
            id="edit-reason"
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        </Field>
      </div>
      <Problems error={update.error} />
      {stale ? (
        <p role="alert">
          {t('staleGrant')}{' '}
          <button type="button" onClick={onChanged}>
            {t('reloadGrant')}
          </button>
        </p>
      ) : null}
      {update.result ? (
        <p class="success" role="status" id="grant-saved">
          {t('done')} · v{update.result.updateGrant.version}
        </p>
      ) : null}
      <button type="submit" class="primary" id="grant-save" disabled={update.busy}>
        {t('saveChanges')}
      </button>
    </form>
  );
}
