import { describe, expect, it } from 'vitest';
import { kbps, median } from './networkProbe.js';

describe('network probe arithmetic', () => {
  it('takes the median of the round trips, so one slow ping does not count', () => {
    expect(median([])).toBeNull();
    expect(median([40])).toBe(40);
    expect(median([30, 2000, 31, 29, 33])).toBe(31);
    expect(median([10, 30, 20, 40])).toBe(25);
  });

  it('turns bytes and milliseconds into kbit/s', () => {
    // 256 KiB in one second is 2097 kbit/s.
    expect(kbps(256 * 1024, 1000)).toBeCloseTo(2097.152, 3);
    expect(kbps(0, 1000)).toBeNull();
    expect(kbps(1000, 0)).toBeNull();
  });
});
