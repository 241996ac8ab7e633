import { startTestService, TestService } from '../support/test-service';
import { fuzzEveryRoute } from '../support/route-fuzzer';

/**
 * Every route of the OpenAPI document, fuzzed with malformed and hostile input (see
 * fuzzEveryRoute(): no 5xx, problem+json refusals, no write by a refused request, the service and
 * its projections still working at the end), on the PostgreSQL store: a smaller run beside the
 * embedded one. FUZZ_POSTGRES_REQUESTS sets its size.
 */
describe('fuzzing every documented route (PostgreSQL store)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ store: 'postgres' });
  }, 180_000);
  afterAll(() => service?.close());

  it('answers hostile requests on PostgreSQL without a 5xx, a bare error or a write by a refusal', async () => {
    const requests = Number(process.env.FUZZ_POSTGRES_REQUESTS ?? 800);
    const report = await fuzzEveryRoute(service, { requests, minPerRoute: 20 });
    // What the run covered, for whoever reads the log.
    process.stdout.write(
      `fuzz (postgres): ${report.sent} requests over ${report.routes.length} routes; statuses ${JSON.stringify(report.statuses)}\n`,
    );
    expect(report.routes.length).toBeGreaterThan(10);
    expect(report.sent).toBeGreaterThanOrEqual(requests);
    // Not only refusals: near-valid requests get through to the handlers and write.
    expect(Object.keys(report.statuses).filter((s) => Number(s) < 300).length).toBeGreaterThan(0);
  }, 600_000);
});
