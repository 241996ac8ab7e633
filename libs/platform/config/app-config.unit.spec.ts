import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('defaults to the embedded store, port 3000, local Redis, both roles', () => {
    const config = loadConfig({}, []);
    expect(config).toMatchObject({
      port: 3000,
      eventStore: 'embedded',
      role: 'all',
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'casetrail',
      alertWebhooks: [],
    });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('reads --role from the command line', () => {
    const config = loadConfig({ EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://localhost/db' }, [
      'node',
      'main',
      '--role',
      'worker',
    ]);
    expect(config.role).toBe('worker');
  });

  it('lists every problem, each naming its variable', () => {
    const error = captured(() =>
      loadConfig(
        {
          PORT: 'eighty',
          EVENT_STORE: 'mongo',
          REDIS_URL: 'http://x',
          ALERT_WEBHOOKS: 'not a url,https://ok.example/hook',
        },
        [],
      ),
    );
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT must be a port number/);
    expect(problems).toMatch(/EVENT_STORE must be one of embedded, postgres, eventstoredb/);
    expect(problems).toMatch(/REDIS_URL must be a redis:\/\//);
    expect(problems).toMatch(/ALERT_WEBHOOKS holds "not a url"/);
    expect(problems).toMatch(/ALERT_WEBHOOK_SECRET is required/);
  });

  it('requires DATABASE_URL for postgres and the connection string for eventstoredb', () => {
    expect(captured(() => loadConfig({ EVENT_STORE: 'postgres' }, []))?.message).toMatch(/DATABASE_URL is required/);
    expect(captured(() => loadConfig({ EVENT_STORE: 'eventstoredb' }, []))?.message).toMatch(
      /EVENTSTORE_CONNECTION_STRING is required/,
    );
  });

  it('rests consumers 25 ms after a batch on the embedded store and not elsewhere, unless CONSUMER_BATCH_REST_MS says', () => {
    expect(loadConfig({}, []).consumerBatchRestMs).toBe(25);
    const pg = { EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://localhost/x' };
    expect(loadConfig(pg, []).consumerBatchRestMs).toBe(0);
    expect(loadConfig({ ...pg, CONSUMER_BATCH_REST_MS: '40' }, []).consumerBatchRestMs).toBe(40);
    expect(loadConfig({ CONSUMER_BATCH_REST_MS: '0' }, []).consumerBatchRestMs).toBe(0);
    for (const bad of ['-1', '2.5', 'soon', '1001'])
      expect(captured(() => loadConfig({ CONSUMER_BATCH_REST_MS: bad }, []))?.message).toMatch(
        /CONSUMER_BATCH_REST_MS/,
      );
  });

  it('reads BILLING_FEEDBACK_ADDRESS as an e-mail address (unset: none)', () => {
    expect(loadConfig({}, []).billingFeedbackAddress).toBeUndefined();
    expect(loadConfig({ BILLING_FEEDBACK_ADDRESS: ' feedback@vendor.example ' }, []).billingFeedbackAddress).toBe(
      'feedback@vendor.example',
    );
    expect(captured(() => loadConfig({ BILLING_FEEDBACK_ADDRESS: 'feedback at vendor' }, []))?.message).toMatch(
      /BILLING_FEEDBACK_ADDRESS must be an e-mail address, got "feedback at vendor"/,
    );
  });

  it('sends no e-mail without SMTP_URL, and checks SMTP_URL and MAIL_FROM when given', () => {
    expect(loadConfig({}, [])).toMatchObject({ smtpUrl: undefined, mailFrom: 'Casetrail <casetrail@localhost>' });
    expect(
      loadConfig({ SMTP_URL: 'smtp://mail.example:587', MAIL_FROM: 'Support <support@example.com>' }, []),
    ).toMatchObject({ smtpUrl: 'smtp://mail.example:587', mailFrom: 'Support <support@example.com>' });
    const problems = (
      captured(() => loadConfig({ SMTP_URL: 'http://mail.example', MAIL_FROM: 'nobody' }, [])) as ConfigError
    ).problems;
    expect(problems).toEqual([
      'SMTP_URL must be an smtp:// or smtps:// URL with a host',
      'MAIL_FROM must be an e-mail address, optionally with a name: Support <support@example.com>',
    ]);
  });

  it('refuses split roles on the embedded store, which lives in one process', () => {
    expect(captured(() => loadConfig({}, ['--role', 'api']))?.message).toMatch(
      /embedded store lives inside one process/,
    );
  });
});

function captured(run: () => unknown): Error | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}
