import { describe, expect, it } from 'vitest';
import type { Transcript } from '../../../../shared/floor.js';
import {
  type DraftEvent,
  draftReducer,
  draftStatus,
  hasUnsavedText,
  INITIAL_DRAFT,
  shouldSave,
  type TranscriptDraft,
} from './transcriptDraft.js';

const transcript = (version: number, text: string): Transcript => ({
  version,
  text,
  sha256: 'a'.repeat(64),
  savedAt: version === 0 ? null : `2026-12-03T09:${String(10 + version).padStart(2, '0')}:00+08:00`,
});

const CONFLICT = { code: 'CONFLICT', message: 'version 3 was saved meanwhile' } as const;

function run(...events: DraftEvent[]): TranscriptDraft {
  return events.reduce(draftReducer, INITIAL_DRAFT);
}

describe('the transcript draft', () => {
  it('is loading until the first read, and unusable after a failed one', () => {
    expect(draftStatus(INITIAL_DRAFT)).toBe('loading');
    expect(shouldSave(run({ type: 'edited', text: 'x' }))).toBe(false);
    expect(draftStatus(run({ type: 'loadFailed', failure: { code: 'TIMEOUT', message: '' } }))).toBe('failed');
  });

  it('saves typed text from the version it started from, then shows the saved version', () => {
    let draft = run(
      { type: 'loaded', transcript: transcript(2, '第一段') },
      { type: 'edited', text: '第一段\n第二段' },
    );
    expect(draftStatus(draft)).toBe('saving');
    expect(shouldSave(draft)).toBe(true);
    expect(draft.baseVersion).toBe(2);
    draft = draftReducer(draft, { type: 'saveStarted', text: draft.text });
    expect(shouldSave(draft)).toBe(false);
    draft = draftReducer(draft, { type: 'saved', transcript: transcript(3, '第一段\n第二段') });
    expect(draftStatus(draft)).toBe('saved');
    expect(draft.baseVersion).toBe(3);
    expect(draft.savedAt).toBe('2026-12-03T09:13:00+08:00');
  });

  it('keeps text typed during a save and saves it next', () => {
    let draft = run({ type: 'loaded', transcript: transcript(0, '') }, { type: 'edited', text: 'a' });
    draft = draftReducer(draft, { type: 'saveStarted', text: 'a' });
    draft = draftReducer(draft, { type: 'edited', text: 'ab' });
    draft = draftReducer(draft, { type: 'saved', transcript: transcript(1, 'a') });
    expect(draft.text).toBe('ab');
    expect(draft.baseVersion).toBe(1);
    expect(shouldSave(draft)).toBe(true);
  });

  it('adopts a newer version saved elsewhere only while nothing here is unsaved', () => {
    const clean = run({ type: 'loaded', transcript: transcript(1, 'v1') });
    expect(draftReducer(clean, { type: 'loaded', transcript: transcript(2, 'v2') }).text).toBe('v2');
    const typing = draftReducer(clean, { type: 'edited', text: 'v1 and more' });
    const after = draftReducer(typing, { type: 'loaded', transcript: transcript(2, 'v2') });
    expect(after.text).toBe('v1 and more');
    expect(after.baseVersion).toBe(1);
    // An older answer arriving late changes nothing.
    const newer = draftReducer(clean, { type: 'loaded', transcript: transcript(2, 'v2') });
    expect(draftReducer(newer, { type: 'loaded', transcript: transcript(1, 'v1') }).text).toBe('v2');
  });

  it('on a conflict shows the newest version and keeps the clerk text aside until they choose', () => {
    const draft = run(
      { type: 'loaded', transcript: transcript(2, 'v2') },
      { type: 'edited', text: 'v2 + mine' },
      { type: 'saveStarted', text: 'v2 + mine' },
      { type: 'conflict', newest: transcript(3, 'v3 from elsewhere'), failure: CONFLICT },
    );
    expect(draft.text).toBe('v3 from elsewhere');
    expect(draft.baseVersion).toBe(3);
    expect(draft.displaced).toBe('v2 + mine');
    expect(draftStatus(draft)).toBe('failed');
    expect(shouldSave(draft)).toBe(false);
    expect(hasUnsavedText(draft)).toBe(false);

    const kept = draftReducer(draft, { type: 'keepMine' });
    expect(kept.text).toBe('v2 + mine');
    expect(kept.displaced).toBeNull();
    expect(kept.saveFailure).toBeNull();
    expect(shouldSave(kept)).toBe(true);
    expect(kept.baseVersion).toBe(3);

    const discarded = draftReducer(draft, { type: 'discardMine' });
    expect(discarded.text).toBe('v3 from elsewhere');
    expect(discarded.displaced).toBeNull();
    expect(draftStatus(discarded)).toBe('saved');
  });

  it('loses nothing on a second conflict before the first was resolved', () => {
    const draft = run(
      { type: 'loaded', transcript: transcript(1, 'v1') },
      { type: 'edited', text: 'first' },
      { type: 'conflict', newest: transcript(2, 'v2'), failure: CONFLICT },
      { type: 'edited', text: 'v2 second' },
      { type: 'conflict', newest: transcript(3, 'v3'), failure: CONFLICT },
    );
    expect(draft.displaced).toContain('first');
    expect(draft.displaced).toContain('v2 second');
  });

  it('is no conflict when the newest version is exactly the clerk text', () => {
    const draft = run(
      { type: 'loaded', transcript: transcript(1, 'v1') },
      { type: 'edited', text: 'same' },
      { type: 'conflict', newest: transcript(2, 'same'), failure: CONFLICT },
    );
    expect(draft.displaced).toBeNull();
    expect(draftStatus(draft)).toBe('saved');
  });

  it('reports a failed save until a save succeeds, keeping the text', () => {
    let draft = run(
      { type: 'loaded', transcript: transcript(1, 'v1') },
      { type: 'edited', text: 'v1!' },
      { type: 'saveStarted', text: 'v1!' },
      { type: 'saveFailed', failure: { code: 'TIMEOUT', message: 'no answer' } },
    );
    expect(draftStatus(draft)).toBe('failed');
    expect(draft.text).toBe('v1!');
    expect(shouldSave(draft)).toBe(true);
    draft = draftReducer(draft, { type: 'saveStarted', text: 'v1!' });
    draft = draftReducer(draft, { type: 'saved', transcript: transcript(2, 'v1!') });
    expect(draftStatus(draft)).toBe('saved');
  });
});
