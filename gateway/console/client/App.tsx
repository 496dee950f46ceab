import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { Loading } from './components.tsx';
import { useBearer } from './graphql.ts';
import { initialLang, keepLang, LangContext, translate, type Lang } from './i18n.ts';
import { CataloguePage } from './pages/CataloguePage.tsx';
import { EntryPage } from './pages/EntryPage.tsx';
import { ErrorReportsPage } from './pages/ErrorReportsPage.tsx';
import { MyApplicationsPage, MyGrantsPage, MyAccessesPage } from './pages/DeveloperPages.tsx';
import { DraftEditorPage, MyEntriesPage } from './pages/EntriesPages.tsx';
import { WaitingApplicationsPage } from './pages/WaitingApplicationsPage.tsx';
import { ReviewQueuePage } from './pages/ReviewQueuePage.tsx';
import { GrantsPage } from './pages/GrantsPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { ApiKeysPage } from './pages/ApiKeysPage.tsx';
import { CalendarPage } from './pages/CalendarPage.tsx';
import { ScorecardsPage } from './pages/ScorecardsPage.tsx';
import { WhoReadMyDataPage } from './pages/WhoReadMyDataPage.tsx';
import { usePlace, type Place } from './router.ts';
import { hasRole, loadSession, signOut, type Session } from './session.ts';

/** Which pages each role has, in the order of the navigation. */
const NAVIGATION: { role: string | null; path: string; label: string }[] = [
  { role: null, path: '/', label: 'catalogue' },
  { role: 'APP_DEVELOPER', path: '/my/applications', label: 'myApplications' },
  { role: 'APP_DEVELOPER', path: '/my/grants', label: 'myGrants' },
  { role: 'APP_DEVELOPER', path: '/my/accesses', label: 'myAccesses' },
  { role: 'DEPT_IT', path: '/dept/entries', label: 'myEntries' },
  { role: 'DEPT_IT', path: '/dept/draft', label: 'draftEditor' },
  { role: 'DEPT_IT', path: '/dept/applications', label: 'waitingApplications' },
  { role: 'DEPT_IT', path: '/dept/error-reports', label: 'errorReports' },
  { role: 'DEPT_IT', path: '/dept/reads', label: 'whoReadMyData' },
  { role: 'REVIEWER', path: '/review', label: 'reviewQueue' },
  { role: 'REVIEWER', path: '/review/scorecards', label: 'scorecards' },
  { role: 'ADMIN', path: '/review/scorecards', label: 'scorecards' },
  { role: 'ADMIN', path: '/admin/grants', label: 'grants' },
  { role: 'ADMIN', path: '/admin/api-keys', label: 'apiKeys' },
  { role: 'ADMIN', path: '/admin/calendar', label: 'calendar' },
  { role: 'REVIEWER', path: '/audit', label: 'audit' },
  { role: 'ADMIN', path: '/audit', label: 'audit' },
];

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | null>(null);
  const place = usePlace();
  const t = (key: string) => translate(lang, key);

  const adopt = (next: Session) => {
    useBearer(next.signedIn ? (next.token ?? null) : null);
    setSession(next);
  };
  useEffect(() => {
    loadSession().then(adopt, () => adopt({ signedIn: false }));
  }, []);
  // Before the page in the new language is painted, so that no reader (a screen reader, a test)
  // meets English text under lang="zh-CN": Preact runs a plain effect only after painting.
  useLayoutEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = `${t('appName')} · ${t('catalogue')}`;
  }, [lang]);

  const switchLang = () => {
    const next = lang === 'zh' ? 'en' : 'zh';
    keepLang(next);
    setLang(next);
  };
  const links = session
    ? NAVIGATION.filter(
        (n, i, all) =>
          (n.role === null || hasRole(session, n.role)) &&
          all.findIndex(
            (m) => m.path === n.path && (m.role === null || hasRole(session, m.role)),
          ) === i,
      )
    : [];

  return (
    <LangContext.Provider value={lang}>
      <a class="skip" href="#main" onClick={(e) => skipToMain(e)}>
        {t('skipToContent')}
      </a>
      <header class="top">
        <span class="brand">{t('appName')}</span>
        <nav aria-label={t('mainNav')}>
          <ul>
            {links.map((n) => (
              <li key={n.path}>
                <a href={`#${n.path}`} aria-current={place.path === n.path ? 'page' : undefined}>
                  {t(n.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          {session?.signedIn ? (
            <>
              <span class="identity">
                {t('signedInAs')} {session.user ?? '—'} · {session.department} ·{' '}
                {(session.roles ?? []).map((r) => t(r)).join(', ')}
              </span>
              <button
                type="button"
                id="sign-out"
                onClick={() => void signOut().then(adopt, () => adopt({ signedIn: false }))}
              >
                {t('signOut')}
              </button>
            </>
          ) : session ? (
            <a href="#/sign-in" id="sign-in-link">
              {t('signIn')}
            </a>
          ) : null}
          <button
            type="button"
            id="switch-lang"
            lang={lang === 'zh' ? 'en' : 'zh-CN'}
            aria-label={t('switchLangLabel')}
            onClick={switchLang}
          >
            {t('switchLang')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {session ? <Page place={place} session={session} adopt={adopt} /> : <Loading when />}
      </main>
    </LangContext.Provider>
  );
}

function Page({
  place,
  session,
  adopt,
}: {
  place: Place;
  session: Session;
  adopt: (s: Session) => void;
}) {
  const { path, params } = place;
  if (path === '/sign-in') return <SignInPage onSignedIn={adopt} problem={params.get('problem')} />;
  const entry = /^\/entry\/([^/]+)$/.exec(path);
  if (entry) return <EntryPage code={decodeURIComponent(entry[1]!)} session={session} />;
  switch (path) {
    case '/my/applications':
      return <MyApplicationsPage />;
    case '/my/grants':
      return <MyGrantsPage />;
    case '/my/accesses':
      return <MyAccessesPage />;
    case '/dept/entries':
      return <MyEntriesPage session={session} />;
    case '/dept/draft':
      return <DraftEditorPage code={params.get('code')} />;
    case '/dept/applications':
      return <WaitingApplicationsPage />;
    case '/dept/error-reports':
      return <ErrorReportsPage />;
    case '/dept/reads':
      return <WhoReadMyDataPage session={session} />;
    case '/review/scorecards':
      return <ScorecardsPage />;
    case '/admin/api-keys':
      return <ApiKeysPage />;
    case '/admin/calendar':
      return <CalendarPage />;
    case '/review':
      return <ReviewQueuePage session={session} />;
    case '/admin/grants':
      return <GrantsPage />;
    case '/audit':
      return <AuditPage />;
    default:
      return <CataloguePage />;
  }
}

/** Moves focus to the content without changing the hash (the hash is the page's address). */
function skipToMain(event: Event): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}
