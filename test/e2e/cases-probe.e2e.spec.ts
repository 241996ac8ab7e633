import { startTestService, TestService } from '../support/test-service';
import { caseBody, submitCase, history, command, totalEvents } from '../support/case-fixtures';

describe('probe', () => {
  let service: TestService;
  beforeAll(async () => { service = await startTestService(); });
  afterAll(() => service.close());
  it('probes', async () => {
    const log = (...a: unknown[]) => process.stdout.write(JSON.stringify(a) + '\n');
    const body = caseBody({ proposedSeverity: 'A' });
    const rs = await Promise.all(Array.from({ length: 5 }, () => service.request('POST', '/v1/cases', { body, headers: { 'idempotency-key': 'k-race' } })));
    log('race', rs.map((r) => [r.status, r.body.caseId ?? r.body.detail, r.headers.get('idempotent-replayed')]));
    log('events', await totalEvents(service));
    const { caseId } = await submitCase(service, {});
    const us = await Promise.all(Array.from({ length: 5 }, () => service.request('POST', `/v1/cases/${caseId}/updates`, { body: { channel: 'email', summary: 'x' }, headers: { 'idempotency-key': 'u-race' } })));
    log('urace', us.map((r) => [r.status, r.body]));
    log('hist', (await history(service, caseId)).map((e) => e.type));
    const r = await service.request('POST', `/v1/cases/${caseId}/updates`, { rawBody: '{"channel": "email",', });
    log('malformed', r.status, r.body);
    const big = await service.request('POST', `/v1/cases/${caseId}/updates`, { body: { channel: 'email', summary: 'x'.repeat(70000) } });
    log('big', big.status, big.body);
    const unk = await service.request('POST', `/v1/cases/00000000-0000-4000-8000-000000000000/updates`, { body: { channel: 'email', summary: 'x' }, headers: { 'if-match': '"2"' } });
    log('unk ifmatch', unk.status, unk.body);
    const nokey = await service.request('POST', `/v1/cases/${caseId}/updates`, { key: null, body: { channel: 'email', summary: 'x' } });
    log('nokey', nokey.status, nokey.body, nokey.headers.get('content-type'));
  });
});
