import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import {
  CourtSummarySchema,
  KioskSummarySchema,
  SiteSummarySchema,
  type UserPrincipal,
  UserSummarySchema,
} from '../../../shared/accounts.js';
import { BookedHearingSchema } from '../../../shared/api.js';
import { ErrorNotice, failureSentence } from '../components/ErrorNotice.js';
import { HearingPeople } from '../components/HearingPeople.js';
import { type ApiFailure, apiRequest, toFailure } from '../services/api.js';
import { hearingPath, navigate } from '../services/router.js';
import {
  addDays,
  dayStartMs,
  formatDay,
  groupByShanghaiDay,
  shanghaiDate,
  shanghaiIso,
  shanghaiTime,
  timeRange,
  weekStart,
} from '../services/shanghaiTime.js';
import { type QueryState, useApiQuery } from '../services/useApiQuery.js';
import { type BookingForm, emptyBookingForm } from './bookingForm.js';
import { BookingPanel } from './ClerkBooking.js';
import { ClerkConsole } from './courtroom/ClerkConsole.js';
import { RecordingLink } from './recording/RecordingLink.js';
import { hasRecording } from './recording/recordingView.js';

export const SitesSchema = z.object({ sites: z.array(SiteSummarySchema) });
export const UsersSchema = z.object({ users: z.array(UserSummarySchema) });
const CourtsSchema = z.object({ courts: z.array(CourtSummarySchema) });
const KiosksSchema = z.object({ kiosks: z.array(KioskSummarySchema) });
const HearingsSchema = z.object({ hearings: z.array(BookedHearingSchema) });

export type Site = z.infer<typeof SiteSummarySchema>;
export type User = z.infer<typeof UserSummarySchema>;
type BookedHearing = z.infer<typeof BookedHearingSchema>;
type Kiosk = z.infer<typeof KioskSummarySchema>;

type Tab = 'console' | 'schedule' | 'book' | 'sites';
type Notice = { key: 'booked' | 'cancelled' | 'rescheduled'; caseNumber: string; when: string } | null;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The clerk's desk: the live console of today's hearings and their alerts (the first tab), the court's
 * hearings by day or week (cancel, move, enter), the booking form with its live view of who is already
 * booked, and the shared-court sites with their kiosks. Administrators see the sites tab only (hearing
 * details are not theirs to see).
 */
export function ClerkPage({ principal }: { principal: UserPrincipal }) {
  const { t } = useTranslation();
  const clerk = principal.role === 'clerk';
  const [tab, setTab] = useState<Tab>(clerk ? 'console' : 'sites');
  const [scheduleDate, setScheduleDate] = useState(() => shanghaiDate(Date.now()));
  const [form, setForm] = useState<BookingForm>(() => emptyBookingForm(shanghaiDate(Date.now())));
  const [notice, setNotice] = useState<Notice>(null);

  const [courts] = useApiQuery('/api/courts', () => apiRequest(CourtsSchema, 'GET', '/api/courts'));
  const [users, reloadUsers] = useApiQuery(clerk ? '/api/users' : null, () =>
    apiRequest(UsersSchema, 'GET', '/api/users'),
  );
  const [sites, reloadSites] = useApiQuery('/api/sites', () => apiRequest(SitesSchema, 'GET', '/api/sites'));
  const court = courts.status === 'ready' ? courts.data.courts.find((c) => c.id === principal.courtId) : undefined;
  const userList = users.status === 'ready' ? users.data.users : [];
  const siteList = sites.status === 'ready' ? sites.data.sites : [];

  const lookupFailure = users.status === 'failed' ? users.failure : sites.status === 'failed' ? sites.failure : null;
  const tabs: Tab[] = clerk ? ['console', 'schedule', 'book', 'sites'] : ['sites'];
  return (
    <main className="page clerk">
      <div className="page-heading">
        <h2>{court?.name ?? t('clerk.heading')}</h2>
      </div>
      <div className="tabs" role="tablist">
        {tabs.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            className={tab === name ? 'tab active' : 'tab'}
            data-testid={`clerk-tab-${name}`}
            onClick={() => {
              setTab(name);
              setNotice(null);
            }}
          >
            {name === 'console' ? t('courtroom.console.tab') : t(`clerk.tab.${name}`)}
          </button>
        ))}
      </div>
      {notice && (
        <p className="success" role="status" data-testid="clerk-notice">
          {t(`clerk.notice.${notice.key}`, { caseNumber: notice.caseNumber, when: notice.when })}
        </p>
      )}
      {tab === 'console' && <ClerkConsole principal={principal} />}
      {tab === 'schedule' && (
        <ScheduleView
          principal={principal}
          date={scheduleDate}
          onDateChange={setScheduleDate}
          users={userList}
          sites={siteList}
          onNotice={setNotice}
        />
      )}
      {tab === 'book' &&
        (lookupFailure ? (
          <ErrorNotice
            failure={lookupFailure}
            onRetry={() => {
              reloadUsers();
              reloadSites();
            }}
          />
        ) : (
          <BookingPanel
            principal={principal}
            form={form}
            onChange={setForm}
            users={userList}
            sites={siteList}
            onBooked={(hearing) => {
              setForm(emptyBookingForm(form.date));
              setScheduleDate(shanghaiDate(hearing.startMs));
              setNotice({
                key: 'booked',
                caseNumber: hearing.caseNumber,
                when: timeRange(hearing.startMs, hearing.endMs),
              });
              setTab('schedule');
            }}
          />
        ))}
      {tab === 'sites' && <SitesView sites={sites} onRetry={reloadSites} />}
    </main>
  );
}

// ---------------------------------------------------------------------------------------------------
// Schedule: day and week views, cancel and reschedule.

type ViewMode = 'day' | 'week';

type RowAction =
  | { kind: 'none' }
  | { kind: 'cancel'; hearingId: string; reason: string; sending: boolean; failure: ApiFailure | null }
  | {
      kind: 'reschedule';
      hearingId: string;
      date: string;
      start: string;
      end: string;
      sending: boolean;
      failure: ApiFailure | null;
    };

interface ScheduleProps {
  principal: UserPrincipal;
  date: string;
  onDateChange: (date: string) => void;
  users: User[];
  sites: Site[];
  onNotice: (notice: Notice) => void;
}

function ScheduleView({ principal, date, onDateChange, users, sites, onNotice }: ScheduleProps) {
  const { t, i18n } = useTranslation();
  const [mode, setMode] = useState<ViewMode>('day');
  const [action, setAction] = useState<RowAction>({ kind: 'none' });

  const first = mode === 'day' ? date : weekStart(date);
  const from = dayStartMs(first) ?? dayStartMs(shanghaiDate(Date.now())) ?? 0;
  const to = from + (mode === 'day' ? 1 : 7) * DAY_MS;
  const path = `/api/courts/${encodeURIComponent(principal.courtId)}/hearings?from=${from}&to=${to}`;
  const [hearings, reload] = useApiQuery(path, () => apiRequest(HearingsSchema, 'GET', path), { refreshMs: 60_000 });

  const step = mode === 'day' ? 1 : 7;
  const userName = (id: string) => users.find((u) => u.id === id)?.displayName ?? t('clerk.unknownUser');
  const siteName = (id: string | null) =>
    id === null ? t('hearing.atCourt') : (sites.find((s) => s.id === id)?.name ?? t('hearing.atSite'));

  const send = async (hearing: BookedHearing) => {
    if (action.kind === 'none') return;
    const current = action;
    setAction({ ...current, sending: true, failure: null });
    try {
      let changed: BookedHearing;
      if (current.kind === 'cancel') {
        changed = await apiRequest(BookedHearingSchema, 'POST', `/api/hearings/${hearing.id}/cancel`, {
          reason: current.reason.trim(),
        });
      } else {
        changed = await apiRequest(BookedHearingSchema, 'POST', `/api/hearings/${hearing.id}/reschedule`, {
          startsAt: shanghaiIso(current.date, current.start),
          endsAt: shanghaiIso(current.date, current.end),
          expectedVersion: hearing.version,
        });
      }
      setAction({ kind: 'none' });
      onNotice({
        key: current.kind === 'cancel' ? 'cancelled' : 'rescheduled',
        caseNumber: changed.caseNumber,
        when: `${shanghaiDate(changed.startMs)} ${timeRange(changed.startMs, changed.endMs)}`,
      });
      reload();
    } catch (error) {
      setAction({ ...current, sending: false, failure: toFailure(error) });
    }
  };

  return (
    <section className="schedule">
      <div className="toolbar">
        <div className="segmented">
          {(['day', 'week'] as const).map((m) => (
            <button
              key={m}
              type="button"
              className={mode === m ? 'active' : ''}
              aria-pressed={mode === m}
              data-testid={`clerk-view-${m}`}
              onClick={() => setMode(m)}
            >
              {t(`clerk.view.${m}`)}
            </button>
          ))}
        </div>
        <button type="button" className="small-button" onClick={() => onDateChange(addDays(date, -step))}>
          {t(mode === 'day' ? 'clerk.previousDay' : 'clerk.previousWeek')}
        </button>
        <input
          type="date"
          aria-label={t('clerk.date')}
          data-testid="clerk-schedule-date"
          value={date}
          onChange={(e) => {
            if (dayStartMs(e.target.value) !== null) onDateChange(e.target.value);
          }}
        />
        <button type="button" className="small-button" onClick={() => onDateChange(addDays(date, step))}>
          {t(mode === 'day' ? 'clerk.nextDay' : 'clerk.nextWeek')}
        </button>
        <button type="button" className="small-button" onClick={() => onDateChange(shanghaiDate(Date.now()))}>
          {t('common.today')}
        </button>
        <button type="button" className="small-button" onClick={reload}>
          {t('common.refresh')}
        </button>
      </div>
      <h3 className="range-heading">
        {mode === 'day'
          ? formatDay(first, i18n.language)
          : t('clerk.weekOf', {
              from: formatDay(first, i18n.language),
              to: formatDay(addDays(first, 6), i18n.language),
            })}
      </h3>
      {hearings.status === 'loading' && <p className="notice">{t('clerk.loading')}</p>}
      {hearings.status === 'failed' && <ErrorNotice failure={hearings.failure} onRetry={reload} />}
      {hearings.status === 'ready' && (
        <>
          {hearings.failure && <p className="warning">{failureSentence(t, hearings.failure)}</p>}
          {hearings.data.hearings.length === 0 && (
            <p className="empty">{t(mode === 'day' ? 'clerk.emptyDay' : 'clerk.emptyWeek')}</p>
          )}
          {groupByShanghaiDay(hearings.data.hearings, (h) => h.startMs).map((day) => (
            <div key={day.date} className="day">
              {mode === 'week' && <h4>{formatDay(day.date, i18n.language)}</h4>}
              <ul className="hearing-list">
                {day.items.map((hearing) => (
                  <ClerkHearingRow
                    key={hearing.id}
                    hearing={hearing}
                    judgeName={userName(hearing.judgeId)}
                    clerkName={userName(hearing.clerkId)}
                    siteName={siteName}
                    action={action.kind !== 'none' && action.hearingId === hearing.id ? action : null}
                    onAction={setAction}
                    onSend={() => void send(hearing)}
                    onEnter={() => navigate(hearingPath(hearing.id, principal.userId))}
                    // Only the hearing's own clerk (and judge) may see its recording.
                    recording={hasRecording(hearing.status) && hearing.clerkId === principal.userId}
                  />
                ))}
              </ul>
            </div>
          ))}
        </>
      )}
    </section>
  );
}

interface ClerkRowProps {
  hearing: BookedHearing;
  judgeName: string;
  clerkName: string;
  siteName: (id: string | null) => string;
  action: Exclude<RowAction, { kind: 'none' }> | null;
  onAction: (action: RowAction) => void;
  onSend: () => void;
  onEnter: () => void;
  /** Offer the way to the hearing's recording. */
  recording: boolean;
}

function ClerkHearingRow({
  hearing,
  judgeName,
  clerkName,
  siteName,
  action,
  onAction,
  onSend,
  onEnter,
  recording,
}: ClerkRowProps) {
  const { t } = useTranslation();
  const cancelled = hearing.status === 'cancelled';
  // Once the judge has opened it, a hearing can no longer be moved or cancelled (the server refuses).
  const begun = !cancelled && hearing.status !== 'scheduled';
  const id = hearing.id;
  return (
    <li
      className={cancelled ? 'hearing-row cancelled' : 'hearing-row'}
      data-testid={`clerk-hearing-${id}`}
      data-status={hearing.status}
    >
      <div className="hearing-time">{timeRange(hearing.startMs, hearing.endMs)}</div>
      <div className="hearing-main">
        <div className="hearing-title">
          <strong>{hearing.title}</strong>
          <span className="tag">{t(`caseType.${hearing.caseType}`)}</span>
          {hearing.isPublic && <span className="tag">{t('hearing.public')}</span>}
          {cancelled && <span className="tag tag-cancelled">{t('hearing.cancelledTag')}</span>}
          {begun && (
            <span className="tag tag-live" data-testid={`clerk-state-${id}`}>
              {t(`courtroom.state.${hearing.status}`)}
            </span>
          )}
        </div>
        <div className="case-number">{hearing.caseNumber}</div>
        <div className="staff">{t('clerk.staff', { judge: judgeName, clerk: clerkName })}</div>
        <HearingPeople hearing={hearing} siteName={siteName} />
        {action?.kind === 'cancel' && (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              onSend();
            }}
          >
            <label className="field">
              <span>{t('clerk.cancelReason')}</span>
              <textarea
                data-testid={`clerk-cancel-reason-${id}`}
                rows={2}
                maxLength={500}
                required
                value={action.reason}
                onChange={(e) => onAction({ ...action, reason: e.target.value })}
              />
            </label>
            {action.failure && (
              <p className="form-error" role="alert">
                {failureSentence(t, action.failure)}
              </p>
            )}
            <div className="row-actions">
              <button
                type="submit"
                className="big-button danger"
                data-testid={`clerk-cancel-confirm-${id}`}
                disabled={action.sending || action.reason.trim() === ''}
              >
                {t('clerk.confirmCancel')}
              </button>
              <button type="button" className="big-button secondary" onClick={() => onAction({ kind: 'none' })}>
                {t('common.back')}
              </button>
            </div>
          </form>
        )}
        {action?.kind === 'reschedule' && (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              onSend();
            }}
          >
            <div className="field-row">
              <label className="field">
                <span>{t('booking.date')}</span>
                <input
                  type="date"
                  data-testid={`clerk-reschedule-date-${id}`}
                  value={action.date}
                  onChange={(e) => onAction({ ...action, date: e.target.value })}
                />
              </label>
              <label className="field">
                <span>{t('booking.start')}</span>
                <input
                  type="time"
                  data-testid={`clerk-reschedule-start-${id}`}
                  value={action.start}
                  onChange={(e) => onAction({ ...action, start: e.target.value })}
                />
              </label>
              <label className="field">
                <span>{t('booking.end')}</span>
                <input
                  type="time"
                  data-testid={`clerk-reschedule-end-${id}`}
                  value={action.end}
                  onChange={(e) => onAction({ ...action, end: e.target.value })}
                />
              </label>
            </div>
            {action.failure && (
              <p className="form-error" role="alert">
                {failureSentence(t, action.failure)}
              </p>
            )}
            <div className="row-actions">
              <button
                type="submit"
                className="big-button"
                data-testid={`clerk-reschedule-confirm-${id}`}
                disabled={
                  action.sending ||
                  shanghaiIso(action.date, action.start) === null ||
                  shanghaiIso(action.date, action.end) === null
                }
              >
                {t('clerk.confirmReschedule')}
              </button>
              <button type="button" className="big-button secondary" onClick={() => onAction({ kind: 'none' })}>
                {t('common.back')}
              </button>
            </div>
          </form>
        )}
      </div>
      {!cancelled && action === null && (
        <div className="row-actions vertical">
          <button type="button" className="big-button" data-testid={`clerk-enter-${id}`} onClick={onEnter}>
            {t('hearing.enter')}
          </button>
          {recording && <RecordingLink hearingId={id} />}
          {!begun && (
            <>
              <button
                type="button"
                className="small-button"
                data-testid={`clerk-reschedule-${id}`}
                onClick={() =>
                  onAction({
                    kind: 'reschedule',
                    hearingId: id,
                    date: shanghaiDate(hearing.startMs),
                    start: shanghaiTime(hearing.startMs),
                    end: shanghaiTime(hearing.endMs),
                    sending: false,
                    failure: null,
                  })
                }
              >
                {t('clerk.reschedule')}
              </button>
              <button
                type="button"
                className="small-button danger"
                data-testid={`clerk-cancel-${id}`}
                onClick={() => onAction({ kind: 'cancel', hearingId: id, reason: '', sending: false, failure: null })}
              >
                {t('clerk.cancel')}
              </button>
            </>
          )}
        </div>
      )}
    </li>
  );
}

// ---------------------------------------------------------------------------------------------------
// Sites and kiosks.

interface SitesViewProps {
  sites: QueryState<z.infer<typeof SitesSchema>>;
  onRetry: () => void;
}

function SitesView({ sites, onRetry }: SitesViewProps) {
  const { t } = useTranslation();
  const [county, setCounty] = useState('');
  const [kiosks, reloadKiosks] = useApiQuery('/api/kiosks', () => apiRequest(KiosksSchema, 'GET', '/api/kiosks'));

  if (sites.status === 'loading' || kiosks.status === 'loading') return <p className="notice">{t('sites.loading')}</p>;
  if (sites.status === 'failed') return <ErrorNotice failure={sites.failure} onRetry={onRetry} />;
  if (kiosks.status === 'failed') return <ErrorNotice failure={kiosks.failure} onRetry={reloadKiosks} />;

  const counties = [...new Set(sites.data.sites.map((s) => s.county))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  const shown = sites.data.sites.filter((s) => county === '' || s.county === county);
  const kiosksOf = (siteId: string) => kiosks.data.kiosks.filter((k) => k.siteId === siteId);
  return (
    <section className="sites">
      <div className="toolbar">
        <label className="inline-label">
          {t('sites.county')}
          <select data-testid="sites-county" value={county} onChange={(e) => setCounty(e.target.value)}>
            <option value="">{t('sites.allCounties')}</option>
            {counties.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="small-button"
          onClick={() => {
            onRetry();
            reloadKiosks();
          }}
        >
          {t('common.refresh')}
        </button>
      </div>
      {shown.length === 0 && <p className="empty">{t('sites.empty')}</p>}
      <ul className="site-list">
        {shown.map((site) => (
          <li key={site.id} className="site-card" data-testid={`site-${site.id}`}>
            <div className="site-name">
              <strong>{site.name}</strong>
              <span className="muted">
                {site.county} · {t('sites.addressCode', { code: site.addressCode })}
              </span>
            </div>
            {kiosksOf(site.id).length === 0 ? (
              <p className="muted">{t('sites.noKiosks')}</p>
            ) : (
              <ul className="kiosk-list">
                {kiosksOf(site.id).map((kiosk) => (
                  <KioskStatusRow key={kiosk.id} kiosk={kiosk} />
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function KioskStatusRow({ kiosk }: { kiosk: Kiosk }) {
  const { t } = useTranslation();
  const at = (ms: number) => `${shanghaiDate(ms)} ${shanghaiTime(ms)}`;
  let detail = '';
  if (kiosk.status === 'enrolled' && kiosk.enrolledMs !== null)
    detail = t('sites.enrolledAt', { at: at(kiosk.enrolledMs) });
  if (kiosk.status === 'pending') {
    detail =
      kiosk.enrollmentExpiresMs === null
        ? t('sites.noCode')
        : kiosk.enrollmentExpiresMs < Date.now()
          ? t('sites.codeExpired', { at: at(kiosk.enrollmentExpiresMs) })
          : t('sites.codeValidUntil', { at: at(kiosk.enrollmentExpiresMs) });
  }
  if (kiosk.status === 'revoked' && kiosk.revokedMs !== null)
    detail = t('sites.revokedAt', { at: at(kiosk.revokedMs) });
  return (
    <li className="kiosk-row" data-testid={`kiosk-${kiosk.id}`} data-status={kiosk.status}>
      <span>{kiosk.name}</span>
      <span className={`status status-${kiosk.status}`}>{t(`sites.status.${kiosk.status}`)}</span>
      <span className="muted">{detail}</span>
    </li>
  );
}
