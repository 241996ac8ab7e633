import { ConfigError, loadConfig } from './app-config';

describe('loadConfig: abuse limits', () => {
  it('limits by default: 200 requests a second per key, 20 failed authentications a minute per address, 5 streams per key', () => {
    expect(loadConfig({}, [])).toMatchObject({ rateLimitPerSecond: 200, authFailuresPerMinute: 20, sseMaxPerKey: 5 });
  });

  it('0 turns each off; anything but a whole number is refused, naming the variable', () => {
    expect(
      loadConfig({ RATE_LIMIT_PER_SECOND: '0', AUTH_FAILURES_PER_MINUTE: '0', SSE_MAX_PER_KEY: '0' }, []),
    ).toMatchObject({
      rateLimitPerSecond: 0,
      authFailuresPerMinute: 0,
      sseMaxPerKey: 0,
    });
    let error: unknown;
    try {
      loadConfig({ RATE_LIMIT_PER_SECOND: '-1', AUTH_FAILURES_PER_MINUTE: 'many', SSE_MAX_PER_KEY: '2.5' }, []);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'RATE_LIMIT_PER_SECOND must be a whole number (0: unlimited)',
      'AUTH_FAILURES_PER_MINUTE must be a whole number (0: not throttled)',
      'SSE_MAX_PER_KEY must be a whole number (0: no cap)',
    ]);
  });
});
