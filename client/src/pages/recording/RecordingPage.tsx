import type { TFunction } from 'i18next';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserPrincipal } from '../../../../shared/accounts.js';
import type { RecordingSegment, RecordingTimeline } from '../../../../shared/recording.js';
import { parseOffsetDateTime } from '../../../../shared/scheduling.js';
import { failureSentence } from '../../components/ErrorNotice.js';
import { type ApiFailure, toFailure } from '../../services/api.js';
import { navigate } from '../../services/router.js';
import { formatDay, shanghaiDate, timeRange } from '../../services/shanghaiTime.js';
import { useApiQuery } from '../../services/useApiQuery.js';
import { homePath } from '../../services/useCredentials.js';
import { GapTable } from './GapTable.js';
import { participantById, participantLabel } from './labels.js';
import { type PlayerState, type PlayRequest, RecordingPlayer } from './RecordingPlayer.js';
import { RecordingTimelineChart } from './RecordingTimelineChart.js';
import { bundleLink, fetchTimeline, segmentLink, startDownload, timelinePath } from './recordingApi.js';
import {
  buildTimelineView,
  groupSegments,
  instantLabel,
  isRecordingLive,
  LIVE_REFRESH_MS,
  type PlayPair,
  playTogetherPairs,
  recordedParticipants,
  shanghaiDay,
  sortedGaps,
  streamKey,
  streamOf,
} from './recordingView.js';
import { SegmentTable } from './SegmentTable.js';

interface RecordingPageProps {
  hearingId: string;
  principal: UserPrincipal;
}

/**
 * The judge's and the clerk's view of a hearing's recording: every file and every gap on a timeline and
 * in tables, each file playable inline (a video with its audio in step) or downloadable, and the
 * evidence bundle once the hearing is closed. While the hearing sits it re-reads itself every 5 s.
 */
export function RecordingPage({ hearingId, principal }: RecordingPageProps) {
  const { t } = useTranslation();
  const [refreshMs, setRefreshMs] = useState<number | undefined>(undefined);
  const [query, reload] = useApiQuery(timelinePath(hearingId), () => fetchTimeline(hearingId), { refreshMs });
  const liveState = query.status === 'ready' && isRecordingLive(query.data.state);
  useEffect(() => setRefreshMs(liveState ? LIVE_REFRESH_MS : undefined), [liveState]);

  const back = (
    <button type="button" className="big-button secondary" onClick={() => navigate(homePath(principal))}>
      {t('recording.back')}
    </button>
  );

  if (query.status === 'loading') {
    return (
      <main className="page recording-page" data-testid="recording-page" data-status="loading">
        <p className="notice">{t('recording.loading')}</p>
      </main>
    );
  }
  if (query.status === 'failed') {
    return (
      <main className="page recording-page" data-testid="recording-page" data-status="failed">
        <div className="notice error-notice" role="alert" data-testid="recording-error" data-code={query.failure.code}>
          <p>{pageFailureSentence(t, query.failure)}</p>
          <div className="actions">
            <button type="button" className="big-button" data-testid="recording-reload" onClick={reload}>
              {t('recording.reload')}
            </button>
            {back}
          </div>
        </div>
      </main>
    );
  }
  return <RecordingView timeline={query.data} stale={query.failure} onReload={reload} back={back} live={liveState} />;
}

/** A failed read of the recording in one sentence; a refusal says who may see it. */
function pageFailureSentence(t: TFunction, failure: ApiFailure): string {
  if (failure.code === 'FORBIDDEN') return t('recording.forbidden');
  if (failure.code === 'NOT_FOUND') return t('recording.notFound');
  return failureSentence(t, failure);
}

interface ViewProps {
  timeline: RecordingTimeline;
  /** The last refresh's failure while an earlier answer is shown. */
  stale: ApiFailure | null;
  onReload: () => void;
  back: ReactNode;
  live: boolean;
}

function RecordingView({ timeline, stale, onReload, back, live }: ViewProps) {
  const { t, i18n } = useTranslation();
  const [player, setPlayer] = useState<PlayerState | null>(null);
  const [downloading, setDownloading] = useState<ReadonlySet<string>>(() => new Set());
  const [bundleBusy, setBundleBusy] = useState(false);
  const [actionFailure, setActionFailure] = useState<ApiFailure | null>(null);
  // Answers to a play request the user has since replaced or closed are dropped.
  const playRequest = useRef(0);

  const nowMs = Date.now();
  const startMs = parseOffsetDateTime(timeline.startsAt);
  const endMs = parseOffsetDateTime(timeline.endsAt);
  const day =
    shanghaiDay(timeline.startsAt) ??
    (timeline.segments[0] ? shanghaiDay(timeline.segments[0].startedAt) : null) ??
    shanghaiDate(nowMs);
  const participants = recordedParticipants(timeline);
  const view = buildTimelineView(timeline, nowMs);
  const segmentGroups = groupSegments(timeline);
  const pairs = playTogetherPairs(timeline.segments, nowMs);
  const gaps = sortedGaps(timeline.gaps);

  const play = async (request: PlayRequest) => {
    const id = ++playRequest.current;
    setPlayer({ status: 'loading', request });
    try {
      const [main, companion] = await Promise.all([
        segmentLink(request.segment.id),
        request.pair ? segmentLink(request.pair.audio.id) : Promise.resolve(null),
      ]);
      if (playRequest.current !== id) return;
      const { segment, pair } = request;
      setPlayer({
        status: 'ready',
        request,
        main: { segmentId: segment.id, kind: segment.kind, contentType: segment.contentType, url: main.url },
        companion:
          pair && companion
            ? {
                segmentId: pair.audio.id,
                kind: pair.audio.kind,
                contentType: pair.audio.contentType,
                url: companion.url,
                audioOffsetSec: pair.audioOffsetSec,
              }
            : null,
      });
    } catch (error) {
      if (playRequest.current !== id) return;
      setPlayer({ status: 'failed', request, failure: toFailure(error) });
    }
  };
  const closePlayer = () => {
    playRequest.current++;
    setPlayer(null);
  };

  const download = async (segment: RecordingSegment) => {
    setActionFailure(null);
    setDownloading((busy) => new Set(busy).add(segment.id));
    try {
      startDownload(await segmentLink(segment.id));
    } catch (error) {
      setActionFailure(toFailure(error));
    } finally {
      setDownloading((busy) => {
        const next = new Set(busy);
        next.delete(segment.id);
        return next;
      });
    }
  };

  const exportBundle = async () => {
    setActionFailure(null);
    setBundleBusy(true);
    try {
      startDownload(await bundleLink(timeline.hearingId));
    } catch (error) {
      setActionFailure(toFailure(error));
    } finally {
      setBundleBusy(false);
    }
  };

  const playerHeading = (request: PlayRequest): string => {
    const { segment, pair } = request;
    const from = instantLabel(segment.startedAt, day);
    const name = participantLabel(t, participantById(participants, segment.participantId));
    if (pair) return t('recording.player.together', { name, from });
    return t('recording.player.heading', { name, kind: t(streamKey(streamOf(segment))), from });
  };

  return (
    <main
      className="page recording-page"
      data-testid="recording-page"
      data-status="ready"
      data-state={timeline.state}
      data-hearing-id={timeline.hearingId}
    >
      <div className="page-heading recording-heading">
        <div>
          <h2>{t('recording.heading')}</h2>
          <div className="recording-case">
            <strong data-testid="recording-case-number">{timeline.caseNumber}</strong>
            <span>{timeline.title}</span>
            <span
              className={`hearing-state hearing-state-${timeline.state}`}
              data-testid="recording-state"
              data-state={timeline.state}
            >
              {t(`courtroom.state.${timeline.state}`)}
            </span>
          </div>
          {startMs !== null && endMs !== null && (
            <div className="muted">
              {t('recording.scheduled', {
                date: formatDay(shanghaiDate(startMs), i18n.language),
                time: timeRange(startMs, endMs),
              })}{' '}
              · {t('recording.timeZoneNote')}
            </div>
          )}
        </div>
        <div className="row-actions">
          {timeline.bundleAvailable && (
            <button
              type="button"
              className="big-button"
              data-testid="recording-bundle"
              title={t('recording.bundle.hint')}
              disabled={bundleBusy}
              onClick={() => void exportBundle()}
            >
              {bundleBusy ? t('recording.bundle.preparing') : t('recording.bundle.export')}
            </button>
          )}
          <button type="button" className="big-button secondary" data-testid="recording-reload" onClick={onReload}>
            {t('recording.reload')}
          </button>
          {back}
        </div>
      </div>
      {live && (
        <p className="recording-live-note" role="status">
          {t('recording.liveNote')}
        </p>
      )}
      {!timeline.bundleAvailable && timeline.state === 'closed' && (
        <p className="muted">{t('recording.bundle.notYet')}</p>
      )}
      {stale && (
        <p className="warning" data-testid="recording-stale">
          {t('recording.stale', { sentence: failureSentence(t, stale) })}
        </p>
      )}
      {actionFailure && (
        <div
          className="form-error recording-action-error"
          role="alert"
          data-testid="recording-action-error"
          data-code={actionFailure.code}
        >
          <span>{t('recording.actionFailed', { sentence: failureSentence(t, actionFailure) })}</span>
          <button type="button" className="recording-mini-button" onClick={() => setActionFailure(null)}>
            {t('recording.dismiss')}
          </button>
        </div>
      )}

      <RecordingTimelineChart view={view} day={day} nowMs={nowMs} live={live} />

      <section className="panel">
        <h3 className="panel-heading">
          {t('recording.segments.heading')}{' '}
          <span className="muted">{t('recording.segments.count', { count: timeline.segments.length })}</span>
        </h3>
        {segmentGroups.length === 0 ? (
          <p className="empty">{t('recording.segments.empty')}</p>
        ) : (
          <SegmentTable
            groups={segmentGroups}
            pairs={pairs}
            day={day}
            downloading={downloading}
            playerAt={player?.request.segment.id ?? null}
            player={
              player && (
                <RecordingPlayer
                  state={player}
                  heading={playerHeading(player.request)}
                  onClose={closePlayer}
                  onRetry={() => void play(player.request)}
                />
              )
            }
            onPlay={(segment: RecordingSegment, pair: PlayPair | null) => void play({ segment, pair })}
            onDownload={(segment) => void download(segment)}
          />
        )}
        {timeline.segments.some((s) => s.status === 'interrupted') && (
          <p className="recording-interrupted-note">⚠ {t('recording.segments.interruptedNote')}</p>
        )}
      </section>

      <section className="panel">
        <h3 className="panel-heading">{t('recording.gaps.heading')}</h3>
        <GapTable gaps={gaps} participants={participants} day={day} nowMs={nowMs} />
      </section>
    </main>
  );
}
