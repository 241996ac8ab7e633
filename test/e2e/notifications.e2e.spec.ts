import { rmSync } from 'node:fs';
import { startTestService, TestService } from '../support/test-service';
import type { EventStore } from '../../libs/event-store/event-store';
import { EVENT_STORE } from '../../libs/platform/tokens';
import { command, submitCase, unique } from '../support/case-fixtures';
import { waitUntil } from '../support/case-requests';
import { sample } from '../support/metrics-text';
import { ReceivedMail, TestSmtpServer } from '../support/test-smtp-server';

jest.setTimeout(120_000);

const DEADLINE_MS = 30_000;

/** A contact of its own for each case: the mails are told apart by their recipient too. */
function contact(name = `jo-${unique()}`) {
  return { name: 'Jo Contoso', email: `${name}@contoso.example`, timeZone: 'Europe/Paris', country: 'FR' };
}

/** The id of the case's event of `type` as the store holds it: its mail's Message-ID is `<id@casetrail>`. */
async function storedEventId(service: TestService, caseId: string, type: string): Promise<string> {
  const store = service.service.app.get<EventStore>(EVENT_STORE);
  const event = (await store.readStream(`case-${caseId}`)).find((e) => e.type === type);
  if (!event) throw new Error(`no ${type} stored in case ${caseId}`);
  return event.id;
}

/** Waits until the server accepted `count` mails of the case. */
const acceptedMails = (smtp: TestSmtpServer, caseId: string, count: number): Promise<ReceivedMail[]> =>
  waitUntil(
    async () => smtp.acceptedFor(caseId),
    (mails) => mails.length >= count,
    DEADLINE_MS,
  );

/**
 * The reactor works in the store's order: once a later case's confirmation arrived, every mail
 * of the earlier events was sent (or given up), so counting them now cannot miss a late duplicate.
 */
async function barrier(service: TestService, smtp: TestSmtpServer): Promise<void> {
  const { caseId } = await submitCase(service, { contact: contact() });
  await acceptedMails(smtp, caseId, 1);
}

async function metric(service: TestService, labels: Record<string, string>): Promise<number> {
  const response = await service.request('GET', '/metrics', { key: 'ops' });
  return sample(response.body as string, 'casetrail_notifications_total', labels);
}

describe('partner e-mail over real SMTP', () => {
  let smtp: TestSmtpServer;
  let service: TestService;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    service = await startTestService({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Support <support@casetrail.test>' } });
  });

  afterAll(async () => {
    await service?.close();
    await smtp?.close();
  });

  afterEach(() => {
    smtp.answerData = () => null;
    smtp.answerRecipient = () => null;
  });

  it('sends exactly one confirmation per submission, with the reference, to the contact, Message-ID from the event', async () => {
    const to = contact();
    const { caseId, body } = await submitCase(service, { contact: to });
    const [mail] = await acceptedMails(smtp, caseId, 1);
    expect(body.reference).toMatch(/^SR-/);
    expect(mail.subject).toContain(body.reference);
    expect(mail.text).toContain(`Its reference is ${body.reference}`);
    expect(mail.envelopeTo).toEqual([to.email]);
    expect(mail.to).toContain(to.email);
    expect(mail.parsed.from?.text).toContain('support@casetrail.test');
    expect(mail.messageId).toBe(`<${await storedEventId(service, caseId, 'CaseSubmitted')}@casetrail>`);
    await barrier(service, smtp);
    expect(smtp.receivedFor(caseId)).toHaveLength(1);
  });

  it('mails each update, a lowered severity and the resolution, in the thread of the confirmation', async () => {
    const { caseId } = await submitCase(service, { contact: contact() });
    const [confirmation] = await acceptedMails(smtp, caseId, 1);
    await command(service, caseId, 'updates', { channel: 'phone', summary: 'collecting traces from the tenant' });
    await command(service, caseId, 'updates', { channel: 'email', summary: 'a transport rule blocks the mail' });
    // Untriaged cases run as B: triaged C lowers it.
    await command(service, caseId, 'severity', { severity: 'C', reason: 'a workaround is in place' });
    await command(service, caseId, 'resolution', { summary: 'transport rule removed' });
    const mails = await acceptedMails(smtp, caseId, 5);
    expect(mails.map((m) => m.subject.replace(/^\[SR-[^\]]+\] /, ''))).toEqual([
      expect.stringMatching(/^We received your service request/),
      'An update on your case',
      'An update on your case',
      'Severity lowered from B to C',
      'Your case is resolved',
    ]);
    expect(mails[1].text).toContain('collecting traces from the tenant');
    expect(mails[2].text).toContain('a transport rule blocks the mail');
    expect(mails[3].text).toContain('Reason: a workaround is in place');
    expect(mails[4].text).toContain('transport rule removed');
    for (const mail of mails.slice(1)) expect(mail.inReplyTo).toBe(confirmation.messageId);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(5);
  });

  it('a server answering 4xx delays the mail and loses nothing; the read models go on meanwhile', async () => {
    const failedBefore = await metric(service, { kind: 'confirmation', outcome: 'failed' });
    let refusals = 0;
    smtp.answerData = () => (refusals++ < 3 ? { code: 451, message: 'try again later' } : null);
    const { caseId, body } = await submitCase(service, { contact: contact() });
    // Not held up by the mail: the case list (a projection) has the case while the server refuses.
    const listed = await service.request('GET', `/v1/cases?consistentWith=${body.position}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: { caseId: string }) => c.caseId)).toContain(caseId);
    await command(service, caseId, 'updates', { channel: 'email', summary: 'looking into it' });
    const mails = await acceptedMails(smtp, caseId, 2);
    expect(refusals).toBeGreaterThanOrEqual(3);
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringContaining('We received your service request'),
      expect.stringContaining('An update on your case'),
    ]);
    // Every attempt of the confirmation carried the same Message-ID: a receiver sees one mail.
    const attempts = smtp.receivedFor(caseId).filter((m) => m.messageId === mails[0].messageId);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.filter((m) => m.accepted)).toHaveLength(1);
    await barrier(service, smtp);
    expect(smtp.acceptedFor(caseId)).toHaveLength(2);
    expect(await metric(service, { kind: 'confirmation', outcome: 'failed' })).toBeGreaterThan(failedBefore);
  });

  it('a recipient refused for good (5xx) is given up on, counted, and the next mails still go', async () => {
    const rejectedBefore = await metric(service, { kind: 'confirmation', outcome: 'rejected' });
    const refused = contact(`gone-${unique()}`);
    smtp.answerRecipient = (address) => (address === refused.email ? { code: 550, message: 'no such mailbox' } : null);
    const { caseId } = await submitCase(service, { contact: refused });
    await barrier(service, smtp);
    expect(smtp.receivedFor(caseId)).toEqual([]);
    expect(await metric(service, { kind: 'confirmation', outcome: 'rejected' })).toBe(rejectedBefore + 1);
  });
});

describe('partner e-mail across a restart of the service', () => {
  it('sends no duplicate with a new Message-ID: a mail the server kept but did not confirm comes again with the same one', async () => {
    const smtp = await TestSmtpServer.start();
    // The server keeps every message but answers 451: as if the service had stopped between the
    // server's acceptance and its checkpoint, it does not know the mail arrived.
    smtp.answerData = () => ({ code: 451, message: 'try again later' });
    const first = await startTestService({ env: { SMTP_URL: smtp.url } });
    let firstRunning = true;
    let later: TestService | null = null;
    const restart = () =>
      startTestService({ env: { SMTP_URL: smtp.url, DATA_DIR: first.dataDir, REDIS_PREFIX: first.redisPrefix } });
    try {
      const { caseId, body } = await submitCase(first, { contact: contact() });
      const sent = await submitCase(first, { contact: contact() });
      await waitUntil(
        async () => smtp.receivedFor(caseId),
        (mails) => mails.length >= 1,
        DEADLINE_MS,
      );
      const messageId = `<${await storedEventId(first, caseId, 'CaseSubmitted')}@casetrail>`;
      await first.service.close();
      firstRunning = false;

      smtp.answerData = () => null;
      const second = (later = await restart());
      const [mail] = await acceptedMails(smtp, caseId, 1);
      expect(mail.subject).toContain(body.reference);
      await acceptedMails(smtp, sent.caseId, 1);
      await barrier(second, smtp);
      // Each case: one mail accepted, and every copy the server was ever handed has its one Message-ID.
      expect(smtp.acceptedFor(caseId)).toHaveLength(1);
      expect(new Set(smtp.receivedFor(caseId).map((m) => m.messageId))).toEqual(new Set([messageId]));
      expect(smtp.acceptedFor(sent.caseId)).toHaveLength(1);

      // Restart once more, the server accepting: nothing already sent goes again.
      await second.close();
      later = null;
      const before = smtp.received.length;
      const third = (later = await restart());
      const { caseId: newest } = await submitCase(third, { contact: contact() });
      await acceptedMails(smtp, newest, 1);
      expect(smtp.received.slice(before).map((m) => m.caseId)).toEqual([newest]);
    } finally {
      // The last service's close removes the Redis keys of the prefix they all shared.
      await later?.close();
      if (firstRunning) await first.close();
      rmSync(first.dataDir, { recursive: true, force: true });
      await smtp.close();
    }
  });
});
