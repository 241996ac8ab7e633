import { startTestService, TestService } from '../support/test-service';

describe('GET /v1/sla/preview', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.close());

  it('shows the default policy: severity B opened Friday 16:30 in Paris is due Monday 10:30', async () => {
    const response = await service.request(
      'GET',
      '/v1/sla/preview?severity=B&from=2026-11-13T16:30:00%2B01:00&timeZone=Europe/Paris&country=FR',
      { key: 'ops' },
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      policyVersion: 'default-2026-11',
      policyHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      // 30 min on Friday, 1 h 30 on Monday (Paris is UTC+1 in November).
      initialResponse: { dueAt: '2026-11-16T09:30:00.000Z', warnAt: expect.any(String) },
      update: { dueAt: '2026-11-16T15:30:00.000Z', warnAt: expect.any(String) },
    });
  });

  it('severity A runs 24x7', async () => {
    const response = await service.request(
      'GET',
      '/v1/sla/preview?severity=A&from=2026-11-14T03:00:00Z&timeZone=Europe/Paris',
    );
    expect(response.body.initialResponse.dueAt).toBe('2026-11-14T04:00:00.000Z');
    expect(response.body.update.dueAt).toBe('2026-11-14T05:00:00.000Z');
  });

  it('names every invalid parameter', async () => {
    const response = await service.request(
      'GET',
      '/v1/sla/preview?severity=D&from=yesterday&timeZone=Mars/Base&country=XX',
    );
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'country',
      'country',
      'from',
      'severity',
      'timeZone',
    ]);
  });
});
