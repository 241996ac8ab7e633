import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawnService, ServiceProcess } from '../support/service-process';
import { TEST_KEYS, writeTestApiKeys, deleteRedisKeys } from '../support/test-service';
import { caseBody } from '../support/case-fixtures';
import { waitUntil } from '../support/case-requests';
import { SmtpAnswer, TestSmtpServer } from '../support/test-smtp-server';

async function submit(service: ServiceProcess): Promise<{ caseId: string; reference: string }> {
  const response = await fetch(`${service.url}/v1/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_KEYS.support}`, 'content-type': 'application/json' },
    body: JSON.stringify(caseBody()),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { caseId: string; reference: string };
}

describe('partner e-mail across a kill -9 of the built service (two threads, embedded store)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-mail-crash-'));
  const prefix = `ct-test-mail-${randomUUID().slice(0, 8)}`;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
  });
  afterAll(async () => {
    await smtp?.close();
    await deleteRedisKeys('redis://127.0.0.1:6379', prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a mail the server accepted as the service died (before its checkpoint) comes again once, with the same Message-ID', async () => {
    const env = {
      DATA_DIR: dataDir,
      API_KEYS_FILE: writeTestApiKeys(dataDir),
      REDIS_PREFIX: prefix,
      SMTP_URL: smtp.url,
    };
    // The server takes the whole message and holds its answer: the service dies after the mail
    // reached the server and before its checkpoint could pass it.
    let answer: (value: SmtpAnswer) => void = () => undefined;
    smtp.answerData = () => new Promise<SmtpAnswer>((resolve) => (answer = resolve));
    const first = await spawnService(env);
    let second: ServiceProcess | null = null;
    try {
      const { caseId, reference } = await submit(first);
      await waitUntil(
        async () => smtp.receivedFor(caseId),
        (mails) => mails.length === 1,
        60_000,
      );
      await first.kill9();
      // The server accepts it (its 250 goes to a connection that is gone): the partner has the mail.
      answer(null);
      smtp.answerData = () => null;

      second = await spawnService(env);
      // The restarted service sends it again: the same message, which the partner's reader shows once.
      const [kept, again] = await waitUntil(
        async () => smtp.acceptedFor(caseId),
        (mails) => mails.length === 2,
        60_000,
      );
      expect(again.subject).toContain(reference);
      expect(again.messageId).toBe(kept.messageId);
      expect(kept.messageId).toMatch(/^<[0-9a-f-]{36}@casetrail>$/);
      // Later mails go after it (the consumer keeps the store's order): once one arrived, no
      // further copy of the first can be on its way.
      const { caseId: later } = await submit(second);
      await waitUntil(
        async () => smtp.acceptedFor(later),
        (mails) => mails.length === 1,
        60_000,
      );
      expect(smtp.receivedFor(caseId).map((m) => m.messageId)).toEqual([kept.messageId, kept.messageId]);
    } finally {
      await first.kill9().catch(() => undefined);
      await second?.stop();
    }
  }, 240_000);
});
