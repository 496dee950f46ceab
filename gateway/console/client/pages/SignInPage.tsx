import { useState } from 'preact/hooks';
import { Field } from '../components.tsx';
import { config } from '../config.ts';
import { useT } from '../i18n.ts';
import { go } from '../router.ts';
import { devSignIn, type Session } from '../session.ts';

/**
 * Sign-in: with the organisation's OpenID provider when one is configured (a
 * plain link: the gateway redirects to the provider), and on a platform with
 * development keys a form minting a development session for a department and
 * role.
 */
export function SignInPage({
  onSignedIn,
  problem,
}: {
  onSignedIn: (s: Session) => void;
  problem: string | null;
}) {
  const t = useT();
  const [department, setDepartment] = useState('civil_affairs');
  const [role, setRole] = useState(config.devSignIn?.roles[0] ?? 'APP_DEVELOPER');
  const [user, setUser] = useState('alice');
  const [failure, setFailure] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    try {
      onSignedIn(await devSignIn(department.trim(), role, user.trim()));
      go('/');
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <section>
      <h1>{t('signInTitle')}</h1>
      {problem ? (
        <p class="problems" role="alert">
          {t(`problem.${problem}`)}
        </p>
      ) : null}
      {config.oidcSignIn ? (
        <p>
          <a class="button primary" id="oidc-sign-in" href={config.oidcSignIn}>
            {t('signInOidc')}
          </a>
        </p>
      ) : null}
      {config.devSignIn ? (
        <form class="card" onSubmit={(e) => void submit(e)} aria-labelledby="dev-sign-in-title">
          <h2 id="dev-sign-in-title">{t('devSignInTitle')}</h2>
          <p class="help">{t('devSignInHelp')}</p>
          <Field id="dev-department" label={t('department')}>
            <input
              id="dev-department"
              value={department}
              required
              pattern="[a-z][a-z0-9_]*"
              onInput={(e) => setDepartment(e.currentTarget.value)}
            />
          </Field>
          <Field id="dev-role" label={t('role')}>
            <select id="dev-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              {config.devSignIn.roles.map((r) => (
                <option key={r} value={r}>
                  {t(r)} ({r})
                </option>
              ))}
            </select>
          </Field>
          <Field id="dev-user" label={t('userName')}>
            <input id="dev-user" value={user} onInput={(e) => setUser(e.currentTarget.value)} />
          </Field>
          {failure ? (
            <p class="problems" role="alert">
              {failure}
            </p>
          ) : null}
          <button type="submit" id="dev-sign-in" class="primary">
            {t('signIn')}
          </button>
        </form>
      ) : null}
      {!config.oidcSignIn && !config.devSignIn ? <p>{t('noSignIn')}</p> : null}
    </section>
  );
}
