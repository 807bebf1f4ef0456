import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type DesktopAnswer,
  type DesktopApi,
  type DeviceChoice,
  KioskCredentialSchema,
  type KioskDesktopState,
} from '../../../../shared/desktop.js';
import { Keypad } from '../../components/Keypad.js';
import { supplyCredentials } from '../../services/credentials.js';
import { redirect } from '../../services/router.js';
import { isCompletePin, PIN_KEYPAD, pressPinKey } from '../kiosk/pinInput.js';
import { formatEnrollmentInput } from '../kioskInput.js';
import {
  answerErrorKey,
  checkProvisionForm,
  lockoutMessage,
  type Message,
  provisioningErrorKey,
  unlockMessage,
} from './desktopView.js';
import { ReconnectingOverlay } from './ReconnectingOverlay.js';

/**
 * The renderer's side of the Electron kiosk shell: before anything else, the provisioning screen until
 * the shell is enrolled; then the kiosk app itself signed in with the shell's credential, a discreet
 * operator button (PIN → operator menu) and the calm reconnecting screen while the shell is offline.
 * On the shell's own reconnecting page (`onShellReconnectingPage`) there is no app to show: only the
 * calm screen, and the operator button above it.
 */
export function KioskShell({
  api,
  state,
  onShellReconnectingPage,
  children,
}: {
  api: DesktopApi;
  state: KioskDesktopState;
  onShellReconnectingPage: boolean;
  children: ReactNode;
}) {
  const provisioned = state.provisioning.status === 'provisioned' && !onShellReconnectingPage;
  const [credential, setCredential] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    void attempt; // "Try again" asks once more.
    if (!provisioned) {
      supplyCredentials(null);
      setCredential('loading');
      return;
    }
    let live = true;
    api
      .getKioskCredential()
      .then((answer) => {
        const parsed = answer.ok ? KioskCredentialSchema.nullable().safeParse(answer.data) : null;
        if (!live) return;
        if (!parsed?.success || !parsed.data) {
          setCredential('failed');
          return;
        }
        supplyCredentials({ kind: 'kiosk', ...parsed.data });
        setCredential('ready');
        // The kiosk's own pages only: the shell has no start page, sign-in or staff pages.
        if (!window.location.pathname.startsWith('/kiosk')) redirect('/kiosk');
      })
      .catch(() => {
        if (live) setCredential('failed');
      });
    return () => {
      live = false;
    };
  }, [api, provisioned, attempt]);

  return (
    <>
      {onShellReconnectingPage ? null : !provisioned ? (
        <ProvisioningScreen api={api} state={state} />
      ) : credential === 'ready' ? (
        children
      ) : (
        <CredentialWait failed={credential === 'failed'} onRetry={() => setAttempt((n) => n + 1)} />
      )}
      <OperatorCorner api={api} state={state} />
      {(state.connection === 'reconnecting' || onShellReconnectingPage) && <ReconnectingOverlay />}
    </>
  );
}

function CredentialWait({ failed, onRetry }: { failed: boolean; onRetry: () => void }) {
  const { t } = useTranslation();
  if (!failed) return <main className="kiosk notice">{t('desktop.loading')}</main>;
  return (
    <main className="kiosk">
      <div className="kiosk-panel" role="alert">
        <p className="kiosk-error">{t('desktop.credentialFailed')}</p>
        <div className="actions">
          <button type="button" className="kiosk-button" onClick={onRetry}>
            {t('desktop.retry')}
          </button>
        </div>
      </div>
    </main>
  );
}

// ---------------------------------------------------------------------------------------------------
// Provisioning.

function ProvisioningScreen({ api, state }: { api: DesktopApi; state: KioskDesktopState }) {
  const { t } = useTranslation();
  const [serverUrl, setServerUrl] = useState(state.serverUrl ?? '');
  const [code, setCode] = useState('');
  const [checked, setChecked] = useState(false);
  const [sending, setSending] = useState(false);
  const [refused, setRefused] = useState<{ code: string; key: string } | null>(null);
  const [edited, setEdited] = useState(false);

  const check = checkProvisionForm(serverUrl, code);
  const enrolling = sending || state.provisioning.status === 'enrolling';
  const lastError = state.provisioning.status === 'unprovisioned' ? state.provisioning.error : null;
  // The shell's refusal of the request, or why its last enrollment failed (until the operator edits).
  const shown = refused ?? (lastError && !edited ? { code: lastError, key: provisioningErrorKey(lastError) } : null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!check.ok) return;
    setSending(true);
    setRefused(null);
    setEdited(false);
    try {
      const answer = await api.provision(check.input);
      if (!answer.ok) setRefused({ code: answer.error.code, key: answerErrorKey(answer.error.code) });
    } catch {
      setRefused({ code: 'INTERNAL', key: answerErrorKey('INTERNAL') });
    } finally {
      setSending(false);
    }
  };
  const edit = () => {
    setEdited(true);
    setRefused(null);
  };

  return (
    <main className="kiosk kiosk-enroll" data-testid="desktop-provisioning">
      <form className="kiosk-panel desktop-provision" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2>{t('desktop.provision.heading')}</h2>
        <p className="kiosk-lead">{t('desktop.provision.lead')}</p>
        <label className="desktop-field">
          <span>{t('desktop.provision.serverLabel')}</span>
          <input
            className="desktop-input"
            data-testid="provision-server"
            type="url"
            inputMode="url"
            placeholder={t('desktop.provision.serverPlaceholder')}
            autoComplete="off"
            spellCheck={false}
            value={serverUrl}
            aria-invalid={checked && !check.ok && check.serverUrl !== null}
            onChange={(e) => {
              setServerUrl(e.target.value);
              edit();
            }}
          />
        </label>
        {checked && !check.ok && check.serverUrl && <p className="desktop-field-error">{t(check.serverUrl)}</p>}
        <label className="desktop-field">
          <span>{t('desktop.provision.codeLabel')}</span>
          <input
            className="desktop-input enroll-code"
            data-testid="provision-code"
            placeholder="XXXXX-XXXXX"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            value={code}
            aria-invalid={checked && !check.ok && check.enrollmentCode !== null}
            onChange={(e) => {
              setCode(formatEnrollmentInput(e.target.value));
              edit();
            }}
          />
        </label>
        {checked && !check.ok && check.enrollmentCode && (
          <p className="desktop-field-error">{t(check.enrollmentCode)}</p>
        )}
        {shown && (
          <p className="kiosk-error" role="alert" data-testid="provision-error" data-code={shown.code}>
            {t(shown.key)}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="kiosk-button" data-testid="provision-submit" disabled={enrolling}>
            {enrolling ? t('desktop.provision.sending') : t('desktop.provision.submit')}
          </button>
        </div>
      </form>
    </main>
  );
}

// ---------------------------------------------------------------------------------------------------
// The operator's corner: PIN, then the menu.

function OperatorCorner({ api, state }: { api: DesktopApi; state: KioskDesktopState }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const unlocked = state.operatorLock.status === 'unlocked';
  return (
    <>
      <button
        type="button"
        className="operator-button"
        data-testid="operator-button"
        aria-label={t('desktop.operator.button')}
        title={t('desktop.operator.button')}
        onClick={() => setOpen(true)}
      >
        ⚙
      </button>
      {open && (
        <div className="operator-overlay">
          {unlocked ? (
            <OperatorMenu api={api} state={state} onClose={() => setOpen(false)} />
          ) : (
            <OperatorPin api={api} state={state} onCancel={() => setOpen(false)} />
          )}
        </div>
      )}
    </>
  );
}

/** Re-renders every second while `active`, for a countdown. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function OperatorPin({ api, state, onCancel }: { api: DesktopApi; state: KioskDesktopState; onCancel: () => void }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [sending, setSending] = useState(false);
  const [message, setMessage] = useState<Message | { retryAtMs: number } | null>(null);
  const lock = state.operatorLock;
  const retryAtMs =
    lock.status === 'locked_out' ? lock.retryAtMs : message && 'retryAtMs' in message ? message.retryAtMs : null;
  const now = useNow(retryAtMs !== null);
  const waiting = retryAtMs !== null && retryAtMs > now;
  const shown: Message | null =
    retryAtMs !== null ? lockoutMessage(retryAtMs, now) : message && 'key' in message ? message : null;

  const submit = async () => {
    if (!isCompletePin(pin) || sending || waiting) return;
    setSending(true);
    try {
      const answer = await api.unlock({ pin });
      setPin('');
      if (!answer.ok) {
        setMessage({ key: answerErrorKey(answer.error.code) });
        return;
      }
      const result = answer.data;
      if (result.outcome === 'locked_out') setMessage({ retryAtMs: result.retryAtMs });
      else if (result.outcome === 'wrong_pin' && result.retryAtMs !== null) setMessage({ retryAtMs: result.retryAtMs });
      else {
        setMessage(unlockMessage(result, Date.now()));
      }
    } catch {
      setMessage({ key: answerErrorKey('INTERNAL') });
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="kiosk-panel operator-panel" data-testid="operator-pin" role="dialog" aria-modal="true">
      <h2>{t('desktop.operator.pinHeading')}</h2>
      {shown ? (
        <p className="kiosk-error" role="alert" data-testid="operator-pin-error">
          {t(shown.key, shown.values)}
        </p>
      ) : (
        <p className="kiosk-lead">{t('desktop.operator.pinLead')}</p>
      )}
      <output className="tail-display pin-display" aria-label={t('desktop.operator.pinLabel')}>
        {Array.from({ length: Math.max(4, pin.length) }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the boxes are positions
          <span key={i} className={i < pin.length ? 'tail-box filled' : 'tail-box'}>
            {i < pin.length ? '●' : ''}
          </span>
        ))}
      </output>
      <Keypad
        keys={PIN_KEYPAD}
        value={pin}
        press={pressPinKey}
        onChange={(next) => {
          setPin(next);
          if (message && 'key' in message) setMessage(null);
        }}
      />
      <div className="actions">
        <button type="button" className="kiosk-button secondary" onClick={onCancel}>
          {t('desktop.operator.cancel')}
        </button>
        <button
          type="button"
          className="kiosk-button"
          data-testid="operator-unlock"
          disabled={!isCompletePin(pin) || sending || waiting}
          onClick={() => void submit()}
        >
          {t('desktop.operator.unlock')}
        </button>
      </div>
    </div>
  );
}

const DEVICE_FIELDS = [
  { field: 'camera', kind: 'videoinput', label: 'desktop.operator.camera' },
  { field: 'microphone', kind: 'audioinput', label: 'desktop.operator.microphone' },
  { field: 'speaker', kind: 'audiooutput', label: 'desktop.operator.speaker' },
  { field: 'documentCamera', kind: 'videoinput', label: 'desktop.operator.documentCamera' },
] as const;

interface DeviceOption {
  deviceId: string;
  kind: MediaDeviceKind;
  label: string;
}

function OperatorMenu({ api, state, onClose }: { api: DesktopApi; state: KioskDesktopState; onClose: () => void }) {
  const { t } = useTranslation();
  const [devices, setDevices] = useState<DeviceOption[]>([]);
  const [choice, setChoice] = useState<DeviceChoice>(state.devices);
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<{ key: string; error: boolean } | null>(null);

  useEffect(() => {
    let live = true;
    navigator.mediaDevices
      ?.enumerateDevices()
      .then((found) => {
        if (!live) return;
        setDevices(
          found
            .filter((d) => d.deviceId !== '' && d.deviceId !== 'default')
            .map((d) => ({ deviceId: d.deviceId, kind: d.kind, label: d.label })),
        );
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  const run = async <T,>(action: () => Promise<DesktopAnswer<T>>, done?: string) => {
    try {
      const answer = await action();
      if (!answer.ok) setNotice({ key: answerErrorKey(answer.error.code), error: true });
      else if (done) setNotice({ key: done, error: false });
      return answer.ok;
    } catch {
      setNotice({ key: answerErrorKey('INTERNAL'), error: true });
      return false;
    }
  };

  return (
    <div className="kiosk-panel operator-panel" data-testid="operator-menu" role="dialog" aria-modal="true">
      <h2>{t('desktop.operator.menuHeading')}</h2>
      {state.credentialStorage === 'session_only' && (
        <p className="kiosk-error" role="alert" data-testid="operator-session-only">
          {t('desktop.operator.sessionOnly')}
        </p>
      )}
      {notice && (
        <p className={notice.error ? 'kiosk-error' : 'kiosk-lead'} role="status">
          {t(notice.key)}
        </p>
      )}
      <fieldset className="operator-devices" data-testid="operator-devices">
        <legend>{t('desktop.operator.devicesHeading')}</legend>
        {DEVICE_FIELDS.map(({ field, kind, label }) => {
          const options = devices.filter((d) => d.kind === kind);
          return (
            <label key={field} className="desktop-field">
              <span>{t(label)}</span>
              <select
                className="desktop-input"
                data-testid={`operator-device-${field}`}
                value={choice[field] ?? ''}
                onChange={(e) => setChoice({ ...choice, [field]: e.target.value === '' ? null : e.target.value })}
              >
                <option value="">
                  {field === 'documentCamera' ? t('desktop.operator.none') : t('desktop.operator.systemDefault')}
                </option>
                {options.map((d, i) => (
                  <option key={d.deviceId} value={d.deviceId}>
                    {d.label || t('desktop.operator.unnamedDevice', { number: i + 1 })}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
        <button
          type="button"
          className="kiosk-button"
          data-testid="operator-save-devices"
          onClick={() => void run(() => api.chooseDevices(choice), 'desktop.operator.devicesSaved')}
        >
          {t('desktop.operator.saveDevices')}
        </button>
      </fieldset>
      {confirming ? (
        <div className="operator-confirm" role="alert">
          <p className="kiosk-lead">{t('desktop.operator.reprovisionConfirm')}</p>
          <div className="actions">
            <button type="button" className="kiosk-button secondary" onClick={() => setConfirming(false)}>
              {t('desktop.operator.cancel')}
            </button>
            <button
              type="button"
              className="kiosk-button"
              data-testid="operator-reprovision-confirm"
              onClick={() =>
                void run(() => api.reprovision()).then((ok) => {
                  if (ok) onClose();
                })
              }
            >
              {t('desktop.operator.reprovisionYes')}
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button
            type="button"
            className="kiosk-button secondary"
            data-testid="operator-reprovision"
            onClick={() => setConfirming(true)}
          >
            {t('desktop.operator.reprovision')}
          </button>
          <button
            type="button"
            className="kiosk-button secondary"
            data-testid="operator-exit"
            onClick={() => void run(() => api.exitKiosk())}
          >
            {t('desktop.operator.exit')}
          </button>
          <button
            type="button"
            className="kiosk-button"
            data-testid="operator-lock"
            onClick={() =>
              void run(() => api.lock()).then(() => {
                onClose();
              })
            }
          >
            {t('desktop.operator.lock')}
          </button>
        </div>
      )}
    </div>
  );
}
