import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import {
  type CourtSummary,
  CourtSummarySchema,
  CreateUserInputSchema,
  type KioskSummary,
  KioskSummarySchema,
  RegisterCourtInputSchema,
  RegisterKioskInputSchema,
  RegisterSiteInputSchema,
  SetOperatorPinInputSchema,
  type SiteSummary,
  SiteSummarySchema,
  type UserPrincipal,
  UserRoleSchema,
  type UserSummary,
  UserSummarySchema,
} from '../../../shared/accounts.js';
import { ErrorNotice, failureSentence } from '../components/ErrorNotice.js';
import { Field } from '../components/Field.js';
import { type ApiFailure, apiRequest, toFailure } from '../services/api.js';
import { shanghaiDate, shanghaiTime } from '../services/shanghaiTime.js';
import { type QueryState, useApiQuery } from '../services/useApiQuery.js';
import {
  type CourtForm,
  checkForm,
  countiesOf,
  EMPTY_COURT,
  EMPTY_SITE,
  emptyUserForm,
  type FormField,
  problemKey,
  type SiteForm,
  type UserForm,
} from './adminForms.js';

const CourtsSchema = z.object({ courts: z.array(CourtSummarySchema) });
const SitesSchema = z.object({ sites: z.array(SiteSummarySchema) });
const KiosksSchema = z.object({ kiosks: z.array(KioskSummarySchema) });
const UsersSchema = z.object({ users: z.array(UserSummarySchema) });
const IssuedCodeSchema = z.object({
  kiosk: KioskSummarySchema,
  enrollmentCode: z.string(),
  enrollmentExpiresMs: z.number().int(),
});

const TABS = ['courts', 'sites', 'accounts'] as const;
type Tab = (typeof TABS)[number];

/** Beijing date and time of an instant, as everywhere in the UI. */
const at = (ms: number) => `${shanghaiDate(ms)} ${shanghaiTime(ms)}`;

/**
 * The administrator's console: the registries of courts, shared-court sites with their kiosks (and the
 * one-time enrollment codes that bring a kiosk into service), and user accounts.
 */
export function AdminPage({ principal }: { principal: UserPrincipal }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('sites');
  // Kept here so a glance at another tab does not lose a code the server will not answer again.
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const [courts, reloadCourts] = useApiQuery('/api/courts', () => apiRequest(CourtsSchema, 'GET', '/api/courts'));
  return (
    <main className="page admin">
      <div className="page-heading">
        <h2>{t('admin.heading')}</h2>
      </div>
      <div className="tabs" role="tablist">
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            className={tab === name ? 'tab active' : 'tab'}
            data-testid={`admin-tab-${name}`}
            onClick={() => setTab(name)}
          >
            {t(`admin.tab.${name}`)}
          </button>
        ))}
      </div>
      {tab === 'courts' && <CourtsTab courts={courts} onReload={reloadCourts} />}
      {tab === 'sites' && <SitesTab issued={issued} onIssued={setIssued} />}
      {tab === 'accounts' && <AccountsTab principal={principal} courts={courts} onReloadCourts={reloadCourts} />}
    </main>
  );
}

// ---------------------------------------------------------------------------------------------------
// Forms: checked with the shared schema before sending; problems beside their fields.

type Submit = { state: 'idle' } | { state: 'sending' } | { state: 'failed'; failure: ApiFailure };

function useAdminForm<S extends z.ZodType, R>(
  schema: S,
  values: unknown,
  send: (input: z.output<S>) => Promise<R>,
  onSent: (result: R) => void,
) {
  const { t } = useTranslation();
  const [showProblems, setShowProblems] = useState(false);
  const [submit, setSubmit] = useState<Submit>({ state: 'idle' });
  const check = checkForm(schema, values);
  const problem = (field: FormField): string | null => {
    const key = showProblems ? problemKey(check, field) : null;
    return key === null ? null : t(key);
  };
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!check.ok) {
      setShowProblems(true);
      return;
    }
    setSubmit({ state: 'sending' });
    try {
      const result = await send(check.data);
      setSubmit({ state: 'idle' });
      setShowProblems(false);
      onSent(result);
    } catch (error) {
      setSubmit({ state: 'failed', failure: toFailure(error) });
    }
  };
  return { problem, submit, sending: submit.state === 'sending', onSubmit };
}

function SubmitError({ submit, testId }: { submit: Submit; testId: string }) {
  const { t } = useTranslation();
  if (submit.state !== 'failed') return null;
  return (
    <p className="form-error" role="alert" data-testid={testId} data-code={submit.failure.code}>
      {failureSentence(t, submit.failure)}
    </p>
  );
}

function Success({ text, testId }: { text: string | null; testId: string }) {
  if (text === null) return null;
  return (
    <p className="success" role="status" data-testid={testId}>
      {text}
    </p>
  );
}

// ---------------------------------------------------------------------------------------------------
// Courts.

interface CourtsTabProps {
  courts: QueryState<z.infer<typeof CourtsSchema>>;
  onReload: () => void;
}

function CourtsTab({ courts, onReload }: CourtsTabProps) {
  const { t } = useTranslation();
  const [form, setForm] = useState<CourtForm>(EMPTY_COURT);
  const [notice, setNotice] = useState<string | null>(null);
  const { problem, submit, sending, onSubmit } = useAdminForm(
    RegisterCourtInputSchema,
    form,
    (input) => apiRequest(CourtSummarySchema, 'POST', '/api/courts', input),
    (court) => {
      setForm(EMPTY_COURT);
      setNotice(t('admin.courts.registered', { name: court.name }));
      onReload();
    },
  );
  const set = (patch: Partial<CourtForm>) => {
    setForm({ ...form, ...patch });
    setNotice(null);
  };

  return (
    <div className="admin-columns">
      <section>
        <h3 className="panel-heading">{t('admin.courts.listHeading')}</h3>
        {courts.status === 'loading' && <p className="notice">{t('admin.loading')}</p>}
        {courts.status === 'failed' && <ErrorNotice failure={courts.failure} onRetry={onReload} />}
        {courts.status === 'ready' &&
          (courts.data.courts.length === 0 ? (
            <p className="empty">{t('admin.courts.empty')}</p>
          ) : (
            <ul className="admin-list">
              {courts.data.courts.map((court) => (
                <li key={court.id} className="admin-item" data-testid={`admin-court-${court.id}`}>
                  <strong>{court.name}</strong>
                  <span className="muted">{t('admin.courts.regionCode', { code: court.regionCode })}</span>
                </li>
              ))}
            </ul>
          ))}
      </section>
      <form className="panel admin-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h3 className="panel-heading">{t('admin.courts.formHeading')}</h3>
        <Field id="admin-court-name" label={t('admin.courts.name')} problem={problem('name')}>
          <input
            id="admin-court-name"
            data-testid="admin-court-name"
            placeholder={t('admin.courts.nameExample')}
            maxLength={100}
            value={form.name}
            onChange={(e) => set({ name: e.target.value })}
          />
        </Field>
        <Field id="admin-court-region" label={t('admin.courts.region')} problem={problem('regionCode')}>
          <input
            id="admin-court-region"
            data-testid="admin-court-region"
            inputMode="numeric"
            placeholder="330112"
            maxLength={6}
            value={form.regionCode}
            onChange={(e) => set({ regionCode: e.target.value })}
          />
        </Field>
        <SubmitError submit={submit} testId="admin-court-error" />
        <Success text={notice} testId="admin-court-notice" />
        <button type="submit" className="big-button" data-testid="admin-court-submit" disabled={sending}>
          {sending ? t('admin.sending') : t('admin.courts.submit')}
        </button>
      </form>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------
// Sites and kiosks.

/** A freshly issued enrollment code: the server answers it this once and never again. */
interface IssuedCode {
  kioskId: string;
  kioskName: string;
  siteId: string;
  code: string;
  expiresMs: number;
}

function SitesTab({ issued, onIssued }: { issued: IssuedCode | null; onIssued: (issued: IssuedCode | null) => void }) {
  const { t } = useTranslation();
  const [sites, reloadSites] = useApiQuery('/api/sites', () => apiRequest(SitesSchema, 'GET', '/api/sites'));
  const [county, setCounty] = useState('');
  const [form, setForm] = useState<SiteForm>(EMPTY_SITE);
  const [notice, setNotice] = useState<string | null>(null);
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());
  const { problem, submit, sending, onSubmit } = useAdminForm(
    RegisterSiteInputSchema,
    form,
    (input) => apiRequest(SiteSummarySchema, 'POST', '/api/sites', input),
    (site) => {
      setForm(EMPTY_SITE);
      setNotice(t('admin.sites.registered', { name: site.name }));
      // Show the new site, opened, so its first kiosk can be registered at once.
      if (county !== '' && county !== site.county) setCounty(site.county);
      setOpened(new Set(opened).add(site.id));
      reloadSites();
    },
  );
  const set = (patch: Partial<SiteForm>) => {
    setForm({ ...form, ...patch });
    setNotice(null);
  };
  const toggle = (siteId: string) => {
    const next = new Set(opened);
    if (!next.delete(siteId)) next.add(siteId);
    setOpened(next);
  };

  const all = sites.status === 'ready' ? sites.data.sites : [];
  const shown = all.filter((s) => county === '' || s.county === county);
  return (
    <div className="admin-columns">
      <section>
        <div className="toolbar">
          <label className="inline-label">
            {t('sites.county')}
            <select data-testid="admin-site-filter-county" value={county} onChange={(e) => setCounty(e.target.value)}>
              <option value="">{t('sites.allCounties')}</option>
              {countiesOf(all).map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="small-button" onClick={reloadSites}>
            {t('common.refresh')}
          </button>
        </div>
        {sites.status === 'loading' && <p className="notice">{t('sites.loading')}</p>}
        {sites.status === 'failed' && <ErrorNotice failure={sites.failure} onRetry={reloadSites} />}
        {sites.status === 'ready' && shown.length === 0 && <p className="empty">{t('sites.empty')}</p>}
        <ul className="site-list">
          {shown.map((site) => (
            <SiteCard
              key={site.id}
              site={site}
              open={opened.has(site.id)}
              onToggle={() => toggle(site.id)}
              issued={issued?.siteId === site.id ? issued : null}
              onIssued={onIssued}
            />
          ))}
        </ul>
      </section>
      <form className="panel admin-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h3 className="panel-heading">{t('admin.sites.formHeading')}</h3>
        <Field id="admin-site-name" label={t('admin.sites.name')} problem={problem('name')}>
          <input
            id="admin-site-name"
            data-testid="admin-site-name"
            placeholder={t('admin.sites.nameExample')}
            maxLength={100}
            value={form.name}
            onChange={(e) => set({ name: e.target.value })}
          />
        </Field>
        <Field id="admin-site-county" label={t('admin.sites.county')} problem={problem('county')}>
          <input
            id="admin-site-county"
            data-testid="admin-site-county"
            placeholder={t('admin.sites.countyExample')}
            maxLength={50}
            list="admin-site-counties"
            value={form.county}
            onChange={(e) => set({ county: e.target.value })}
          />
          <datalist id="admin-site-counties">
            {countiesOf(all).map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </Field>
        <Field
          id="admin-site-code"
          label={t('admin.sites.addressCode')}
          problem={problem('addressCode')}
          hint={t('admin.sites.addressCodeHint')}
        >
          <input
            id="admin-site-code"
            data-testid="admin-site-code"
            inputMode="numeric"
            placeholder="331126101201"
            maxLength={24}
            value={form.addressCode}
            onChange={(e) => set({ addressCode: e.target.value })}
          />
        </Field>
        <SubmitError submit={submit} testId="admin-site-error" />
        <Success text={notice} testId="admin-site-notice" />
        <button type="submit" className="big-button" data-testid="admin-site-submit" disabled={sending}>
          {sending ? t('admin.sending') : t('admin.sites.submit')}
        </button>
      </form>
    </div>
  );
}

/** A row's destructive action (revoke a kiosk, disable an account): confirm, send, or say what failed. */
type RowAction =
  | { kind: 'none' }
  | { kind: 'confirm'; id: string }
  | { kind: 'sending'; id: string }
  | { kind: 'failed'; id: string; failure: ApiFailure };

interface SiteCardProps {
  site: SiteSummary;
  open: boolean;
  onToggle: () => void;
  issued: IssuedCode | null;
  onIssued: (issued: IssuedCode | null) => void;
}

/** One site; opened, its kiosks (read for this site only), their codes and revocation. */
function SiteCard({ site, open, onToggle, issued, onIssued }: SiteCardProps) {
  const { t } = useTranslation();
  return (
    <li className="site-card" data-testid={`admin-site-${site.id}`}>
      <div className="site-header">
        <div className="site-name">
          <strong>{site.name}</strong>
          <span className="muted">
            {site.county} · {t('sites.addressCode', { code: site.addressCode })}
          </span>
        </div>
        <button
          type="button"
          className="small-button"
          aria-expanded={open}
          data-testid={`admin-site-open-${site.id}`}
          onClick={onToggle}
        >
          {open ? t('admin.sites.hideKiosks') : t('admin.sites.showKiosks')}
        </button>
      </div>
      {issued && <IssuedCodePanel issued={issued} onDismiss={() => onIssued(null)} />}
      {open && <SiteKiosks site={site} onIssued={onIssued} />}
    </li>
  );
}

function SiteKiosks({ site, onIssued }: { site: SiteSummary; onIssued: (issued: IssuedCode) => void }) {
  const { t } = useTranslation();
  const path = `/api/kiosks?siteId=${encodeURIComponent(site.id)}`;
  const [kiosks, reload] = useApiQuery(path, () => apiRequest(KiosksSchema, 'GET', path));
  const [name, setName] = useState('');
  const [action, setAction] = useState<RowAction>({ kind: 'none' });
  const [notice, setNotice] = useState<string | null>(null);

  const issue = (answer: z.infer<typeof IssuedCodeSchema>) =>
    onIssued({
      kioskId: answer.kiosk.id,
      kioskName: answer.kiosk.name,
      siteId: answer.kiosk.siteId,
      code: answer.enrollmentCode,
      expiresMs: answer.enrollmentExpiresMs,
    });
  const { problem, submit, sending, onSubmit } = useAdminForm(
    RegisterKioskInputSchema,
    { siteId: site.id, name },
    (input) => apiRequest(IssuedCodeSchema, 'POST', '/api/kiosks', input),
    (answer) => {
      setName('');
      setNotice(null);
      issue(answer);
      reload();
    },
  );

  const act = async (kiosk: KioskSummary, kind: 'newCode' | 'revoke') => {
    setAction({ kind: 'sending', id: kiosk.id });
    setNotice(null);
    const base = `/api/kiosks/${encodeURIComponent(kiosk.id)}`;
    try {
      if (kind === 'newCode') {
        issue(await apiRequest(IssuedCodeSchema, 'POST', `${base}/enrollment-code`));
      } else {
        const revoked = await apiRequest(KioskSummarySchema, 'POST', `${base}/revoke`);
        setNotice(t('admin.kiosks.revoked', { name: revoked.name }));
      }
      setAction({ kind: 'none' });
      reload();
    } catch (error) {
      setAction({ kind: 'failed', id: kiosk.id, failure: toFailure(error) });
    }
  };

  return (
    <div className="site-kiosks">
      <OperatorPinForm site={site} />
      {kiosks.status === 'loading' && <p className="muted">{t('sites.loading')}</p>}
      {kiosks.status === 'failed' && <ErrorNotice failure={kiosks.failure} onRetry={reload} />}
      {kiosks.status === 'ready' &&
        (kiosks.data.kiosks.length === 0 ? (
          <p className="muted">{t('sites.noKiosks')}</p>
        ) : (
          <ul className="kiosk-list">
            {kiosks.data.kiosks.map((kiosk) => (
              <KioskRow
                key={kiosk.id}
                kiosk={kiosk}
                action={action.kind !== 'none' && action.id === kiosk.id ? action : null}
                onAction={setAction}
                onNewCode={() => void act(kiosk, 'newCode')}
                onRevoke={() => void act(kiosk, 'revoke')}
              />
            ))}
          </ul>
        ))}
      <Success text={notice} testId={`admin-kiosk-notice-${site.id}`} />
      <form className="inline-form kiosk-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <Field id={`admin-kiosk-name-${site.id}`} label={t('admin.kiosks.name')} problem={problem('name')}>
          <input
            id={`admin-kiosk-name-${site.id}`}
            data-testid={`admin-kiosk-name-${site.id}`}
            placeholder={t('admin.kiosks.nameExample')}
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        <button type="submit" className="big-button" data-testid={`admin-kiosk-submit-${site.id}`} disabled={sending}>
          {sending ? t('admin.sending') : t('admin.kiosks.submit')}
        </button>
      </form>
      <SubmitError submit={submit} testId={`admin-kiosk-error-${site.id}`} />
    </div>
  );
}

/** The site operator's check-in PIN: whether it is set, and setting or replacing it. */
function OperatorPinForm({ site }: { site: SiteSummary }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [pinSet, setPinSet] = useState(site.operatorPinSet);
  const [notice, setNotice] = useState<string | null>(null);
  const path = `/api/sites/${encodeURIComponent(site.id)}/operator-pin`;
  const { problem, submit, sending, onSubmit } = useAdminForm(
    SetOperatorPinInputSchema,
    { pin },
    (input) => apiRequest(SiteSummarySchema, 'PUT', path, input),
    (answer) => {
      setPin('');
      setPinSet(answer.operatorPinSet);
      setNotice(t('admin.sites.pinSaved'));
    },
  );
  return (
    <div className="operator-pin" data-testid={`admin-site-pin-${site.id}`} data-set={pinSet}>
      <p className={pinSet ? 'muted' : 'form-error'}>
        {pinSet ? t('admin.sites.pinIsSet') : t('admin.sites.pinMissing')}
      </p>
      <form className="inline-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <Field id={`admin-site-pin-input-${site.id}`} label={t('admin.sites.pinLabel')} problem={problem('pin')}>
          <input
            id={`admin-site-pin-input-${site.id}`}
            data-testid={`admin-site-pin-input-${site.id}`}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={8}
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          />
        </Field>
        <button
          type="submit"
          className="big-button"
          data-testid={`admin-site-pin-submit-${site.id}`}
          disabled={sending}
        >
          {sending ? t('admin.sending') : pinSet ? t('admin.sites.pinReplace') : t('admin.sites.pinSet')}
        </button>
      </form>
      <Success text={notice} testId={`admin-site-pin-notice-${site.id}`} />
      <SubmitError submit={submit} testId={`admin-site-pin-error-${site.id}`} />
    </div>
  );
}

interface KioskRowProps {
  kiosk: KioskSummary;
  action: Exclude<RowAction, { kind: 'none' }> | null;
  onAction: (action: RowAction) => void;
  onNewCode: () => void;
  onRevoke: () => void;
}

function KioskRow({ kiosk, action, onAction, onNewCode, onRevoke }: KioskRowProps) {
  const { t } = useTranslation();
  const id = kiosk.id;
  let detail = '';
  if (kiosk.status === 'enrolled' && kiosk.enrolledMs !== null)
    detail = t('sites.enrolledAt', { at: at(kiosk.enrolledMs) });
  if (kiosk.status === 'revoked' && kiosk.revokedMs !== null)
    detail = t('sites.revokedAt', { at: at(kiosk.revokedMs) });
  if (kiosk.status === 'pending') {
    detail =
      kiosk.enrollmentExpiresMs === null
        ? t('sites.noCode')
        : kiosk.enrollmentExpiresMs < Date.now()
          ? t('sites.codeExpired', { at: at(kiosk.enrollmentExpiresMs) })
          : t('sites.codeValidUntil', { at: at(kiosk.enrollmentExpiresMs) });
  }
  const sending = action?.kind === 'sending';
  return (
    <li className="kiosk-row admin-kiosk-row" data-testid={`admin-kiosk-${id}`} data-status={kiosk.status}>
      <div className="kiosk-row-main">
        <span>{kiosk.name}</span>
        <span className={`status status-${kiosk.status}`}>{t(`sites.status.${kiosk.status}`)}</span>
        <span className="muted">{detail}</span>
      </div>
      {action?.kind === 'confirm' ? (
        <div className="confirm" role="alertdialog" aria-label={t('admin.kiosks.revoke')}>
          <p>{t('admin.kiosks.revokeQuestion', { name: kiosk.name })}</p>
          <div className="row-actions">
            <button
              type="button"
              className="big-button danger"
              data-testid={`admin-kiosk-revoke-confirm-${id}`}
              onClick={onRevoke}
            >
              {t('admin.kiosks.confirmRevoke')}
            </button>
            <button type="button" className="big-button secondary" onClick={() => onAction({ kind: 'none' })}>
              {t('common.back')}
            </button>
          </div>
        </div>
      ) : (
        <div className="row-actions">
          <button
            type="button"
            className="small-button"
            data-testid={`admin-kiosk-newcode-${id}`}
            disabled={sending}
            onClick={onNewCode}
          >
            {t('admin.kiosks.newCode')}
          </button>
          {kiosk.status !== 'revoked' && (
            <button
              type="button"
              className="small-button danger"
              data-testid={`admin-kiosk-revoke-${id}`}
              disabled={sending}
              onClick={() => onAction({ kind: 'confirm', id })}
            >
              {t('admin.kiosks.revoke')}
            </button>
          )}
        </div>
      )}
      {action?.kind === 'failed' && (
        <p className="form-error" role="alert" data-code={action.failure.code}>
          {failureSentence(t, action.failure)}
        </p>
      )}
    </li>
  );
}

/** The code, big enough to read out over the phone, with when it stops working; shown this once. */
function IssuedCodePanel({ issued, onDismiss }: { issued: IssuedCode; onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="code-panel" role="status" data-testid="admin-enrollment-panel">
      <p className="code-heading">{t('admin.code.heading', { kiosk: issued.kioskName })}</p>
      <p className="enrollment-code" data-testid="admin-enrollment-code">
        {issued.code}
      </p>
      <p data-testid="admin-enrollment-expires">{t('admin.code.expires', { at: at(issued.expiresMs) })}</p>
      <p className="code-once">{t('admin.code.onlyOnce')}</p>
      <button type="button" className="big-button secondary" data-testid="admin-enrollment-dismiss" onClick={onDismiss}>
        {t('admin.code.dismiss')}
      </button>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------
// Accounts.

interface AccountsTabProps {
  principal: UserPrincipal;
  courts: QueryState<z.infer<typeof CourtsSchema>>;
  onReloadCourts: () => void;
}

function AccountsTab({ principal, courts, onReloadCourts }: AccountsTabProps) {
  const { t } = useTranslation();
  const [courtFilter, setCourtFilter] = useState('');
  const [roleFilter, setRoleFilter] = useState('');
  const params = new URLSearchParams();
  if (courtFilter) params.set('courtId', courtFilter);
  if (roleFilter) params.set('role', roleFilter);
  const path = params.size > 0 ? `/api/users?${params}` : '/api/users';
  const [users, reload] = useApiQuery(path, () => apiRequest(UsersSchema, 'GET', path));
  const [disabling, setDisabling] = useState<RowAction>({ kind: 'none' });
  const [form, setForm] = useState<UserForm>(() => emptyUserForm(principal.courtId));
  const [notice, setNotice] = useState<string | null>(null);

  const { problem, submit, sending, onSubmit } = useAdminForm(
    CreateUserInputSchema,
    form,
    (input) => apiRequest(UserSummarySchema, 'POST', '/api/users', input),
    (user) => {
      setForm(emptyUserForm(form.courtId));
      setNotice(t('admin.users.created', { username: user.username, name: user.displayName }));
      reload();
    },
  );
  const set = (patch: Partial<UserForm>) => {
    setForm({ ...form, ...patch });
    setNotice(null);
  };

  const courtList: CourtSummary[] = courts.status === 'ready' ? courts.data.courts : [];
  const courtName = (id: string) => courtList.find((c) => c.id === id)?.name ?? id;

  const disable = async (user: UserSummary) => {
    setDisabling({ kind: 'sending', id: user.id });
    setNotice(null);
    try {
      const disabled = await apiRequest(UserSummarySchema, 'POST', `/api/users/${encodeURIComponent(user.id)}/disable`);
      setDisabling({ kind: 'none' });
      setNotice(t('admin.users.disabledNotice', { username: disabled.username }));
      reload();
    } catch (error) {
      setDisabling({ kind: 'failed', id: user.id, failure: toFailure(error) });
    }
  };

  return (
    <div className="admin-columns">
      <section>
        <div className="toolbar">
          <label className="inline-label">
            {t('admin.users.court')}
            <select
              data-testid="admin-user-filter-court"
              value={courtFilter}
              onChange={(e) => setCourtFilter(e.target.value)}
            >
              <option value="">{t('admin.users.allCourts')}</option>
              {courtList.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-label">
            {t('admin.users.role')}
            <select
              data-testid="admin-user-filter-role"
              value={roleFilter}
              onChange={(e) => setRoleFilter(e.target.value)}
            >
              <option value="">{t('admin.users.allRoles')}</option>
              {UserRoleSchema.options.map((role) => (
                <option key={role} value={role}>
                  {t(`header.role.${role}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="small-button" onClick={reload}>
            {t('common.refresh')}
          </button>
        </div>
        {courts.status === 'failed' && <ErrorNotice failure={courts.failure} onRetry={onReloadCourts} />}
        {users.status === 'loading' && <p className="notice">{t('admin.loading')}</p>}
        {users.status === 'failed' && <ErrorNotice failure={users.failure} onRetry={reload} />}
        {users.status === 'ready' &&
          (users.data.users.length === 0 ? (
            <p className="empty">{t('admin.users.empty')}</p>
          ) : (
            <ul className="admin-list">
              {users.data.users.map((user) => {
                const action = disabling.kind !== 'none' && disabling.id === user.id ? disabling : null;
                const self = user.id === principal.userId;
                return (
                  <li
                    key={user.id}
                    className={user.disabledMs === null ? 'admin-item' : 'admin-item disabled'}
                    data-testid={`admin-user-${user.id}`}
                    data-disabled={user.disabledMs !== null}
                  >
                    <div className="admin-item-main">
                      <strong>
                        {user.displayName}
                        {self && <span className="tag">{t('admin.users.you')}</span>}
                      </strong>
                      <span className="muted">
                        {user.username} · {t(`header.role.${user.role}`)} · {courtName(user.courtId)}
                      </span>
                      {user.disabledMs !== null && (
                        <span className="muted">{t('admin.users.disabledAt', { at: at(user.disabledMs) })}</span>
                      )}
                    </div>
                    {user.disabledMs === null && !self && action?.kind !== 'confirm' && (
                      <button
                        type="button"
                        className="small-button danger"
                        data-testid={`admin-user-disable-${user.id}`}
                        disabled={action?.kind === 'sending'}
                        onClick={() => setDisabling({ kind: 'confirm', id: user.id })}
                      >
                        {t('admin.users.disable')}
                      </button>
                    )}
                    {action?.kind === 'confirm' && (
                      <div className="confirm" role="alertdialog" aria-label={t('admin.users.disable')}>
                        <p>{t('admin.users.disableQuestion', { name: user.displayName })}</p>
                        <div className="row-actions">
                          <button
                            type="button"
                            className="big-button danger"
                            data-testid={`admin-user-disable-confirm-${user.id}`}
                            onClick={() => void disable(user)}
                          >
                            {t('admin.users.confirmDisable')}
                          </button>
                          <button
                            type="button"
                            className="big-button secondary"
                            onClick={() => setDisabling({ kind: 'none' })}
                          >
                            {t('common.back')}
                          </button>
                        </div>
                      </div>
                    )}
                    {action?.kind === 'failed' && (
                      <p className="form-error" role="alert" data-code={action.failure.code}>
                        {failureSentence(t, action.failure)}
                      </p>
                    )}
                  </li>
                );
              })}
            </ul>
          ))}
      </section>
      <form className="panel admin-form" onSubmit={(e) => void onSubmit(e)} noValidate autoComplete="off">
        <h3 className="panel-heading">{t('admin.users.formHeading')}</h3>
        <Field id="admin-user-court" label={t('admin.users.court')} problem={problem('courtId')}>
          <select
            id="admin-user-court"
            data-testid="admin-user-court"
            value={form.courtId}
            onChange={(e) => set({ courtId: e.target.value })}
          >
            <option value="">{t('admin.users.chooseCourt')}</option>
            {courtList.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="admin-user-role" label={t('admin.users.role')} problem={problem('role')}>
          <select
            id="admin-user-role"
            data-testid="admin-user-role"
            value={form.role}
            onChange={(e) => set({ role: e.target.value })}
          >
            {UserRoleSchema.options.map((role) => (
              <option key={role} value={role}>
                {t(`header.role.${role}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="admin-user-username" label={t('admin.users.username')} problem={problem('username')}>
          <input
            id="admin-user-username"
            data-testid="admin-user-username"
            placeholder="clerk.zhao"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={32}
            value={form.username}
            onChange={(e) => set({ username: e.target.value })}
          />
        </Field>
        <Field id="admin-user-display-name" label={t('admin.users.displayName')} problem={problem('displayName')}>
          <input
            id="admin-user-display-name"
            data-testid="admin-user-display-name"
            maxLength={100}
            value={form.displayName}
            onChange={(e) => set({ displayName: e.target.value })}
          />
        </Field>
        <Field
          id="admin-user-password"
          label={t('admin.users.password')}
          problem={problem('password')}
          hint={t('admin.users.passwordHint')}
        >
          <input
            id="admin-user-password"
            data-testid="admin-user-password"
            type="password"
            autoComplete="new-password"
            maxLength={256}
            value={form.password}
            onChange={(e) => set({ password: e.target.value })}
          />
        </Field>
        <SubmitError submit={submit} testId="admin-user-error" />
        <Success text={notice} testId="admin-user-notice" />
        <button type="submit" className="big-button" data-testid="admin-user-submit" disabled={sending}>
          {sending ? t('admin.sending') : t('admin.users.submit')}
        </button>
      </form>
    </div>
  );
}
