import { measureServiceSynth } from '../../bench/services';

describe('bench/services.ts', () => {
  test('measures synth time per service for each count', () => {
    // GIVEN / WHEN
    const rows = measureServiceSynth([1, 2]);
    // THEN
    expect(rows.map((r) => r.count)).toEqual([1, 2]);
    for (const row of rows) {
      expect(row.totalMs).toBeGreaterThan(0);
      // totalMs is rounded to whole milliseconds, msPerService from the unrounded total
      expect(Math.abs(row.msPerService - row.totalMs / row.count)).toBeLessThanOrEqual(0.5 / row.count + 0.05);
    }
  });
});
