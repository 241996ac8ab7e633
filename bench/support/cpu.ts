import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where the machine's CPU went during a measurement (Linux /proc; elsewhere every figure is null):
 * this process, the PostgreSQL server processes, Redis, everything else, and idle. On a 2-core
 * machine the benchmark client, the service, PostgreSQL and Redis all share the same cores, so
 * "CPU per operation" explains a throughput ceiling better than latency does.
 */
export interface CpuSplit {
  readonly wallSeconds: number;
  /** In cores (1.0 = one core busy for the whole window). */
  readonly self: number | null;
  readonly postgres: number | null;
  readonly redis: number | null;
  /** Interrupt and softirq time (mostly the loopback network traffic), part of `other`. */
  readonly irq: number | null;
  /**
   * Time the hypervisor gave this VM's virtual cores to someone else while they had work (steal),
   * part of `other`: on a shared host, cores the benchmark could not use.
   */
  readonly steal: number | null;
  /** Everything else: other processes on the machine, irq and steal. */
  readonly other: number | null;
  readonly idle: number | null;
}

const TICK = 100; // USER_HZ on Linux

function readJiffies(): { total: number; idle: number; irq: number; steal: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0);
    // irq + softirq: network (loopback TCP) processing that no process is charged for.
    return {
      total: fields.slice(0, 8).reduce((a, b) => a + b, 0),
      idle,
      irq: (fields[5] ?? 0) + (fields[6] ?? 0),
      steal: fields[7] ?? 0,
    };
  } catch {
    return null;
  }
}

/** utime + stime per process whose name matches, by pid. */
function processTicks(match: (comm: string, pid: number) => boolean): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      if (!match(comm, pid)) continue;
      const rest = stat.slice(close + 2).split(' ');
      ticks.set(pid, Number(rest[11]) + Number(rest[12])); // utime + stime
    } catch {
      /* the process ended meanwhile */
    }
  }
  return ticks;
}

interface Snapshot {
  at: number;
  jiffies: ReturnType<typeof readJiffies>;
  self: Map<number, number>;
  postgres: Map<number, number>;
  redis: Map<number, number>;
}

/** Ticks used between two snapshots by the processes alive at the end (new ones: all their ticks). */
function used(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return ticks;
}

function snapshot(selfPid: number): Snapshot {
  return {
    at: performance.now(),
    jiffies: readJiffies(),
    self: processTicks((_, pid) => pid === selfPid),
    postgres: processTicks((comm) => comm.startsWith('postgres')),
    redis: processTicks((comm) => comm.startsWith('redis-server')),
  };
}

/**
 * Starts measuring; `stop()` answers the split since then. `selfPid`: the process counted as
 * "self" (this one by default; the bare route's, to measure it the same way).
 */
export function measureCpu(selfPid = process.pid): { stop(): CpuSplit } {
  let start: Snapshot | null = null;
  try {
    start = snapshot(selfPid);
  } catch {
    start = null;
  }
  return {
    stop(): CpuSplit {
      const wallSeconds = start ? (performance.now() - start.at) / 1000 : 0;
      if (!start || !start.jiffies)
        return {
          wallSeconds,
          self: null,
          postgres: null,
          redis: null,
          irq: null,
          steal: null,
          other: null,
          idle: null,
        };
      const end = snapshot(selfPid);
      const cores = (ticks: number) => ticks / TICK / wallSeconds;
      const total = end.jiffies!.total - start.jiffies.total;
      const idleTicks = end.jiffies!.idle - start.jiffies.idle;
      const self = cores(used(start.self, end.self));
      const postgres = cores(used(start.postgres, end.postgres));
      const redis = cores(used(start.redis, end.redis));
      const busy = cores(total - idleTicks);
      const irq = cores(end.jiffies!.irq - start.jiffies.irq);
      const steal = cores(end.jiffies!.steal - start.jiffies.steal);
      return {
        wallSeconds,
        self,
        postgres,
        redis,
        irq,
        steal,
        other: Math.max(0, busy - self - postgres - redis),
        idle: cores(idleTicks),
      };
    },
  };
}

export function describeCpu(split: CpuSplit, self = 'this process'): string {
  const f = (v: number | null) => (v === null ? '?' : v.toFixed(2));
  return `cores busy: ${self} ${f(split.self)}, PostgreSQL ${f(split.postgres)}, Redis ${f(split.redis)}, other ${f(split.other)} (of which irq/softirq ${f(split.irq)}, steal ${f(split.steal)}); idle ${f(split.idle)}`;
}

/** utime + stime per thread of this process, keyed by "tid name" (Linux /proc/self/task). */
function threadTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const comm = stat.slice(stat.indexOf('(') + 1, close);
        const rest = stat.slice(close + 2).split(' ');
        ticks.set(`${tid} ${comm}`, Number(rest[11]) + Number(rest[12]));
      } catch {
        /* the thread ended meanwhile */
      }
    }
  } catch {
    /* not Linux */
  }
  return ticks;
}

/**
 * CPU time of this process by thread, per operation: the event-loop threads (the main one is
 * named after the process; worker threads by their name: the background consumers, PGlite) and
 * the helper threads grouped by kind (V8's GC/compiler workers, libuv's pool). Wall-clock profiles
 * charge a preempted thread's waiting to the frame it was in; this counts only CPU it used.
 */
export function measureThreads(): { stop(operations: number): string } {
  const start = threadTicks();
  const mainTid = String(process.pid);
  return {
    stop(operations: number): string {
      const end = threadTicks();
      const groups = new Map<string, number>();
      for (const [key, t] of end) {
        const [tid, ...name] = key.split(' ');
        const comm = name.join(' ');
        const group =
          tid === mainTid ? 'main' : /^V8 /.test(comm) ? 'V8 helpers' : /libuv/.test(comm) ? 'libuv pool' : comm;
        groups.set(group, (groups.get(group) ?? 0) + t - (start.get(key) ?? 0));
      }
      const parts = [...groups]
        .filter(([, t]) => t > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([g, t]) => `${g} ${((t / TICK / Math.max(1, operations)) * 1000).toFixed(3)} ms`);
      return `CPU per command by thread: ${parts.join(', ')}`;
    },
  };
}
