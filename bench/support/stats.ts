/** Latency percentiles and number formatting shared by every suite. */

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The median (the mean of the two middle values of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(values: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i];
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
  };
}

/** A growable list of samples (milliseconds), cheap to append to in hot loops. */
export class Samples {
  private data = new Float64Array(1024);
  private n = 0;

  add(value: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = value;
  }

  get length(): number {
    return this.n;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.n);
  }

  summary(): LatencySummary {
    return summarize(this.values());
  }
}

/** 1234567 -> "1,234,567"; 12.345 -> "12.3" (3 significant digits below 100). */
export function fmt(value: number | null | undefined, digits?: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const d = digits ?? (abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
  return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

export function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Milliseconds since an arbitrary origin, sub-millisecond resolution. */
export const now = () => performance.now();

/** A label for an event count: 10000 -> "10k", 1000000 -> "1M". */
export function sizeLabel(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return String(n);
}

/** Samples process RSS every `intervalMs` until stopped; returns the peak and the samples. */
export function sampleRss(intervalMs = 50): {
  stop(): { peak: number; first: number; last: number; samples: number[]; heapFirst: number; heapPeak: number };
} {
  const samples: number[] = [process.memoryUsage().rss];
  // The JS heap beside the RSS: a run can reuse heap pages an earlier one freed, which the RSS hides.
  const heap: number[] = [process.memoryUsage().heapUsed];
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    samples.push(usage.rss);
    heap.push(usage.heapUsed);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const usage = process.memoryUsage();
      samples.push(usage.rss);
      heap.push(usage.heapUsed);
      return {
        peak: Math.max(...samples),
        first: samples[0],
        last: samples[samples.length - 1],
        samples,
        heapFirst: heap[0],
        heapPeak: Math.max(...heap),
      };
    },
  };
}
