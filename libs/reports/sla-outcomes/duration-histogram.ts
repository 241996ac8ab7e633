/**
 * Durations counted in fixed log-spaced buckets, so that the counts of any set of days and
 * groups can be added together (a sorted list of every duration cannot) and the report reads
 * O(periods x groups) rows instead of every clock.
 *
 * Bucket 0 holds [0, 1 s); bucket i >= 1 holds [1 s * r^(i-1), 1 s * r^i) with r = 2^(1/16): each
 * bucket is 4.4% wide. A percentile is reported as its bucket's geometric middle rounded to the
 * second, so it is within 2.2% (plus half a second) of the exact value. A histogram is sparse:
 * bucket -> count, buckets with no duration left out; stored as { "bucket": count } (`StoredHistogram`).
 * In memory a Map: objects keyed by numbers turn into slow sparse element stores once buckets come
 * and go, which the projection does for every case it folds.
 */
export type Histogram = Map<number, number>;
export type StoredHistogram = Record<string, number>;

const PER_DOUBLING = 16;
const BASE_MS = 1000;

/** The bucket of a duration (negative ones, which a clock skew could make, count as 0). */
export function bucketOf(ms: number): number {
  if (!(ms >= BASE_MS)) return 0;
  return Math.floor(PER_DOUBLING * Math.log2(ms / BASE_MS)) + 1;
}

/** The value a bucket stands for: its geometric middle, to the second (bucket 0: 0). */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0;
  return Math.round(Math.pow(2, (bucket - 0.5) / PER_DOUBLING)) * BASE_MS;
}

/** Adds `sign` times `from` into `into` (dropping buckets that come to 0). */
export function addHistogram(into: Histogram, from: Histogram, sign = 1): void {
  for (const [bucket, count] of from) {
    const sum = (into.get(bucket) ?? 0) + sign * count;
    if (sum === 0) into.delete(bucket);
    else into.set(bucket, sum);
  }
}

/**
 * The stored form, buckets in ascending order (so equal histograms are equal text). No sort is
 * needed: bucket numbers are array-index keys, which an object lists in ascending numeric order
 * whatever order they were added in (ECMAScript's OrdinaryOwnPropertyKeys; JSON.stringify too).
 */
export function storedHistogram(h: Histogram): StoredHistogram {
  const stored: StoredHistogram = {};
  for (const [bucket, count] of h) stored[bucket] = count;
  return stored;
}

export function histogramOf(stored: StoredHistogram | undefined): Histogram {
  return new Map(Object.entries(stored ?? {}).map(([b, n]) => [Number(b), n]));
}

/**
 * The nearest-rank percentile (as PostgreSQL's percentile_disc: the first duration whose
 * cumulative share reaches p), to its bucket's resolution; null for no duration.
 */
export function histogramPercentile(histogram: Histogram, p: number): number | null {
  const buckets = [...histogram.entries()].filter(([, count]) => count > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((n, [, count]) => n + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= rank) return bucketValue(bucket);
  }
  return bucketValue(buckets[buckets.length - 1][0]);
}
