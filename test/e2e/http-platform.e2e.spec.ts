import { gzipSync } from 'node:zlib';
import { startTestService, TestService } from '../support/test-service';
import { expectProblem, registerEngineer, unique } from '../support/case-fixtures';

/**
 * What the HTTP platform does around the routes (createHttpAdapter()): the answers the service
 * gave on Express, kept on Fastify.
 */
describe('HTTP platform: bodies, routing and query strings (embedded store)', () => {
  let service: TestService;
  let engineerId: string;
  beforeAll(async () => {
    service = await startTestService();
    engineerId = `e-Platform-${unique()}`;
    await registerEngineer(service, `m-${unique()}`);
    await registerEngineer(service, engineerId);
  });
  afterAll(() => service.close());

  const availability = (headers: Record<string, string>, rawBody: string | Buffer) =>
    fetch(`${service.url}/v1/engineers/${engineerId}/availability`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-key-support-000000', ...headers },
      body: rawBody,
    }).then(async (response) => ({
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as any,
    }));

  it.each([
    ['null', `Unexpected token 'n', "null" is not valid JSON`],
    [' 42', `Unexpected token '4', " 42" is not valid JSON`],
    ['"on-shift"', `Unexpected token '"', ""on-shift"" is not valid JSON`],
    ['{"status": ', 'Unexpected end of JSON input'],
  ])('a JSON body that is not an object or array is malformed: %s', async (rawBody, message) => {
    const response = await service.request('POST', `/v1/engineers/${engineerId}/availability`, { rawBody });
    expectProblem(response, 400);
    expect(response.body.detail).toBe(`malformed JSON: ${message}`);
  });

  it('an empty JSON body is an empty object (its fields are missing, it is not malformed)', async () => {
    expectProblem(await service.request('POST', `/v1/engineers/${engineerId}/availability`, { rawBody: '' }), 400, [
      'status',
    ]);
  });

  it('reads JSON with a byte order mark, gzip-compressed JSON and forms; refuses an unknown encoding with 415', async () => {
    const json = { 'content-type': 'application/json' };
    expect((await availability(json, '\ufeff{"status":"away"}')).body.availability).toBe('away');
    expect(
      (await availability({ ...json, 'content-encoding': 'gzip' }, gzipSync('{"status":"on-shift"}'))).body
        .availability,
    ).toBe('on-shift');
    expect(
      (await availability({ 'content-type': 'application/x-www-form-urlencoded' }, 'status=off-shift')).body
        .availability,
    ).toBe('off-shift');
    const unknown = await availability({ ...json, 'content-encoding': 'zip' }, '{"status":"away"}');
    expect(unknown.status).toBe(415);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('leaves a body of another media type unread: the route sees no body', async () => {
    const response = await availability({ 'content-type': 'text/plain' }, '{"status":"away"}');
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['status']);
  });

  it('routes a trailing slash and any letter case to the route; path parameters keep their case', async () => {
    expect((await service.request('GET', '/v1/engineers/', { key: 'manager' })).status).toBe(200);
    expect((await service.request('GET', '/V1/Engineers', { key: 'manager' })).status).toBe(200);
    const response = await service.request('POST', `/V1/ENGINEERS/${engineerId}/availability`, {
      body: { status: 'away' },
    });
    expect(response.body).toMatchObject({ engineerId, availability: 'away' });
  });

  it('answers an unknown route and a URL that cannot be decoded with problem+json', async () => {
    const unknown = await service.request('GET', '/v1/nothing-here?x=1');
    expectProblem(unknown, 404);
    expect(unknown.body.detail).toBe('Cannot GET /v1/nothing-here?x=1');
    expectProblem(await service.request('GET', '/v1/cases/%E0%A4%A'), 400);
  });

  it('parses query strings as Express 5 did: a repeated key is a list, brackets are part of the name', async () => {
    expectProblem(await service.request('GET', '/v1/cases?status=open&status=closed'), 400, ['status']);
    expectProblem(await service.request('GET', '/v1/cases?status[]=open'), 400, ['status[]']);
    expect((await service.request('GET', '/v1/cases?status=op%65n&limit=1')).status).toBe(200);
  });
});
