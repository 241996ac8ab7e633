import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { freePort } from '../support/private-servers';
import { startTestService, TestService } from '../support/test-service';

const DOCKER = join(__dirname, '../../docker');

/** The image's HEALTHCHECK command (exec form: node -e <script>). */
function imageCheck(): string[] {
  const dockerfile = readFileSync(join(DOCKER, 'Dockerfile'), 'utf8');
  const match = /^HEALTHCHECK [^\n]*\\\n\s+CMD (\[.*\])$/m.exec(dockerfile);
  if (!match) throw new Error('no exec-form HEALTHCHECK in docker/Dockerfile');
  return JSON.parse(match[1]);
}

/** The compose file's api health check, on another port than the container's 3000. */
function composeCheck(port: number): string[] {
  const compose = parse(readFileSync(join(DOCKER, 'compose.yaml'), 'utf8'), { merge: true });
  const [kind, ...command] = compose.services.api.healthcheck.test as string[];
  expect(kind).toBe('CMD');
  return command.map((part) => part.replace('127.0.0.1:3000', `127.0.0.1:${port}`));
}

/** Runs a check as Docker would, in a process of its own (the service runs in this one); its exit status. */
function run([program, ...args]: string[], env: Record<string, string>): Promise<number | null> {
  expect(program).toBe('node');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH, ...env },
      stdio: 'ignore',
      timeout: 20_000,
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}

describe('the health check commands of docker/Dockerfile and docker/compose.yaml, run against a real service', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.close());

  it('succeed while the service is live and ready', async () => {
    const port = new URL(service.url).port;
    expect(await run(imageCheck(), { PORT: port })).toBe(0);
    expect(await run(composeCheck(Number(port)), {})).toBe(0);
  });

  it('fail where nothing answers', async () => {
    const closed = await freePort();
    expect(await run(imageCheck(), { PORT: String(closed) })).toBe(1);
    expect(await run(composeCheck(closed), {})).toBe(1);
  });
});
