import { useTranslation } from 'react-i18next';
import type { UserPrincipal } from '../../shared/accounts.js';
import { assertUnreachable } from '../../shared/errors.js';
import { LANGUAGES, setLanguage } from './i18n/index.js';
import { AdminPage } from './pages/AdminPage.js';
import { ClerkPage } from './pages/ClerkPage.js';
import { JudgeShell } from './pages/desktop/JudgeShell.js';
import { KioskShell } from './pages/desktop/KioskShell.js';
import { HearingRoom } from './pages/HearingRoom.js';
import { JudgePage } from './pages/JudgePage.js';
import { KioskPage } from './pages/KioskPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { RecordingPage } from './pages/recording/RecordingPage.js';
import { StartPage } from './pages/StartPage.js';
import type { StoredCredentials } from './services/credentials.js';
import { storeCredentials } from './services/credentials.js';
import { desktopApi, useDesktopState } from './services/desktop.js';
import { navigate, parseRoute, type Route, usePathname } from './services/router.js';
import { displayNameOf, homePath, useCredentials, userOf } from './services/useCredentials.js';

/** The path of the desktop shell's bundled reconnecting page (`app://shell/reconnecting`). */
const SHELL_RECONNECTING_PATH = '/reconnecting';

export function App() {
  const { t, i18n } = useTranslation();
  const route = parseRoute(usePathname());
  const stored = useCredentials();
  // In the desktop shell: its state (null until its first answer); in a browser: no shell at all.
  const shellApi = desktopApi();
  const shell = useDesktopState();
  const kioskShell = shellApi && shell?.mode === 'kiosk' ? { api: shellApi, state: shell } : null;
  const judgeShell = shellApi && shell?.mode === 'judge' ? { api: shellApi, state: shell } : null;
  // The shell's own page shown while the server's page cannot load (client/electron: RECONNECTING_URL).
  const onShellReconnectingPage = shellApi !== null && window.location.pathname === SHELL_RECONNECTING_PATH;
  const user = userOf(stored);
  // A kiosk's villagers read Chinese only and must not meet settings: no language switch there.
  const kiosk =
    kioskShell !== null || stored?.kind === 'kiosk' || route.page === 'kiosk' || route.page === 'kioskHearing';
  return (
    <div className={kiosk ? 'app app-kiosk' : judgeShell ? 'app app-judge-shell' : 'app'}>
      <header className="app-header">
        <h1>{t('app.title')}</h1>
        <div className="header-end">
          <SignedIn stored={stored} />
          {!kiosk && (
            <label className="language">
              {t('app.language')}
              <select
                value={i18n.language}
                onChange={(e) => {
                  const language = LANGUAGES.find((l) => l === e.target.value);
                  if (language) setLanguage(language);
                }}
              >
                <option value="zh-CN">中文</option>
                <option value="en">English</option>
              </select>
            </label>
          )}
        </div>
      </header>
      {kioskShell ? (
        <KioskShell api={kioskShell.api} state={kioskShell.state} onShellReconnectingPage={onShellReconnectingPage}>
          <Page route={route} stored={stored} />
        </KioskShell>
      ) : judgeShell ? (
        <JudgeShell
          api={judgeShell.api}
          state={judgeShell.state}
          judge={user?.role === 'judge' ? user : null}
          onShellReconnectingPage={onShellReconnectingPage}
        >
          <Page route={route} stored={stored} />
        </JudgeShell>
      ) : shellApi && !shell ? (
        <main className="notice">{t('desktop.loading')}</main>
      ) : (
        <Page route={route} stored={stored} />
      )}
    </div>
  );
}

function Page({ route, stored }: { route: Route; stored: StoredCredentials | null }) {
  const user = userOf(stored);
  switch (route.page) {
    case 'hearing':
      return (
        <HearingRoom
          key={`${route.hearingId}/${route.participantId}`}
          hearingId={route.hearingId}
          participantId={route.participantId}
        />
      );
    case 'start':
      return <StartPage stored={stored} />;
    case 'login':
      return <LoginPage />;
    case 'judge':
      if (!user) return <LoginPage />;
      if (user.role !== 'judge') return <WrongPage user={user} />;
      return <JudgePage key={user.userId} principal={user} />;
    case 'clerk':
      if (!user) return <LoginPage />;
      // Only clerks book and watch hearings; the server refuses administrators the hearings' details.
      if (user.role !== 'clerk') return <WrongPage user={user} />;
      return <ClerkPage key={user.userId} principal={user} />;
    case 'recording':
      if (!user) return <LoginPage />;
      // The judge and the clerk of the hearing; the server refuses anyone else this hearing's recording.
      if (user.role !== 'judge' && user.role !== 'clerk') return <WrongPage user={user} />;
      return <RecordingPage key={`${user.userId}/${route.hearingId}`} hearingId={route.hearingId} principal={user} />;
    case 'admin':
      if (!user) return <LoginPage />;
      if (user.role !== 'admin') return <WrongPage user={user} />;
      return <AdminPage key={user.userId} principal={user} />;
    case 'kiosk':
      return <KioskPage stored={stored} />;
    case 'kioskHearing':
      return (
        <KioskPage
          key={`${route.hearingId}/${route.participantId}`}
          stored={stored}
          hearing={{ hearingId: route.hearingId, participantId: route.participantId }}
        />
      );
    default:
      return assertUnreachable(route);
  }
}

/** Who is signed in, and the way out. A kiosk has no sign-out here: its operator never needs one. */
function SignedIn({ stored }: { stored: StoredCredentials | null }) {
  const { t } = useTranslation();
  if (!stored) return null;
  if (stored.kind === 'kiosk') {
    return (
      <span className="signed-in" data-testid="signed-in">
        {t('header.kiosk')}
      </span>
    );
  }
  const principal = userOf(stored);
  if (!principal) return null;
  const role = t(`header.role.${principal.role}`);
  const name = displayNameOf(principal.userId);
  return (
    <span className="signed-in">
      <span data-testid="signed-in">{name ? t('header.user', { name, role }) : role}</span>
      <button
        type="button"
        className="header-button"
        data-testid="sign-out"
        onClick={() => {
          storeCredentials(null);
          navigate('/');
        }}
      >
        {t('header.signOut')}
      </button>
    </span>
  );
}

/** A signed-in user on another role's page: say so, and lead to their own page. */
function WrongPage({ user }: { user: UserPrincipal }) {
  const { t } = useTranslation();
  return (
    <main className="notice">
      <p>{t('header.wrongPage', { role: t(`header.role.${user.role}`) })}</p>
      <div className="actions">
        <button type="button" className="big-button" onClick={() => navigate(homePath(user))}>
          {t('header.toMyPage')}
        </button>
        <button
          type="button"
          className="big-button secondary"
          onClick={() => {
            storeCredentials(null);
            navigate('/login');
          }}
        >
          {t('header.switchUser')}
        </button>
      </div>
    </main>
  );
}
