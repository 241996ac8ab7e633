import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { startTestService, TEST_KEYS, TestService } from '../support/test-service';
import { caseBody, expectProblem, registerEngineer, submitCase, totalEvents, unique } from '../support/case-fixtures';

/**
 * Regressions for the hostile inputs an outside tester found (issue 12): each was a 500, a write
 * by a refused request, or the end of the process. Every one is now a 4xx problem naming what is
 * wrong, and writes nothing.
 */
describe('hostile input (embedded store)', () => {
  let service: TestService;
  let caseId: string;
  let engineerId: string;
  beforeAll(async () => {
    service = await startTestService();
    caseId = (await submitCase(service)).caseId;
    engineerId = `e-hostile-${unique()}`;
    await registerEngineer(service, engineerId);
  }, 120_000);
  afterAll(() => service.close());

  /** A raw body to POST /v1/cases with these headers; fetch's answer as status, headers, JSON. */
  const post = async (path: string, body: string | Buffer, headers: Record<string, string>) => {
    const response = await fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEYS.support}`, 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text) };
  };

  const expectServing = async () => {
    const health = await service.request('GET', '/health', { key: null });
    expect(health.status).toBe(200);
  };

  /** Runs `act` and checks that the store holds exactly as many events afterwards. */
  const writesNothing = async <T>(act: () => Promise<T>): Promise<T> => {
    const before = await totalEvents(service);
    const result = await act();
    expect(await totalEvents(service)).toBe(before);
    return result;
  };

  describe('compressed bodies', () => {
    it.each(['gzip', 'deflate', 'br'])(
      'a %s body over 64 KB that is not compressed is a 413, and the process keeps serving',
      async (encoding) => {
        const response = await writesNothing(() =>
          post('/v1/cases', randomBytes(100 * 1024), { 'content-encoding': encoding }),
        );
        expectProblem(response, 413);
        // The inflating stream fails after the answer; it used to be an unhandled 'error' that ended the process.
        await new Promise((resolve) => setImmediate(resolve));
        await expectServing();
        expect((await service.request('GET', `/v1/cases/${caseId}`)).status).toBe(200);
      },
    );

    it('a gzip bomb (a valid stream that inflates far beyond 64 KB) is a 413', async () => {
      const response = await writesNothing(() =>
        post('/v1/cases', gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20)), { 'content-encoding': 'gzip' }),
      );
      expectProblem(response, 413);
      await expectServing();
    });

    it.each(['gzip', 'deflate', 'br'])('a small body that is not %s data is a 400, not a 500', async (encoding) => {
      const response = await writesNothing(() =>
        post('/v1/cases', Buffer.from('{"not":"compressed"}'), { 'content-encoding': encoding }),
      );
      expectProblem(response, 400);
      expect(response.body.detail).toContain(encoding);
      await expectServing();
    });

    it('a truncated gzip body is a 400', async () => {
      const gzipped = gzipSync(JSON.stringify(caseBody()));
      const response = await writesNothing(() =>
        post('/v1/cases', gzipped.subarray(0, gzipped.length - 12), { 'content-encoding': 'gzip' }),
      );
      expectProblem(response, 400);
    });
  });

  describe('strings that cannot be stored are refused at the edge, naming the field', () => {
    it('a NUL in a body field', async () => {
      const response = await writesNothing(() =>
        service.request('POST', '/v1/cases', { body: caseBody({ summary: 'mail\u0000down' }) }),
      );
      expectProblem(response, 400, ['summary']);
    });

    it('a NUL in a nested field and in a list', async () => {
      const contact = { ...(caseBody().contact as object), name: 'Jo\u0000' };
      expectProblem(
        await writesNothing(() => service.request('POST', '/v1/cases', { body: caseBody({ contact }) })),
        400,
        ['contact.name'],
      );
      const attachments = [{ name: 'a\u0000.log', contentType: 'text/plain', sizeBytes: 1 }];
      expectProblem(
        await writesNothing(() => service.request('POST', '/v1/cases', { body: caseBody({ attachments }) })),
        400,
        ['attachments[0].name'],
      );
    });

    it('a lone surrogate (escaped in JSON) in a body field', async () => {
      const rawBody = JSON.stringify(caseBody({ summary: 'PLACEHOLDER' })).replace('PLACEHOLDER', 'mail \\ud800 down');
      expectProblem(await writesNothing(() => service.request('POST', '/v1/cases', { rawBody })), 400, ['summary']);
      const low = JSON.stringify(caseBody({ details: 'PLACEHOLDER' })).replace('PLACEHOLDER', '\\udc00');
      expectProblem(await writesNothing(() => service.request('POST', '/v1/cases', { rawBody: low })), 400, [
        'details',
      ]);
    });

    it('a paired surrogate (an emoji) is fine', async () => {
      const response = await service.request('POST', '/v1/cases', {
        body: caseBody({ summary: 'mail down \ud83d\udce7' }),
      });
      expect(response.status).toBe(201);
    });

    it('a NUL in a field of a case command', async () => {
      const response = await writesNothing(() =>
        service.request('POST', `/v1/cases/${caseId}/updates`, { body: { channel: 'email', summary: 'x\u0000' } }),
      );
      expectProblem(response, 400, ['summary']);
    });

    it('a NUL in a query value and in a path parameter', async () => {
      expectProblem(await service.request('GET', '/v1/cases?partnerId=p%00x'), 400, ['partnerId']);
      expectProblem(await service.request('GET', `/v1/cases/${caseId}%00`), 400, ['id']);
      const availability = await writesNothing(() =>
        service.request('POST', `/v1/engineers/${engineerId}%00/availability`, { body: { status: 'away' } }),
      );
      expectProblem(availability, 400, ['engineerId']);
    });
  });

  it('a body nested 10,000 levels deep is a 400 (it used to overflow the stack in validation)', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const rawBody = JSON.stringify(caseBody({ summary: 'PLACEHOLDER' })).replace('"PLACEHOLDER"', deep);
    expectProblem(await writesNothing(() => service.request('POST', '/v1/cases', { rawBody })), 400, ['body']);
    expectProblem(
      await service.request('POST', `/v1/cases/${caseId}/updates`, { rawBody: '{"a":' + deep + '}' }),
      400,
      ['body'],
    );
    await expectServing();
  });

  it('nesting within the limit is left to validation (brackets inside strings do not count)', async () => {
    const response = await service.request('POST', '/v1/cases', { body: caseBody({ summary: '[[[[{{{{'.repeat(40) }) });
    expect(response.status).toBe(201);
  });

  it('an engineer id or manager id of null is a 400 (it used to be stored, and stalled the projections)', async () => {
    const body = { name: 'N', email: 'n@example.com', timeZone: 'Europe/Paris' };
    expectProblem(
      await writesNothing(() =>
        service.request('POST', '/v1/engineers', { key: 'admin', body: { ...body, engineerId: null } }),
      ),
      400,
      ['engineerId'],
    );
    expectProblem(
      await writesNothing(() =>
        service.request('POST', '/v1/engineers', { key: 'admin', body: { ...body, managerId: null } }),
      ),
      400,
      ['managerId'],
    );
  });

  describe('dates: only calendar date-times that are real instants', () => {
    it.each(['2026-W05-3', '2026-035', '2026-02-30T10:00:00Z', '2026-01-01T24:00:00Z', '1'])(
      'asOf, from and since refuse %s',
      async (value) => {
        const q = encodeURIComponent(value);
        expectProblem(await service.request('GET', `/v1/cases/${caseId}/state?asOf=${q}`), 400, ['asOf']);
        expectProblem(await service.request('GET', `/v1/sla/preview?severity=A&from=${q}&timeZone=Europe/Paris`), 400, [
          'from',
        ]);
        expectProblem(await service.request('GET', `/v1/alerts?since=${q}`), 400, ['since']);
      },
    );

    it('a calendar date-time with an offset is read (the control)', async () => {
      expect(
        (
          await service.request(
            'GET',
            `/v1/cases/${caseId}/state?asOf=${encodeURIComponent('2099-01-01T00:00:00+01:00')}`,
          )
        ).status,
      ).toBe(200);
      expect(
        (await service.request('GET', '/v1/sla/preview?severity=A&from=2026-11-13T16:30:00Z&timeZone=Europe/Paris'))
          .status,
      ).toBe(200);
      expect((await service.request('GET', '/v1/alerts?since=2026-11-13')).status).toBe(200);
    });
  });

  describe('cursors and positions', () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    it.each([
      ['a number Date.parse reads as a year', ['1', 'x']],
      ['a date Date.parse reads but PostgreSQL does not', ['Tue Mar 05 2026', 'x']],
      ['a case id with a NUL', ['2026-01-01T00:00:00.000Z', 'x\u0000']],
      ['a case id that is not a string', ['2026-01-01T00:00:00.000Z', 42]],
      ['a week date', ['2026-W05-3', 'x']],
      ['an out-of-range year', ['+275760-09-13T00:00:00.000Z', 'x']],
    ])('a hand-made cursor with %s is a 400', async (_name, value) => {
      expectProblem(await service.request('GET', `/v1/cases?cursor=${cursor(value)}`), 400, ['cursor']);
    });

    it('the cursor the service returns still works (the control)', async () => {
      await submitCase(service);
      const first = await service.request('GET', '/v1/cases?limit=1');
      expect(first.body.nextCursor).toEqual(expect.any(String));
      expect((await service.request('GET', `/v1/cases?limit=1&cursor=${first.body.nextCursor}`)).status).toBe(200);
    });

    it.each(['99999999999999999999', '9223372036854775808', '18446744073709551616'])(
      'consistentWith=%s (beyond bigint) is a 400',
      async (position) => {
        expectProblem(await service.request('GET', `/v1/cases?consistentWith=${position}`), 400, ['consistentWith']);
        expectProblem(await service.request('GET', `/v1/alerts?consistentWith=${position}`), 400, ['consistentWith']);
      },
    );

    it('the largest bigint names no event: 400, not 500', async () => {
      expectProblem(await service.request('GET', '/v1/cases?consistentWith=9223372036854775807'), 400, [
        'consistentWith',
      ]);
    });
  });

  describe('bounded headers', () => {
    it.each<[string, string]>([
      ['X-Correlation-Id', 'c'.repeat(15 * 1024)],
      ['X-Correlation-Id', 'c'.repeat(129)],
      ['X-Correlation-Id', 'has spaces and ; semicolons'],
      ['X-Request-Id', 'r'.repeat(129)],
      ['X-Request-Id', 'r/1'],
      ['Idempotency-Key', 'k'.repeat(201)],
      ['Idempotency-Key', 'clé'],
    ])('%s out of bounds is a 400 naming it, and writes nothing', async (name, value) => {
      const response = await writesNothing(() =>
        service.request('POST', '/v1/cases', { body: caseBody(), headers: { [name]: value } }),
      );
      expectProblem(response, 400, [name]);
    });

    it('values within bounds are accepted and recorded (the control)', async () => {
      const correlationId = `corr-${'c'.repeat(100)}:1.2_3`;
      const response = await service.request('POST', '/v1/cases', {
        body: caseBody(),
        headers: {
          'X-Correlation-Id': correlationId,
          'X-Request-Id': 'req-1',
          'Idempotency-Key': `key ${unique()} ~!@#$%^&*()`,
        },
      });
      expect(response.status).toBe(201);
      const history = await service.request('GET', `/v1/cases/${response.body.caseId}/history`, { key: 'auditor' });
      expect(history.body[0].metadata).toMatchObject({ correlationId, causationId: 'req-1' });
    });
  });

  describe('a refused submission writes nothing at all (not even its reference)', () => {
    it('a stale If-Match on POST /v1/cases is a 412 and appends no event', async () => {
      const response = await writesNothing(() =>
        service.request('POST', '/v1/cases', { body: caseBody(), headers: { 'If-Match': '"3"' } }),
      );
      expectProblem(response, 412);
    });

    it('a retried submission with an Idempotency-Key gets the same case and reference', async () => {
      const key = `retry-${unique()}`;
      const first = await service.request('POST', '/v1/cases', {
        body: caseBody(),
        headers: { 'Idempotency-Key': key },
      });
      expect(first.status).toBe(201);
      const again = await writesNothing(() =>
        service.request('POST', '/v1/cases', { body: caseBody(), headers: { 'Idempotency-Key': key } }),
      );
      expect(again.status).toBe(201);
      expect(again.body).toMatchObject({ caseId: first.body.caseId, reference: first.body.reference });
    });
  });

  describe("what Node's HTTP parser refuses is problem+json too", () => {
    it('a 20 KB header is a 431 problem', async () => {
      const response = await new Promise<{ status: number; type: string; body: any }>((resolve, reject) => {
        const request = httpRequest(
          `${service.url}/health`,
          { headers: { 'x-filler': 'f'.repeat(20 * 1024) } },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: JSON.parse(text) }),
            );
          },
        );
        request.on('error', reject);
        request.end();
      });
      expect(response.status).toBe(431);
      expect(response.type).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 431, title: expect.any(String), detail: expect.any(String) });
      await expectServing();
    });

    it('a malformed request line is a 400 problem', async () => {
      const { port } = new URL(service.url);
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () =>
          socket.write('GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
        );
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
      expect(raw).toMatch(/content-type: application\/problem\+json/i);
      const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
      expect(body).toMatchObject({ status: 400 });
    });
  });

  describe('security headers (helmet)', () => {
    it('every answer carries them; the API allows no content at all', async () => {
      for (const response of [
        await service.request('GET', '/health', { key: null }),
        await service.request('GET', '/v1/cases/nope!'),
      ]) {
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
        expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
      }
    });

    it('the Swagger UI still loads: its page, scripts and document, under a CSP that allows them', async () => {
      const page = await fetch(`${service.url}/docs`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      // Every script the page loads is its own (script-src 'self' allows it), none inline.
      const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, inline] of scripts) {
        expect(inline.trim()).toBe('');
        const src = /src=["']([^"']+)["']/.exec(attributes)![1];
        // Relative to the page's URL, /docs (no trailing slash): ./docs/x.js is /docs/x.js.
        const script = await fetch(new URL(src, `${service.url}/docs`));
        expect(script.status).toBe(200);
      }
      expect((await fetch(`${service.url}/docs-json`)).status).toBe(200);
    });
  });
});
