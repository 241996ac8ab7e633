import { createTransport, Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { OutgoingMail } from './outgoing-mail';

/**
 * The SMTP server refused this message for good (a 5xx answer to its recipient or its content):
 * sending it again would be refused again. Anything else (no connection, a 4xx, a timeout, a
 * refused login: the server's or the configuration's problem, not the message's) is worth a retry.
 */
export class MailRejectedError extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
    this.name = 'MailRejectedError';
  }
}

/** The outside resource: the SMTP server of SMTP_URL, through nodemailer. */
export class MailSender {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(smtpUrl: string, from: string) {
    this.transport = createTransport(
      {
        url: smtpUrl,
        // nodemailer waits minutes by default; a stuck server must not hold the reactor (and the
        // service's shutdown, which waits for it) that long: the attempt fails and is retried.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      },
      { from },
    );
  }

  /** Resolves once the server accepted the message; throws MailRejectedError, or another error to retry. */
  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.transport.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        ...(mail.threadId ? { inReplyTo: mail.threadId, references: [mail.threadId] } : {}),
        headers: {
          'X-Casetrail-Case-Id': mail.caseId,
          'X-Casetrail-Reference': mail.reference,
          'X-Casetrail-Event-Id': mail.eventId,
        },
      });
    } catch (error) {
      throw permanentRefusal(error) ?? error;
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** A 5xx answer to RCPT TO (EENVELOPE) or to the message (EMESSAGE); see MailRejectedError. */
function permanentRefusal(error: unknown): MailRejectedError | null {
  if (!(error instanceof Error)) return null;
  const { code, responseCode } = error as Error & { code?: string; responseCode?: number };
  const refusedForGood =
    (code === 'EENVELOPE' || code === 'EMESSAGE') && typeof responseCode === 'number' && responseCode >= 500;
  return refusedForGood ? new MailRejectedError(error.message, responseCode) : null;
}
