import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { SiteSummarySchema, type UserPrincipal } from '../../../shared/accounts.js';
import { BookedHearingSchema } from '../../../shared/api.js';
import { ErrorNotice, failureSentence } from '../components/ErrorNotice.js';
import { HearingPeople } from '../components/HearingPeople.js';
import { apiRequest } from '../services/api.js';
import { hearingPath, navigate } from '../services/router.js';
import { formatDay, groupByShanghaiDay, shanghaiDate, timeRange } from '../services/shanghaiTime.js';
import { useApiQuery } from '../services/useApiQuery.js';
import { RecordingLink } from './recording/RecordingLink.js';
import { hasRecording } from './recording/recordingView.js';

const AgendaSchema = z.object({ hearings: z.array(BookedHearingSchema) });
const SitesSchema = z.object({ sites: z.array(SiteSummarySchema) });
const IcalSchema = z.object({ path: z.string() });
type BookedHearing = z.infer<typeof BookedHearingSchema>;

const REFRESH_MS = 60_000;

/** The judge's hearings today and in the coming week, by day, each with a way into its room. */
export function JudgePage({ principal }: { principal: UserPrincipal }) {
  const { t, i18n } = useTranslation();
  const [agenda, reload] = useApiQuery('/api/me/agenda', () => apiRequest(AgendaSchema, 'GET', '/api/me/agenda'), {
    refreshMs: REFRESH_MS,
  });
  const [ical] = useApiQuery('/api/me/ical', () => apiRequest(IcalSchema, 'GET', '/api/me/ical'));
  // Site names only label where parties appear; without them the page still works.
  const [sites] = useApiQuery('/api/sites', () => apiRequest(SitesSchema, 'GET', '/api/sites'));
  const siteName = (siteId: string | null): string => {
    if (siteId === null) return t('hearing.atCourt');
    const site = sites.status === 'ready' ? sites.data.sites.find((s) => s.id === siteId) : undefined;
    return site?.name ?? t('hearing.atSite');
  };

  if (agenda.status === 'loading') return <p className="notice">{t('judge.loading')}</p>;
  if (agenda.status === 'failed') return <ErrorNotice failure={agenda.failure} onRetry={reload} />;

  const now = Date.now();
  const today = shanghaiDate(now);
  const tomorrow = shanghaiDate(now + 24 * 60 * 60 * 1000);
  const days = groupByShanghaiDay(agenda.data.hearings, (h) => h.startMs);
  const dayLabel = (date: string) => {
    const day = formatDay(date, i18n.language);
    if (date === today) return t('common.todayWithDate', { day });
    if (date === tomorrow) return t('common.tomorrowWithDate', { day });
    return day;
  };

  return (
    <main className="page">
      <div className="page-heading">
        <h2>{t('judge.heading')}</h2>
        <button type="button" className="big-button secondary" onClick={reload}>
          {t('common.refresh')}
        </button>
      </div>
      {agenda.failure && <p className="warning">{failureSentence(t, agenda.failure)}</p>}
      {days.length === 0 && <p className="empty">{t('judge.empty')}</p>}
      {ical.status === 'ready' && (
        <p className="hint" data-testid="judge-ical">
          {t('judge.ical')} <code>{`${window.location.origin}${ical.data.path}`}</code>
        </p>
      )}
      {days.map((day) => (
        <section key={day.date} className="day" data-testid={`judge-day-${day.date}`}>
          <h3>{dayLabel(day.date)}</h3>
          <ul className="hearing-list">
            {day.items.map((hearing) => (
              <JudgeHearingRow
                key={hearing.id}
                hearing={hearing}
                now={now}
                siteName={siteName}
                onEnter={() => navigate(hearingPath(hearing.id, principal.userId))}
              />
            ))}
          </ul>
        </section>
      ))}
    </main>
  );
}

interface RowProps {
  hearing: BookedHearing;
  now: number;
  siteName: (siteId: string | null) => string;
  onEnter: () => void;
}

function JudgeHearingRow({ hearing, now, siteName, onEnter }: RowProps) {
  const { t } = useTranslation();
  const cancelled = hearing.status === 'cancelled';
  const live = !cancelled && hearing.startMs <= now && now < hearing.endMs;
  const className = ['hearing-row', cancelled ? 'cancelled' : '', live ? 'live' : ''].filter(Boolean).join(' ');
  return (
    <li className={className} data-testid={`judge-hearing-${hearing.id}`}>
      <div className="hearing-time">{timeRange(hearing.startMs, hearing.endMs)}</div>
      <div className="hearing-main">
        <div className="hearing-title">
          <strong>{hearing.title}</strong>
          <span className="tag">{t(`caseType.${hearing.caseType}`)}</span>
          {hearing.isPublic && <span className="tag">{t('hearing.public')}</span>}
          {hearing.status !== 'scheduled' && !cancelled ? (
            <span className="tag tag-live" data-testid={`judge-state-${hearing.id}`}>
              {t(`courtroom.state.${hearing.status}`)}
            </span>
          ) : (
            live && <span className="tag tag-live">{t('hearing.inProgress')}</span>
          )}
        </div>
        <div className="case-number">{hearing.caseNumber}</div>
        <HearingPeople hearing={hearing} siteName={siteName} />
      </div>
      {!cancelled && (
        <div className="row-actions vertical">
          <button type="button" className="big-button" data-testid={`enter-${hearing.id}`} onClick={onEnter}>
            {t('hearing.enter')}
          </button>
          {hasRecording(hearing.status) && <RecordingLink hearingId={hearing.id} />}
        </div>
      )}
    </li>
  );
}
