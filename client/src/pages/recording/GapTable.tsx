import { useTranslation } from 'react-i18next';
import type { RecordingGap } from '../../../../shared/recording.js';
import { participantById, participantLabel } from './labels.js';
import {
  clockLabel,
  formatDuration,
  GAP_COLUMNS,
  gapReasonKey,
  gapSpan,
  kindKey,
  type RecordedParticipant,
} from './recordingView.js';

interface GapTableProps {
  gaps: RecordingGap[];
  participants: readonly RecordedParticipant[];
  day: string;
  nowMs: number;
}

/** Every gap in the recording, in time order, with its reason in words and the judge's own explanation. */
export function GapTable({ gaps, participants, day, nowMs }: GapTableProps) {
  const { t } = useTranslation();
  if (gaps.length === 0) return <p className="empty">{t('recording.gaps.empty')}</p>;
  const scope = (gap: RecordingGap): string => {
    if (gap.participantId === null) return t('recording.gaps.wholeHearing');
    const name = participantLabel(t, participantById(participants, gap.participantId));
    return gap.kind === null
      ? t('recording.gaps.scopeAll', { name })
      : t('recording.gaps.scope', { name, kind: t(kindKey(gap.kind)) });
  };
  return (
    <div className="recording-table-wrap">
      <table className="recording-table recording-gaps">
        <thead>
          <tr>
            {GAP_COLUMNS.map((column) => (
              <th key={column} scope="col">
                {t(`recording.gaps.column.${column}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {gaps.map((gap) => {
            const span = gapSpan(gap, nowMs);
            const ongoing = gap.endedAt === null;
            return (
              <tr
                key={gap.id}
                className={ongoing ? 'recording-gap-row ongoing' : 'recording-gap-row'}
                data-testid="recording-gap-row"
                data-gap-id={gap.id}
                data-reason={gap.reason}
                data-ongoing={ongoing}
              >
                <td>
                  <strong>{t(gapReasonKey(gap.reason))}</strong>
                </td>
                <td>{scope(gap)}</td>
                <td className="recording-gap-detail">{gap.detail ?? t('recording.none')}</td>
                <td className="recording-num">{span ? clockLabel(span.startMs, day) : gap.startedAt}</td>
                <td className="recording-num">
                  {ongoing ? (
                    <span className="recording-live-text">{t('recording.gaps.ongoing')}</span>
                  ) : span ? (
                    clockLabel(span.endMs, day)
                  ) : (
                    gap.endedAt
                  )}
                </td>
                <td className="recording-num">
                  {span ? formatDuration(span.endMs - span.startMs) : t('recording.none')}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
