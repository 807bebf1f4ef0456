import { Fragment, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordingSegment } from '../../../../shared/recording.js';
import { participantLabel } from './labels.js';
import {
  formatCount,
  formatDuration,
  formatSize,
  instantLabel,
  type ParticipantGroup,
  type PlayPair,
  SEGMENT_COLUMNS,
  shortHash,
  statusKey,
  stopReasonKey,
  streamKey,
  streamOf,
} from './recordingView.js';

interface SegmentTableProps {
  groups: ParticipantGroup<RecordingSegment>[];
  pairs: ReadonlyMap<string, PlayPair>;
  day: string;
  /** Segments whose download link is being fetched. */
  downloading: ReadonlySet<string>;
  /** The segment whose row the player sits under, and the player. */
  playerAt: string | null;
  player: ReactNode;
  onPlay: (segment: RecordingSegment, pair: PlayPair | null) => void;
  onDownload: (segment: RecordingSegment) => void;
}

/** Every recorded file, per participant and in time order, with its facts and a way to play or download it. */
export function SegmentTable({
  groups,
  pairs,
  day,
  downloading,
  playerAt,
  player,
  onPlay,
  onDownload,
}: SegmentTableProps) {
  const { t, i18n } = useTranslation();
  const time = (iso: string | null) => (iso === null ? null : instantLabel(iso, day));
  const none = t('recording.none');
  return (
    <div className="recording-table-wrap">
      <table className="recording-table recording-segments">
        <thead>
          <tr>
            {SEGMENT_COLUMNS.map((column) => (
              <th key={column} scope="col">
                {t(`recording.segments.column.${column}`)}
              </th>
            ))}
          </tr>
        </thead>
        {groups.map((group) => (
          <tbody key={group.participant.id}>
            <tr className="recording-group-row">
              <th colSpan={SEGMENT_COLUMNS.length} scope="rowgroup" data-participant-id={group.participant.id}>
                {participantLabel(t, group.participant)}
              </th>
            </tr>
            {group.items.map((segment) => {
              const pair = pairs.get(segment.id) ?? null;
              const interrupted = segment.status === 'interrupted';
              return (
                <Fragment key={segment.id}>
                  <tr
                    className={`recording-segment recording-segment-${segment.status}${
                      playerAt === segment.id ? ' recording-segment-playing' : ''
                    }`}
                    data-testid="recording-segment-row"
                    data-segment-id={segment.id}
                    data-kind={segment.kind}
                    data-stream={streamOf(segment)}
                    data-status={segment.status}
                    data-participant-id={segment.participantId}
                  >
                    <td>
                      <div>{t(streamKey(streamOf(segment)))}</div>
                      <div className="muted">{segment.codec}</div>
                    </td>
                    <td className="recording-num">{time(segment.startedAt)}</td>
                    <td>
                      <div className="recording-num">
                        {time(segment.stoppedAt) ?? (
                          <span className="recording-live-text">{t('recording.segments.stillRecording')}</span>
                        )}
                      </div>
                      {segment.stopReason && <div className="muted">{t(stopReasonKey(segment.stopReason))}</div>}
                    </td>
                    <td className="recording-num">
                      {segment.durationMs === null ? none : formatDuration(segment.durationMs)}
                    </td>
                    <td className="recording-num">
                      {segment.frameCount === null ? none : formatCount(segment.frameCount, i18n.language)}
                    </td>
                    <td className="recording-num">
                      {segment.sizeBytes === null ? none : formatSize(segment.sizeBytes)}
                    </td>
                    <td>{segment.sha256 === null ? none : <HashCell hash={segment.sha256} />}</td>
                    <td>
                      <span
                        className={`recording-status recording-status-${segment.status}`}
                        title={interrupted ? t('recording.segments.interruptedNote') : undefined}
                      >
                        {interrupted ? `⚠ ${t(statusKey(segment.status))}` : t(statusKey(segment.status))}
                      </span>
                    </td>
                    <td>
                      <div className="recording-actions">
                        <button
                          type="button"
                          className="recording-mini-button"
                          data-testid="recording-play"
                          onClick={() => onPlay(segment, null)}
                        >
                          {t('recording.play')}
                        </button>
                        {pair && (
                          <button
                            type="button"
                            className="recording-mini-button"
                            data-testid="recording-play-together"
                            title={t('recording.playTogetherHint')}
                            onClick={() => onPlay(segment, pair)}
                          >
                            {t('recording.playTogether')}
                          </button>
                        )}
                        <button
                          type="button"
                          className="recording-mini-button"
                          data-testid="recording-download"
                          disabled={downloading.has(segment.id)}
                          onClick={() => onDownload(segment)}
                        >
                          {t('recording.download')}
                        </button>
                      </div>
                    </td>
                  </tr>
                  {playerAt === segment.id && (
                    <tr className="recording-player-row">
                      <td colSpan={SEGMENT_COLUMNS.length}>{player}</td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        ))}
      </table>
    </div>
  );
}

/** The checksum, short; the full value shown on request and copied to the clipboard. */
function HashCell({ hash }: { hash: string }) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  const [copied, setCopied] = useState(false);
  const copy = () => {
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) {
      setExpanded(true);
      return;
    }
    clipboard.writeText(hash).then(
      () => setCopied(true),
      () => setExpanded(true),
    );
  };
  return (
    <div className="recording-hash">
      <button
        type="button"
        className="recording-hash-short"
        title={t('recording.showHash')}
        aria-expanded={expanded}
        data-testid="recording-hash"
        data-hash={hash}
        onClick={() => setExpanded((v) => !v)}
      >
        {shortHash(hash)}
      </button>
      <button type="button" className="recording-mini-button" data-testid="recording-hash-copy" onClick={copy}>
        {copied ? t('recording.copied') : t('recording.copy')}
      </button>
      {expanded && (
        <code className="recording-hash-full" title={t('recording.copyManually')}>
          {hash}
        </code>
      )}
    </div>
  );
}
