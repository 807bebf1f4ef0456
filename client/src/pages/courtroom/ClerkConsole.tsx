import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { UserPrincipal } from '../../../../shared/accounts.js';
import { type Alert, type ConsoleHearing, ConsoleSchema } from '../../../../shared/floor.js';
import { parseOffsetDateTime } from '../../../../shared/scheduling.js';
import { ErrorNotice, failureSentence } from '../../components/ErrorNotice.js';
import { type ApiFailure, apiRequest, toFailure } from '../../services/api.js';
import { hearingPath, navigate } from '../../services/router.js';
import { timeRange } from '../../services/shanghaiTime.js';
import { useApiQuery } from '../../services/useApiQuery.js';
import { RecordingLink } from '../recording/RecordingLink.js';
import { hasRecording } from '../recording/recordingView.js';
import { clockTime, groupParticipants, openAlertCount, orderAlerts, type Person } from './floorView.js';
import { ParticipantFacts } from './ParticipantFacts.js';

/** How often the console re-reads the court's hearings and alerts. */
export const CONSOLE_REFRESH_MS = 3000;

const AckSchema = z.object({});

/**
 * The clerk's live console: every hearing of the court today with everyone's state and connection
 * (loss, RTT, bitrates), and the queue of alerts to acknowledge, newest first.
 */
export function ClerkConsole({ principal }: { principal: UserPrincipal }) {
  const { t } = useTranslation();
  const [data, reload] = useApiQuery('/api/console', () => apiRequest(ConsoleSchema, 'GET', '/api/console'), {
    refreshMs: CONSOLE_REFRESH_MS,
  });

  if (data.status === 'loading') return <p className="notice">{t('courtroom.console.loading')}</p>;
  if (data.status === 'failed') return <ErrorNotice failure={data.failure} onRetry={reload} />;

  const { hearings, alerts } = data.data;
  return (
    <section className="console" data-testid="console" aria-label={t('courtroom.console.heading')}>
      <div className="toolbar">
        <h3 className="range-heading">{t('courtroom.console.heading')}</h3>
        <button type="button" className="small-button" onClick={reload}>
          {t('common.refresh')}
        </button>
      </div>
      {data.failure && (
        <p className="warning">{t('courtroom.console.stale', { sentence: failureSentence(t, data.failure) })}</p>
      )}
      <div className="console-columns">
        <AlertQueue alerts={alerts} onChanged={reload} />
        <div className="console-hearings">
          {hearings.length === 0 && <p className="empty">{t('courtroom.console.empty')}</p>}
          {hearings.map((hearing) => (
            <ConsoleHearingCard key={hearing.hearingId} hearing={hearing} principal={principal} />
          ))}
        </div>
      </div>
    </section>
  );
}

function AlertQueue({ alerts, onChanged }: { alerts: readonly Alert[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const [acking, setAcking] = useState<ReadonlySet<string>>(new Set());
  const [failures, setFailures] = useState<ReadonlyMap<string, ApiFailure>>(new Map());
  // Acknowledged here but not yet shown so by the next read: the button stays down meanwhile.
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const ordered = orderAlerts(alerts);
  const now = Date.now();

  const ack = async (alert: Alert) => {
    setAcking((s) => new Set(s).add(alert.id));
    setFailures((m) => {
      const next = new Map(m);
      next.delete(alert.id);
      return next;
    });
    try {
      await apiRequest(AckSchema, 'POST', `/api/console/alerts/${encodeURIComponent(alert.id)}/ack`);
      setDone((s) => new Set(s).add(alert.id));
      onChanged();
    } catch (error) {
      setFailures((m) => new Map(m).set(alert.id, toFailure(error)));
    } finally {
      setAcking((s) => {
        const next = new Set(s);
        next.delete(alert.id);
        return next;
      });
    }
  };

  return (
    <section
      className="desk-panel alert-queue"
      aria-label={t('courtroom.console.alerts', { count: openAlertCount(alerts) })}
    >
      <h3>{t('courtroom.console.alerts', { count: openAlertCount(alerts) })}</h3>
      {ordered.length === 0 && <p className="muted">{t('courtroom.console.noAlerts')}</p>}
      <ul className="alert-list">
        {ordered.map((alert) => {
          const failure = failures.get(alert.id);
          const acked = alert.ackedAt !== null;
          const sending = acking.has(alert.id) || done.has(alert.id);
          return (
            <li
              key={alert.id}
              className={`alert-row alert-${alert.kind}${acked ? ' alert-acked' : ''}`}
              data-testid={`alert-${alert.id}`}
              data-kind={alert.kind}
              data-acked={acked}
            >
              <div className="alert-main">
                <strong>{t(`courtroom.alert.${alert.kind}`)}</strong>
                <span>
                  {alert.participantName} · {alert.caseNumber}
                </span>
                <span className="muted">{clockTime(alert.raisedAt, now) ?? alert.raisedAt}</span>
              </div>
              {acked ? (
                <span className="muted">
                  {t('courtroom.console.acked', {
                    by: alert.ackedBy ?? '',
                    time: clockTime(alert.ackedAt, now) ?? alert.ackedAt,
                  })}
                </span>
              ) : (
                <button
                  type="button"
                  className="small-button primary"
                  data-testid={`ack-${alert.id}`}
                  disabled={sending}
                  onClick={() => void ack(alert)}
                >
                  {sending ? t('courtroom.console.acking') : t('courtroom.console.ack')}
                </button>
              )}
              {failure && (
                <p className="form-error" role="alert">
                  {t('courtroom.console.ackFailed', { sentence: failureSentence(t, failure) })}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ConsoleHearingCard({ hearing, principal }: { hearing: ConsoleHearing; principal: UserPrincipal }) {
  const { t } = useTranslation();
  const { floor } = hearing;
  const people: Person[] = hearing.participants;
  const groups = groupParticipants(floor.participants, people);
  const ordered = [...groups.in_hearing, ...groups.waiting, ...groups.away];
  const startMs = parseOffsetDateTime(hearing.startsAt);
  const endMs = parseOffsetDateTime(hearing.endsAt);
  const mine = people.some((p) => p.id === principal.userId);
  return (
    <article
      className="desk-panel console-hearing"
      data-testid={`console-hearing-${hearing.hearingId}`}
      data-state={floor.state}
    >
      <div className="console-hearing-heading">
        <div>
          {startMs !== null && endMs !== null && <span className="hearing-time">{timeRange(startMs, endMs)}</span>}{' '}
          <strong>{hearing.title}</strong>
          <div className="case-number">
            {hearing.caseNumber} · {t('courtroom.console.judge', { name: hearing.judgeName })}
          </div>
        </div>
        <span className={`hearing-state hearing-state-${floor.state}`}>{t(`courtroom.state.${floor.state}`)}</span>
        {floor.recording && <span className="recording-indicator">{t('courtroom.recording')}</span>}
        {mine && floor.state !== 'cancelled' && (
          <button
            type="button"
            className="small-button"
            data-testid={`console-enter-${hearing.hearingId}`}
            onClick={() => navigate(hearingPath(hearing.hearingId, principal.userId))}
          >
            {t('courtroom.console.enter')}
          </button>
        )}
        {mine && hasRecording(floor.state) && <RecordingLink hearingId={hearing.hearingId} />}
      </div>
      {floor.state === 'paused' && floor.pauseReason && (
        <p className="muted">{t('courtroom.pausedBecause', { reason: floor.pauseReason })}</p>
      )}
      {ordered.length === 0 ? (
        <p className="muted">{t('courtroom.console.nobody')}</p>
      ) : (
        <ul className="floor-list">
          {ordered.map((p) => {
            const person = people.find((x) => x.id === p.participantId);
            return (
              <li
                key={p.participantId}
                className={`floor-row${p.helpRequested || p.handRaised ? ' floor-row-attention' : ''}`}
                data-testid={`console-participant-${hearing.hearingId}-${p.participantId}`}
                data-status={p.status.state}
                data-connected={p.connected}
              >
                <div className="floor-who">
                  <strong>
                    {person
                      ? `${t(`role.${person.role}`, { defaultValue: person.role })} ${person.name}`
                      : p.participantId}
                  </strong>
                  {person && <span className="where"> · {person.site ?? t('courtroom.people.atCourt')}</span>}
                </div>
                <ParticipantFacts participant={p} spotlighted={floor.spotlight === p.participantId} />
              </li>
            );
          })}
        </ul>
      )}
    </article>
  );
}
