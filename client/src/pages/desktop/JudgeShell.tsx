import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserPrincipal } from '../../../../shared/accounts.js';
import type { DesktopApi, JudgeDesktopState } from '../../../../shared/desktop.js';
import { ConsoleSchema } from '../../../../shared/floor.js';
import { apiRequest } from '../../services/api.js';
import { answerErrorKey, serverUrlProblem } from './desktopView.js';
import { ReconnectingOverlay } from './ReconnectingOverlay.js';
import { newlyWaiting, type WaitingNotice, waitingKey, waitingParties } from './waitingParties.js';

/*
 * The renderer's side of the judge's desktop app: a normal window with the same React app in judge
 * mode. Before the app knows its server, the server choice (the shell remembers it); then the web
 * app's own sign-in and judge pages, a bar that shows the server and lets the judge change it, and
 * desktop notifications when a party of the judge's hearings today is in the waiting room.
 */

/** How often the app looks for waiting parties (the console answers from memory: cheap). */
export const WAITING_POLL_MS = 10_000;

export function JudgeShell({
  api,
  state,
  judge,
  onShellReconnectingPage,
  children,
}: {
  api: DesktopApi;
  state: JudgeDesktopState;
  /** The signed-in judge (null: nobody, or another role). */
  judge: UserPrincipal | null;
  onShellReconnectingPage: boolean;
  children: ReactNode;
}) {
  const [changing, setChanging] = useState(false);
  if (state.serverUrl === null) {
    return (
      <main className="page">
        <ServerChoice api={api} initial="" onCancel={null} />
      </main>
    );
  }
  return (
    <>
      {onShellReconnectingPage ? <main className="page" /> : children}
      {judge && !onShellReconnectingPage && <WaitingNotifier api={api} judgeId={judge.userId} />}
      {(state.connection === 'reconnecting' || onShellReconnectingPage) && <ReconnectingOverlay />}
      <footer className="judge-shell-bar" data-testid="judge-shell-bar">
        <span>{`${serverLabel(state.serverUrl)}`}</span>
        <ServerBar api={api} server={state.serverUrl} changing={changing} setChanging={setChanging} />
      </footer>
    </>
  );
}

function serverLabel(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

function ServerBar({
  api,
  server,
  changing,
  setChanging,
}: {
  api: DesktopApi;
  server: string;
  changing: boolean;
  setChanging: (changing: boolean) => void;
}) {
  const { t } = useTranslation();
  if (!changing) {
    return (
      <button
        type="button"
        className="header-button"
        data-testid="judge-change-server"
        title={t('desktop.judge.serverCurrent', { server })}
        onClick={() => setChanging(true)}
      >
        {t('desktop.judge.changeServer')}
      </button>
    );
  }
  return (
    <div className="judge-server-dialog" role="dialog" aria-modal="true">
      <ServerChoice api={api} initial={server} onCancel={() => setChanging(false)} />
    </div>
  );
}

/** The server's address, checked as main will check it; the shell then loads `<server>/judge`. */
function ServerChoice({ api, initial, onCancel }: { api: DesktopApi; initial: string; onCancel: (() => void) | null }) {
  const { t } = useTranslation();
  const [serverUrl, setServerUrl] = useState(initial);
  const [checked, setChecked] = useState(false);
  const [sending, setSending] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);
  const problem = serverUrlProblem(serverUrl);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (problem) return;
    setSending(true);
    setRefused(null);
    try {
      const answer = await api.setServer({ serverUrl: serverUrl.trim() });
      if (!answer.ok) setRefused(answerErrorKey(answer.error.code));
    } catch {
      setRefused(answerErrorKey('INTERNAL'));
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="panel judge-server" data-testid="judge-server" onSubmit={(e) => void onSubmit(e)} noValidate>
      <h2>{t('desktop.judge.serverHeading')}</h2>
      <p>{t('desktop.judge.serverLead')}</p>
      <label className="field">
        <span>{t('desktop.provision.serverLabel')}</span>
        <input
          data-testid="judge-server-url"
          type="url"
          inputMode="url"
          placeholder={t('desktop.provision.serverPlaceholder')}
          autoComplete="off"
          spellCheck={false}
          value={serverUrl}
          aria-invalid={checked && problem !== null}
          onChange={(e) => {
            setServerUrl(e.target.value);
            setRefused(null);
          }}
        />
      </label>
      {checked && problem && (
        <p className="field-problem" role="alert" data-testid="judge-server-error">
          {t(problem)}
        </p>
      )}
      {refused && (
        <p className="warning" role="alert" data-testid="judge-server-refused">
          {t(refused)}
        </p>
      )}
      <div className="actions">
        {onCancel && (
          <button type="button" className="big-button secondary" onClick={onCancel}>
            {t('desktop.judge.cancel')}
          </button>
        )}
        <button type="submit" className="big-button" data-testid="judge-server-submit" disabled={sending}>
          {sending ? t('desktop.judge.serverSending') : t('desktop.judge.serverSubmit')}
        </button>
      </div>
    </form>
  );
}

/**
 * Looks every WAITING_POLL_MS at the court's live console for parties of the judge's own hearings in
 * the waiting room, and shows a desktop notification for each hearing where someone new is waiting
 * (not for the hearing whose room the judge has open: they see the waiting room there).
 */
function WaitingNotifier({ api, judgeId }: { api: DesktopApi; judgeId: string }) {
  const { t } = useTranslation();
  const [notificationsOff, setNotificationsOff] = useState(false);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let seen: Set<string> | null = null;
    const notify = async (notice: WaitingNotice) => {
      const people = notice.parties
        .map((p) =>
          t('desktop.judge.waitingPerson', {
            name: p.name,
            role: t(`role.${p.role}`, { defaultValue: p.role }),
            place: p.site ?? t('desktop.judge.atCourt'),
          }),
        )
        .join(t('desktop.judge.separator'));
      const answer = await api.notify({
        title: t('desktop.judge.waitingTitle', { caseNumber: notice.caseNumber }).slice(0, 120),
        body: t('desktop.judge.waitingBody', { people }).slice(0, 500),
      });
      if (!answer.ok && answer.error.code === 'INVALID_STATE' && live) setNotificationsOff(true);
    };
    const look = async () => {
      try {
        const console = await apiRequest(ConsoleSchema, 'GET', '/api/console');
        if (!live) return;
        const now = waitingParties(console.hearings, judgeId);
        const inRoom = (hearingId: string) =>
          window.location.pathname.startsWith(`/hearing/${encodeURIComponent(hearingId)}/`);
        for (const notice of newlyWaiting(seen, now)) {
          if (!inRoom(notice.hearingId)) await notify(notice);
        }
        seen = new Set(now.map(waitingKey));
      } catch {
        // Offline or signed out: look again later; nobody is notified twice for the same wait.
      } finally {
        if (live) timer = setTimeout(() => void look(), WAITING_POLL_MS);
      }
    };
    void look();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
    // One poller per signed-in judge; `t` changes with the language only.
  }, [api, t, judgeId]);

  if (!notificationsOff) return null;
  return (
    <p className="hint judge-notifications-off" role="status" data-testid="judge-notifications-off">
      {t('desktop.judge.notificationsOff')}
    </p>
  );
}
