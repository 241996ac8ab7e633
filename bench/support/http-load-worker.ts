/**
 * A closed-loop HTTP load generator, run in a process of its own (http-load.ts forks it) so that
 * it measures the service as a client outside it does: `clients` loops, each sending its next request as soon as
 * the previous one answered (keep-alive connections, node:http: far less overhead than fetch).
 */
import http from 'node:http';

export interface LoadTarget {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
}

export interface LoadOptions {
  readonly baseUrl: string;
  /** Several instances of the service: client c talks to baseUrls[c % n] (baseUrl is ignored). */
  readonly baseUrls?: readonly string[];
  readonly authorization: string;
  readonly clients: number;
  readonly targets: LoadTarget[];
  /** Requests during the warm-up are sent but not recorded. */
  readonly warmupMs: number;
  /** Stop after this long (measured phase) ... */
  readonly durationMs?: number;
  /** ... or after this many measured requests. */
  readonly count?: number;
  /** Pick targets in order (client c starts at c) instead of at random. */
  readonly roundRobin?: boolean;
}

export interface LoadResult {
  readonly requests: number;
  readonly elapsedMs: number;
  readonly statuses: Record<string, number>;
  readonly latencies: Float64Array;
  readonly firstError: string | null;
}

function run(options: LoadOptions): Promise<LoadResult> {
  const urls = (options.baseUrls?.length ? options.baseUrls : [options.baseUrl]).map((u) => new URL(u));
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients, maxFreeSockets: options.clients });
  const statuses: Record<string, number> = {};
  let latencies = new Float64Array(1 << 16);
  let recorded = 0;
  let firstError: string | null = null;
  let measuring = options.warmupMs <= 0;
  let stop = false;
  let measureStart = performance.now();
  let measureEnd = 0;
  let issued = 0;

  const send = (url: URL, target: LoadTarget): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: target.method,
          path: target.path,
          headers: {
            authorization: options.authorization,
            ...(target.body !== undefined
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(target.body) }
              : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      if (target.body !== undefined) request.write(target.body);
      request.end();
    });

  const client = async (c: number) => {
    const url = urls[c % urls.length];
    let i = c;
    while (!stop) {
      const target = options.roundRobin
        ? options.targets[i++ % options.targets.length]
        : options.targets[Math.floor(Math.random() * options.targets.length)];
      if (measuring && options.count !== undefined && issued >= options.count) break;
      const counted = measuring;
      if (counted) issued++;
      const started = performance.now();
      let status: string;
      try {
        const response = await send(url, target);
        status = String(response.status);
        if (response.status >= 400 && !firstError)
          firstError = `${target.method} ${target.path} -> ${response.status} ${response.body.slice(0, 300)}`;
      } catch (error) {
        status = 'network-error';
        if (!firstError) firstError = `${target.method} ${target.path} -> ${(error as Error).message}`;
      }
      const latency = performance.now() - started;
      if (counted && measuring) {
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (recorded === latencies.length) {
          const bigger = new Float64Array(latencies.length * 2);
          bigger.set(latencies);
          latencies = bigger;
        }
        latencies[recorded++] = latency;
      }
    }
  };

  return new Promise((resolve) => {
    const clients = Array.from({ length: options.clients }, (_, c) => client(c));
    const begin = () => {
      measuring = true;
      measureStart = performance.now();
      if (options.durationMs !== undefined) setTimeout(() => (stop = true), options.durationMs);
    };
    if (options.warmupMs > 0) setTimeout(begin, options.warmupMs);
    else begin();
    void Promise.all(clients).then(() => {
      measureEnd = performance.now();
      agent.destroy();
      resolve({
        requests: recorded,
        elapsedMs: measureEnd - measureStart,
        statuses,
        latencies: latencies.slice(0, recorded),
        firstError,
      });
    });
  });
}

if (process.send) {
  process.once('message', (options: LoadOptions) => {
    void run(options).then((result) => process.send!(result, () => process.disconnect()));
  });
}
