import { describe, expect, it } from 'vitest';
import { kioskHearingPath, parseRoute } from '../../services/router.js';

describe('kiosk hearing route', () => {
  it('round-trips through its path, so a reload returns to the same hearing', () => {
    const path = kioskHearingPath('h-1', 'plaintiff_li');
    expect(path).toBe('/kiosk/hearing/h-1/plaintiff_li');
    expect(parseRoute(path)).toEqual({ page: 'kioskHearing', hearingId: 'h-1', participantId: 'plaintiff_li' });
    expect(parseRoute(`${path}/`)).toEqual({ page: 'kioskHearing', hearingId: 'h-1', participantId: 'plaintiff_li' });
  });

  it('leaves the other kiosk and hearing routes alone', () => {
    expect(parseRoute('/kiosk')).toEqual({ page: 'kiosk' });
    expect(parseRoute('/hearing/h-1/p')).toEqual({ page: 'hearing', hearingId: 'h-1', participantId: 'p' });
    expect(parseRoute('/kiosk/hearing/h-1')).toEqual({ page: 'start' });
  });
});
