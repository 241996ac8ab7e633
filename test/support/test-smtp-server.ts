import type { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerSession } from 'smtp-server';

/** One message the server was handed (whatever it answered), parsed. */
export interface ReceivedMail {
  /** Whether the server answered 250 (the sender counts it as sent). */
  readonly accepted: boolean;
  readonly messageId: string | undefined;
  readonly inReplyTo: string | undefined;
  readonly envelopeTo: string[];
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** X-Casetrail-Case-Id. */
  readonly caseId: string | undefined;
  readonly parsed: ParsedMail;
}

/** What the server answers: null accepts; otherwise the SMTP code and text (4xx: try again, 5xx: never). */
export type SmtpAnswer = { code: number; message: string } | null;

/**
 * A real SMTP server in the test's process (smtp-server), on a free port, that keeps every
 * message it was handed, parsed with mailparser. `answerData` decides the answer to each
 * message (after it was received: a refused message is still in `received`, as a server that
 * kept it but whose answer never arrived), `answerRecipient` the answer to each RCPT TO.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** May hold its answer (a promise): the message is in `received` meanwhile, not yet accepted. */
  answerData: (mail: ReceivedMail) => SmtpAnswer | Promise<SmtpAnswer> = () => null;
  answerRecipient: (address: string) => SmtpAnswer = () => null;

  private constructor(
    private readonly server: SMTPServer,
    readonly url: string,
  ) {}

  static async start(): Promise<TestSmtpServer> {
    let self: TestSmtpServer | null = null;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const answer = self?.answerRecipient(address.address) ?? null;
        callback(answer ? smtpError(answer) : undefined);
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          .then(async (parsed) => {
            const mail = receivedMail(parsed, session, false);
            if (!self) return callback(null);
            const received = self.received;
            const at = received.push(mail) - 1;
            const answer = await self.answerData(mail);
            received[at] = { ...mail, accepted: answer === null };
            callback(answer ? smtpError(answer) : null);
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.on('error', () => undefined);
    const { port } = server.server.address() as AddressInfo;
    self = new TestSmtpServer(server, `smtp://127.0.0.1:${port}`);
    return self;
  }

  /** The messages of a case (by X-Casetrail-Case-Id) the server accepted. */
  acceptedFor(caseId: string): ReceivedMail[] {
    return this.received.filter((m) => m.accepted && m.caseId === caseId);
  }

  /** Every message of a case the server was handed, accepted or not. */
  receivedFor(caseId: string): ReceivedMail[] {
    return this.received.filter((m) => m.caseId === caseId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function receivedMail(parsed: ParsedMail, session: SMTPServerSession, accepted: boolean): ReceivedMail {
  const header = parsed.headers.get('x-casetrail-case-id');
  const to = parsed.to;
  return {
    accepted,
    messageId: parsed.messageId,
    inReplyTo: parsed.inReplyTo,
    envelopeTo: session.envelope.rcptTo.map((r) => r.address),
    to: Array.isArray(to) ? to.map((t) => t.text).join(', ') : (to?.text ?? ''),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    caseId: typeof header === 'string' ? header : undefined,
    parsed,
  };
}

function smtpError({ code, message }: { code: number; message: string }): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}
