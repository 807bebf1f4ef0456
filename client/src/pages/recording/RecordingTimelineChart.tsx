import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { participantLabel } from './labels.js';
import {
  axisTicks,
  type BarPosition,
  clockLabel,
  type GapBar,
  gapReasonKey,
  pointPosition,
  type SegmentBar,
  statusKey,
  streamKey,
  streamOf,
  type TimelineView,
} from './recordingView.js';

interface ChartProps {
  view: TimelineView;
  /** The hearing's date (`YYYY-MM-DD`, Asia/Shanghai): instants on it are shown as time only. */
  day: string;
  nowMs: number;
  live: boolean;
}

const place = (position: BarPosition): CSSProperties => ({
  left: `${position.leftPct}%`,
  width: `${position.widthPct}%`,
});

/**
 * The recording as lanes in time: one lane per participant and kind with a bar for each file, the
 * participant's own gaps hatched in their lane, and the whole hearing's gaps hatched across every lane.
 */
export function RecordingTimelineChart({ view, day, nowMs, live }: ChartProps) {
  const { t } = useTranslation();
  const range = view.range;
  const heading = <h3 className="panel-heading">{t('recording.timeline.heading')}</h3>;
  if (range === null) {
    return (
      <section className="panel recording-timeline" data-testid="recording-timeline">
        {heading}
        <p className="empty">{t('recording.timeline.empty')}</p>
      </section>
    );
  }
  const ticks = axisTicks(range, 8);
  const showNow = live && nowMs >= range.startMs && nowMs <= range.endMs + 1000;
  return (
    <section className="panel recording-timeline" data-testid="recording-timeline">
      <div className="recording-timeline-heading">
        {heading}
        <span className="muted">
          {t('recording.timeline.range', { from: clockLabel(range.startMs, day), to: clockLabel(range.endMs, day) })}
        </span>
        <Legend />
      </div>
      <div className="recording-chart">
        <div className="recording-axis" aria-hidden="true">
          <div className="recording-axis-track">
            {ticks.map((tick) => (
              <span key={tick.ms} className="recording-tick" style={{ left: `${tick.leftPct}%` }}>
                {tick.label}
              </span>
            ))}
          </div>
        </div>
        <div className="recording-lanes">
          {view.groups.map((group) => (
            <div key={group.participant.id} className="recording-lane-group">
              {group.items.map((lane, index) => {
                const name = participantLabel(t, group.participant);
                const kind = t(streamKey(lane.stream));
                return (
                  <div
                    key={lane.key}
                    className="recording-lane"
                    data-testid="recording-lane"
                    data-participant-id={lane.participantId}
                    data-kind={lane.kind}
                    data-stream={lane.stream}
                  >
                    <div className="recording-lane-label">
                      <span className="recording-lane-name" title={name}>
                        {index === 0 ? name : ''}
                      </span>
                      <span className="recording-lane-kind">{kind}</span>
                    </div>
                    <div className="recording-lane-track">
                      {ticks.map((tick) => (
                        <span key={tick.ms} className="recording-gridline" style={{ left: `${tick.leftPct}%` }} />
                      ))}
                      {lane.gaps.map((bar) => (
                        <GapSpan key={bar.gap.id} bar={bar} day={day} />
                      ))}
                      {lane.segments.map((bar) => (
                        <SegmentSpan key={bar.segment.id} bar={bar} day={day} />
                      ))}
                    </div>
                  </div>
                );
              })}
            </div>
          ))}
          <div className="recording-overlay">
            {view.hearingGaps.map((bar) => (
              <GapSpan key={bar.gap.id} bar={bar} day={day} hearing />
            ))}
            {showNow && (
              <div
                className={pointPosition(nowMs, range) > 90 ? 'recording-now recording-now-end' : 'recording-now'}
                style={{ left: `${pointPosition(nowMs, range)}%` }}
              >
                <span>{t('recording.timeline.now')}</span>
              </div>
            )}
          </div>
        </div>
      </div>
    </section>
  );
}

function SegmentSpan({ bar, day }: { bar: SegmentBar; day: string }) {
  const { t } = useTranslation();
  const { segment } = bar;
  return (
    <div
      className={`recording-bar recording-bar-${segment.kind} recording-bar-${segment.status}`}
      data-segment-id={segment.id}
      style={place(bar.position)}
      title={t('recording.timeline.barTitle', {
        kind: t(streamKey(streamOf(segment))),
        from: clockLabel(bar.span.startMs, day),
        to: clockLabel(bar.span.endMs, day),
        status: t(statusKey(segment.status)),
      })}
    />
  );
}

function GapSpan({ bar, day, hearing = false }: { bar: GapBar; day: string; hearing?: boolean }) {
  const { t } = useTranslation();
  const { gap } = bar;
  const reason = t(gapReasonKey(gap.reason));
  const title = t('recording.timeline.gapTitle', {
    reason,
    from: clockLabel(bar.span.startMs, day),
    to: gap.endedAt === null ? t('recording.gaps.ongoing') : clockLabel(bar.span.endMs, day),
  });
  return (
    <div
      className={hearing ? 'recording-gap recording-gap-hearing' : 'recording-gap'}
      data-reason={gap.reason}
      style={place(bar.position)}
      title={gap.detail ? `${title}\n${gap.detail}` : title}
    >
      <span className="recording-gap-label">{hearing ? t('recording.timeline.wholeHearing', { reason }) : reason}</span>
    </div>
  );
}

function Legend() {
  const { t } = useTranslation();
  return (
    <ul className="recording-legend" aria-hidden="true">
      <li className="recording-legend-item">
        <span className="recording-swatch recording-bar-complete" />
        {t('recording.timeline.legendComplete')}
      </li>
      <li className="recording-legend-item">
        <span className="recording-swatch recording-bar-recording" />
        {t('recording.timeline.legendRecording')}
      </li>
      <li className="recording-legend-item">
        <span className="recording-swatch recording-bar-interrupted" />
        {t('recording.timeline.legendInterrupted')}
      </li>
      <li className="recording-legend-item">
        <span className="recording-swatch recording-gap" />
        {t('recording.timeline.legendGap')}
      </li>
    </ul>
  );
}
