import {
  addHistogram,
  bucketOf,
  bucketValue,
  Histogram,
  histogramPercentile,
  storedHistogram,
} from './duration-histogram';

describe("duration histograms (the report's medians and p90)", () => {
  it('a bucket stands for its durations within 2.2% (plus half a second)', () => {
    for (let ms = 1000; ms < 400 * 24 * 3600_000; ms = Math.ceil(ms * 1.013)) {
      expect([ms, Math.abs(bucketValue(bucketOf(ms)) - ms) <= ms * 0.022 + 500]).toEqual([ms, true]);
    }
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(-5)).toBe(0);
    expect(bucketValue(bucketOf(999))).toBe(0);
  });

  it('percentiles are nearest-rank (as percentile_disc), to the bucket', () => {
    const h: Histogram = new Map();
    const minutes = [5, 10, 20, 50, 50, 50, 60, 90, 120, 600];
    for (const m of minutes) addHistogram(h, new Map([[bucketOf(m * 60_000), 1]]));
    const near = (value: number | null, minutesExact: number) =>
      expect(Math.abs(Number(value) - minutesExact * 60_000)).toBeLessThanOrEqual(minutesExact * 60_000 * 0.022);
    near(histogramPercentile(h, 0.5), 50); // rank 5 of 10
    near(histogramPercentile(h, 0.9), 120); // rank 9
    near(histogramPercentile(h, 0.1), 5); // rank 1
    expect(histogramPercentile(new Map(), 0.5)).toBeNull();
  });

  it('adding and taking off the same durations leaves nothing', () => {
    const h: Histogram = new Map([
      [3, 2],
      [180, 1],
    ]);
    addHistogram(h, new Map(h), -1);
    expect(h.size).toBe(0);
    expect(
      storedHistogram(
        new Map([
          [180, 1],
          [3, 2],
        ]),
      ),
    ).toEqual({ '3': 2, '180': 1 });
    expect(
      Object.keys(
        storedHistogram(
          new Map([
            [180, 1],
            [3, 2],
          ]),
        ),
      ),
    ).toEqual(['3', '180']);
  });
});
