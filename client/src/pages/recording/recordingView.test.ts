import { describe, expect, it } from 'vitest';
import { HEARING_STATES } from '../../../../shared/hearingState.js';
import {
  GapReasonSchema,
  type RecordingGap,
  RecordingKindSchema,
  type RecordingSegment,
  type RecordingTimeline,
  RecordingTimelineSchema,
  SegmentStatusSchema,
  StopReasonSchema,
} from '../../../../shared/recording.js';
import { parseOffsetDateTime } from '../../../../shared/scheduling.js';
import { en } from '../../i18n/en.js';
import { lookup } from '../../i18n/lookup.js';
import { zhCN } from '../../i18n/zh-CN.js';
import { parseRoute, recordingPath } from '../../services/router.js';
import {
  axisTicks,
  barPosition,
  buildTimelineView,
  clockLabel,
  downloadUrl,
  formatDuration,
  formatSize,
  GAP_COLUMNS,
  gapReasonKey,
  groupSegments,
  hasRecording,
  instantLabel,
  isRecordingLive,
  kindKey,
  playTogetherPairs,
  recordedParticipants,
  SEGMENT_COLUMNS,
  shortHash,
  sortedGaps,
  statusKey,
  stopReasonKey,
  streamKey,
  streamOf,
  syncCompanion,
  timelineRange,
} from './recordingView.js';

const ms = (iso: string): number => {
  const value = parseOffsetDateTime(iso);
  if (value === null) throw new TypeError(`not a date-time: ${iso}`);
  return value;
};
const at = (time: string) => `2026-12-03T${time}+08:00`;

let nextId = 0;
function segment(
  participantId: string,
  kind: 'audio' | 'video',
  start: string,
  stop: string | null,
  extra: Partial<RecordingSegment> = {},
): RecordingSegment {
  nextId += 1;
  return {
    id: `seg-${nextId}`,
    hearingId: 'h1',
    participantId,
    kind,
    source: kind === 'video' ? 'camera' : 'microphone',
    codec: kind === 'video' ? 'video/VP8' : 'audio/opus',
    contentType: kind === 'video' ? 'video/webm' : 'audio/webm',
    status: stop === null ? 'recording' : 'complete',
    startedAt: at(start),
    stoppedAt: stop === null ? null : at(stop),
    stopReason: stop === null ? null : 'pause',
    durationMs: null,
    frameCount: null,
    sizeBytes: null,
    sha256: null,
    ...extra,
  };
}

function gap(
  participantId: string | null,
  kind: 'audio' | 'video' | null,
  start: string,
  end: string | null,
  reason: RecordingGap['reason'] = 'recess',
): RecordingGap {
  nextId += 1;
  return {
    id: `gap-${nextId}`,
    hearingId: 'h1',
    participantId,
    kind,
    reason,
    detail: reason === 'recess' ? '合议庭评议' : null,
    startedAt: at(start),
    endedAt: end === null ? null : at(end),
  };
}

function timeline(segments: RecordingSegment[], gaps: RecordingGap[] = []): RecordingTimeline {
  return RecordingTimelineSchema.parse({
    hearingId: 'h1',
    caseNumber: '（2026）浙0185民初1234号',
    title: '房屋租赁合同纠纷',
    state: 'closed',
    startsAt: at('09:30:00'),
    endsAt: at('10:30:00'),
    participants: [
      { id: 'judge', name: '王法官', role: 'judge' },
      { id: 'plaintiff', name: '李四', role: 'plaintiff' },
      { id: 'defendant', name: '某公司', role: 'defendant' },
    ],
    segments,
    gaps,
    bundleAvailable: true,
  });
}

describe('timeline range and bar positions', () => {
  it('spans from the first start to the last stop of segments and gaps', () => {
    const t = timeline(
      [segment('judge', 'video', '09:30:00', '10:00:00'), segment('plaintiff', 'audio', '09:31:00', '10:20:00')],
      [gap(null, null, '10:20:00', '10:30:00')],
    );
    expect(timelineRange(t, ms(at('12:00:00')))).toEqual({ startMs: ms(at('09:30:00')), endMs: ms(at('10:30:00')) });
  });

  it('runs an open segment or gap until now', () => {
    const now = ms(at('10:15:00'));
    expect(timelineRange(timeline([segment('judge', 'video', '10:00:00', null)]), now)).toEqual({
      startMs: ms(at('10:00:00')),
      endMs: now,
    });
    expect(timelineRange(timeline([], [gap(null, null, '10:05:00', null)]), now)?.endMs).toBe(now);
  });

  it('is null when nothing was recorded', () => {
    expect(timelineRange(timeline([]), Date.now())).toBeNull();
  });

  it('places a span as percent of the range, clipped to it', () => {
    const range = { startMs: 0, endMs: 1000 };
    expect(barPosition({ startMs: 250, endMs: 500 }, range)).toEqual({ leftPct: 25, widthPct: 25 });
    expect(barPosition({ startMs: -100, endMs: 100 }, range)).toEqual({ leftPct: 0, widthPct: 10 });
    expect(barPosition({ startMs: 900, endMs: 2000 }, range)).toEqual({ leftPct: 90, widthPct: 10 });
    expect(barPosition({ startMs: 1 / 3, endMs: 1000 }, { startMs: 0, endMs: 3 })).toEqual({
      leftPct: 11.111,
      widthPct: 88.889,
    });
    expect(barPosition({ startMs: 5, endMs: 5 }, { startMs: 5, endMs: 5 })).toEqual({ leftPct: 0, widthPct: 0 });
  });
});

describe('lanes', () => {
  it('makes one lane per participant and kind, video above audio, in the participants’ order', () => {
    const t = timeline([
      segment('plaintiff', 'audio', '09:30:00', '10:00:00'),
      segment('judge', 'audio', '09:30:00', '10:00:00'),
      segment('judge', 'video', '09:30:00', '10:00:00'),
      segment('plaintiff', 'audio', '10:10:00', '10:30:00'),
    ]);
    const view = buildTimelineView(t, ms(at('11:00:00')));
    expect(view.groups.map((g) => [g.participant.id, g.items.map((l) => l.kind)])).toEqual([
      ['judge', ['video', 'audio']],
      ['plaintiff', ['audio']],
    ]);
    const plaintiff = view.groups[1]?.items[0];
    expect(plaintiff?.segments.map((b) => b.position)).toEqual([
      { leftPct: 0, widthPct: 50 },
      { leftPct: 66.667, widthPct: 33.333 },
    ]);
  });

  it('puts whole-hearing gaps apart and a participant’s gaps in their lanes', () => {
    const t = timeline(
      [segment('judge', 'video', '09:30:00', '10:00:00'), segment('judge', 'audio', '09:30:00', '10:00:00')],
      [
        gap(null, null, '10:00:00', '10:10:00', 'recess'),
        gap('judge', 'audio', '09:40:00', '09:41:00', 'stream_ended'),
        gap('plaintiff', null, '09:50:00', '09:55:00', 'stream_ended'),
      ],
    );
    const view = buildTimelineView(t, ms(at('11:00:00')));
    expect(view.hearingGaps.map((g) => [g.gap.reason, g.position])).toEqual([
      ['recess', { leftPct: 75, widthPct: 25 }],
    ]);
    const lanes = view.groups.flatMap((g) => g.items.map((l) => [l.key, l.gaps.length]));
    // A participant's gap without a kind covers both of their streams, even without any file.
    expect(lanes).toEqual([
      ['judge/video', 0],
      ['judge/audio', 1],
      ['plaintiff/video', 1],
      ['plaintiff/audio', 1],
    ]);
  });

  it('keeps a participant the timeline does not list, after the listed ones', () => {
    const t = timeline([
      segment('ghost', 'audio', '09:30:00', '09:40:00'),
      segment('judge', 'audio', '09:30:00', '09:40:00'),
    ]);
    expect(recordedParticipants(t).map((p) => [p.id, p.name])).toEqual([
      ['judge', '王法官'],
      ['plaintiff', '李四'],
      ['defendant', '某公司'],
      ['ghost', null],
    ]);
    expect(buildTimelineView(t, 0).groups.map((g) => g.participant.id)).toEqual(['judge', 'ghost']);
  });

  it('groups segments per participant in time order, video first on a tie', () => {
    const a = segment('plaintiff', 'audio', '10:00:00', '10:30:00');
    const b = segment('plaintiff', 'audio', '09:30:00', '10:00:00');
    const c = segment('plaintiff', 'video', '09:30:00', '10:00:00');
    const d = segment('defendant', 'audio', '09:30:00', '10:00:00');
    const groups = groupSegments(timeline([a, b, c, d]));
    expect(groups.map((g) => [g.participant.id, g.items.map((s) => s.id)])).toEqual([
      ['plaintiff', [c.id, b.id, a.id]],
      ['defendant', [d.id]],
    ]);
  });

  it('gives a document camera its own lane beside the camera, named apart, without taking the camera’s gaps', () => {
    const camera = segment('plaintiff', 'video', '09:30:00', '10:30:00');
    const shown = segment('plaintiff', 'video', '09:50:00', '09:55:00', {
      source: 'document',
      stopReason: 'document_stopped',
    });
    const voice = segment('plaintiff', 'audio', '09:30:00', '10:30:00');
    const t = timeline([voice, shown, camera], [gap('plaintiff', 'video', '10:00:00', '10:01:00', 'stream_ended')]);
    const view = buildTimelineView(t, ms(at('11:00:00')));
    const lanes = view.groups.flatMap((g) =>
      g.items.map((l) => [l.key, l.stream, l.segments.map((b) => b.segment.id), l.gaps.length]),
    );
    expect(lanes).toEqual([
      ['plaintiff/video', 'video', [camera.id], 1],
      ['plaintiff/document', 'document', [shown.id], 0],
      ['plaintiff/audio', 'audio', [voice.id], 0],
    ]);
    expect([camera, shown, voice].map((s) => streamKey(streamOf(s)))).toEqual([
      'recording.kind.video',
      'recording.kind.document',
      'recording.kind.audio',
    ]);
    // In the files table: the camera, then the document camera, then the microphone on a tie.
    const tie = segment('plaintiff', 'video', '09:50:00', '09:55:00');
    expect(groupSegments(timeline([voice, shown, tie, camera]))[0]?.items.map((s) => s.id)).toEqual([
      camera.id,
      voice.id,
      tie.id,
      shown.id,
    ]);
  });

  it('orders gaps by their start', () => {
    const late = gap(null, null, '10:00:00', '10:05:00');
    const early = gap('judge', 'video', '09:35:00', '09:36:00');
    expect(sortedGaps([late, early]).map((g) => g.id)).toEqual([early.id, late.id]);
  });
});

describe('play together', () => {
  it('pairs a video with the same participant’s audio that overlaps it longest', () => {
    const video = segment('plaintiff', 'video', '09:30:10', '10:00:00');
    const shortAudio = segment('plaintiff', 'audio', '09:29:00', '09:31:00');
    const longAudio = segment('plaintiff', 'audio', '09:31:00', '10:00:00');
    const otherPerson = segment('defendant', 'audio', '09:30:00', '10:00:00');
    const pairs = playTogetherPairs([video, shortAudio, longAudio, otherPerson], 0);
    expect(pairs.size).toBe(1);
    const pair = pairs.get(video.id);
    expect(pair?.audio.id).toBe(longAudio.id);
    // The video starts 50 s before this audio: the audio's clock is 50 s behind.
    expect(pair?.audioOffsetSec).toBe(-50);
  });

  it('gives the offset to add to the video time when the audio started first', () => {
    const video = segment('judge', 'video', '09:30:02.500', '09:40:00');
    const audio = segment('judge', 'audio', '09:30:00', '09:40:00');
    expect(playTogetherPairs([audio, video], 0).get(video.id)?.audioOffsetSec).toBe(2.5);
  });

  it('does not pair files that do not overlap, and runs open files until now', () => {
    const video = segment('judge', 'video', '09:30:00', '09:40:00');
    const later = segment('judge', 'audio', '09:40:00', '09:50:00');
    expect(playTogetherPairs([video, later], 0).size).toBe(0);
    const liveVideo = segment('judge', 'video', '10:00:00', null);
    const liveAudio = segment('judge', 'audio', '10:00:01', null);
    expect(playTogetherPairs([liveVideo, liveAudio], ms(at('10:05:00'))).get(liveVideo.id)?.audio.id).toBe(
      liveAudio.id,
    );
    expect(playTogetherPairs([liveVideo, liveAudio], ms(at('10:00:00'))).size).toBe(0);
  });

  it('keeps the audio on the video’s clock', () => {
    const base = { videoTime: 10, videoPaused: false, audioTime: 12, audioDuration: 600, audioOffsetSec: 2 };
    expect(syncCompanion(base)).toEqual({ play: true, seekTo: null });
    expect(syncCompanion({ ...base, audioTime: 11 })).toEqual({ play: true, seekTo: 12 });
    expect(syncCompanion({ ...base, videoPaused: true })).toEqual({ play: false, seekTo: null });
    // Before the audio begins it waits at its start; after it ends it stays silent.
    expect(syncCompanion({ ...base, audioOffsetSec: -20, audioTime: 3 })).toEqual({ play: false, seekTo: 0 });
    expect(syncCompanion({ ...base, videoTime: 599 })).toEqual({ play: false, seekTo: null });
    // Until the audio's length is known it is followed anyway.
    expect(syncCompanion({ ...base, audioDuration: Number.NaN, videoTime: 599, audioTime: 601 })).toEqual({
      play: true,
      seekTo: null,
    });
  });
});

describe('numbers and times', () => {
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(5_999)).toBe('0:05');
    expect(formatDuration(123_000)).toBe('2:03');
    expect(formatDuration(3_723_480)).toBe('1:02:03');
    expect(formatDuration(36_000_000)).toBe('10:00:00');
    expect(formatDuration(-5)).toBe('0:00');
  });

  it('formats sizes', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(1023)).toBe('1023 B');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatSize(250 * 1024 * 1024)).toBe('250 MB');
    expect(formatSize(1.25 * 1024 ** 3)).toBe('1.3 GB');
    expect(formatSize(3 * 1024 ** 4)).toBe('3.0 TB');
  });

  it('shortens a checksum', () => {
    const hash = 'a'.repeat(20) + 'b'.repeat(44);
    expect(shortHash(hash)).toBe(`${'a'.repeat(12)}…`);
    expect(shortHash('abcd')).toBe('abcd');
  });

  it('shows instants on the Asia/Shanghai clock, with the date when it is another day', () => {
    expect(clockLabel(ms('2026-12-03T01:31:05Z'), '2026-12-03')).toBe('09:31:05');
    expect(clockLabel(ms('2026-12-03T16:12:40Z'), '2026-12-03')).toBe('2026-12-04 00:12:40');
    expect(instantLabel('2026-12-03T09:31:05.250+08:00', '2026-12-03')).toBe('09:31:05');
    expect(instantLabel('not a time', '2026-12-03')).toBe('not a time');
  });

  it('labels the axis at round steps on the Shanghai clock', () => {
    const ticks = axisTicks({ startMs: ms(at('09:31:20')), endMs: ms(at('10:29:00')) }, 8);
    expect(ticks.map((t) => t.label)).toEqual(['09:40', '09:50', '10:00', '10:10', '10:20']);
    expect(ticks[2]?.leftPct).toBeCloseTo(((28 * 60 + 40) / (57 * 60 + 40)) * 100, 2);
    const short = axisTicks({ startMs: ms(at('09:30:00')), endMs: ms(at('09:30:40')) }, 8);
    expect(short.map((t) => t.label)).toEqual(['09:30:00', '09:30:10', '09:30:20', '09:30:30', '09:30:40']);
    // Six-hour steps fall on the Shanghai clock (00, 06, 12, 18), not on UTC's.
    const long = axisTicks({ startMs: ms(at('01:00:00')), endMs: ms(at('23:00:00')) }, 4);
    expect(long.map((t) => t.label)).toEqual(['06:00', '12:00', '18:00']);
    expect(axisTicks({ startMs: 5, endMs: 5 })).toEqual([]);
  });

  it('asks for a download by adding download=1', () => {
    expect(downloadUrl('/api/files/abc')).toBe('/api/files/abc?download=1');
    expect(downloadUrl('/api/files/abc?x=1')).toBe('/api/files/abc?x=1&download=1');
  });
});

describe('hearing states', () => {
  it('refreshes while the court sits or is in recess, and links to a recording from the first session on', () => {
    expect(HEARING_STATES.filter(isRecordingLive)).toEqual(['in_session', 'paused']);
    expect(HEARING_STATES.filter(hasRecording)).toEqual(['in_session', 'paused', 'closed']);
  });

  it('routes the page', () => {
    expect(recordingPath('h-1')).toBe('/hearings/h-1/recording');
    expect(parseRoute('/hearings/h-1/recording')).toEqual({ page: 'recording', hearingId: 'h-1' });
    expect(parseRoute('/hearings/h-1/recording/')).toEqual({ page: 'recording', hearingId: 'h-1' });
    expect(parseRoute('/hearings/h%201/recording')).toEqual({ page: 'start' });
  });
});

describe('recording messages', () => {
  it('name every kind, status and reason in both languages', () => {
    const keys = [
      ...RecordingKindSchema.options.map(kindKey),
      streamKey('document'),
      ...SegmentStatusSchema.options.map(statusKey),
      ...StopReasonSchema.options.map(stopReasonKey),
      ...GapReasonSchema.options.map(gapReasonKey),
      ...HEARING_STATES.map((s) => `courtroom.state.${s}`),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => typeof lookup(zhCN, k) !== 'string' || typeof lookup(en, k) !== 'string')).toEqual([]);
  });

  it('names every table column in both languages', () => {
    const keys = [
      ...SEGMENT_COLUMNS.map((c) => `recording.segments.column.${c}`),
      ...GAP_COLUMNS.map((c) => `recording.gaps.column.${c}`),
    ];
    expect(keys.filter((k) => typeof lookup(zhCN, k) !== 'string' || typeof lookup(en, k) !== 'string')).toEqual([]);
  });
});
