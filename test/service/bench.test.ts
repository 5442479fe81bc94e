import { measureServiceSynth } from '../../bench/services';

describe('bench/services.ts', () => {
  test('measures synth time per service for each count', () => {
    // GIVEN / WHEN
    const rows = measureServiceSynth([1, 2]);
    // THEN
    expect(rows.map((r) => r.count)).toEqual([1, 2]);
    for (const row of rows) {
      expect(row.totalMs).toBeGreaterThan(0);
      expect(row.msPerService).toBeCloseTo(row.totalMs / row.count, 0);
    }
  });
});
