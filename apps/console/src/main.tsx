import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { forgetKey, Session, signIn, storedKey } from './api/session';
import { useHashPath } from './ui/hooks';
import { SignIn } from './views/sign-in';
import { Board } from './views/board/board';
import { CasePage } from './views/case/case-page';
import { Compliance } from './views/compliance/compliance';
import { Engineers } from './views/engineers/engineers';
import './styles.css';

function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(() => storedKey() !== null);
  const path = useHashPath();

  // A reload in the same tab signs in again with the key kept in sessionStorage.
  useEffect(() => {
    const key = storedKey();
    if (!key) return;
    signIn(key)
      .then(setSession, () => forgetKey())
      .finally(() => setRestoring(false));
  }, []);

  useEffect(() => {
    const title = path.startsWith('/case/') ? 'Case' : (VIEWS.find((v) => v.path === path)?.label ?? 'Console');
    document.title = `${title} · Casetrail console`;
  }, [path]);

  if (restoring) return <p class="loading">Signing in…</p>;
  if (!session) return <SignIn onSignedIn={setSession} />;

  const views = VIEWS.filter((v) => v.visible(session));
  const signOut = () => {
    forgetKey();
    setSession(null);
    window.location.hash = '';
  };
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <strong class="brand">Casetrail</strong>
        <nav aria-label="Views">
          <ul>
            {views.map((v) => (
              <li key={v.path}>
                <a href={`#${v.path}`} aria-current={path === v.path ? 'page' : undefined}>
                  {v.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="link" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Route path={path} session={session} />
      </main>
    </>
  );
}

const VIEWS = [
  { path: '/board', label: 'SLA board', visible: (_s: Session) => true },
  { path: '/compliance', label: 'Compliance', visible: (_s: Session) => true },
  { path: '/engineers', label: 'Engineers', visible: (s: Session) => s.capabilities.engineers },
];

function Route({ path, session }: { path: string; session: Session }) {
  const caseMatch = /^\/case\/([A-Za-z0-9-]{1,100})$/.exec(path);
  if (caseMatch) return <CasePage key={caseMatch[1]} caseId={caseMatch[1]} session={session} />;
  if (path === '/compliance') return <Compliance session={session} />;
  if (path === '/engineers' && session.capabilities.engineers) return <Engineers session={session} />;
  return <Board session={session} />;
}

render(<App />, document.getElementById('app')!);
