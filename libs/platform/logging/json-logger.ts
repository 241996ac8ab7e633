import { Writable } from 'node:stream';
import { LoggerService } from '@nestjs/common';
import { destination as pinoDestination, Logger, pino } from 'pino';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * Personal data that never reaches a log line, wherever a caller put it: a case's contact (name,
 * e-mail, phone), alone or nested up to three levels deep (fields, `case`, `data`, `alert`...).
 */
const PERSONAL_FIELDS = ['contact', 'contactName', 'contactEmail', 'contactPhone', 'email', 'phone'];
export const REDACTED_PATHS = PERSONAL_FIELDS.flatMap((field) => [
  field,
  `*.${field}`,
  `*.*.${field}`,
  `*.*.*.${field}`,
]);

/**
 * Structured logs through pino: one JSON object per line ({level, time, context, msg, ...fields})
 * on stdout, written synchronously (a fatal line is out before the process exits), with personal
 * data redacted (REDACTED_PATHS). Also serves as Nest's logger. `write` replaces stdout (tests
 * collect the lines).
 */
export class JsonLogger implements LoggerService {
  readonly pino: Logger;

  constructor(minLevel: Level = 'info', write?: (line: string) => void) {
    const destination = write
      ? new Writable({
          write(chunk: Buffer, _encoding, done) {
            for (const line of chunk.toString('utf8').split('\n')) if (line) write(line);
            done();
          },
        })
      : pinoDestination({ dest: 1, sync: true });
    this.pino = pino(
      {
        level: minLevel,
        base: undefined,
        messageKey: 'msg',
        // The time is written by event(), after the context: lines keep the order they had
        // before pino ({"level":"error","context":"Http",...}), which searches in logs rely on.
        timestamp: false,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      },
      destination,
    );
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }

  /** A log line with structured fields: logger.event('info', 'timer fired', {caseId}). */
  event(level: Level, msg: string, fields: Record<string, unknown> = {}, context?: string): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const time = new Date().toISOString();
    this.pino[level](context === undefined ? { time, ...fields } : { context, time, ...fields }, msg);
  }

  private emit(level: Level, message: unknown, rest: unknown[]): void {
    // Nest passes (message, context) or (message, stack, context) for errors.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = {};
    if (message instanceof Error) {
      fields.error = message.message;
      fields.stack = message.stack;
      message = message.message;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      message = (message as { msg?: string }).msg ?? '';
      delete fields.msg;
    }
    if (level === 'error' && typeof rest[0] === 'string') fields.stack = rest[0];
    this.event(level, String(message), fields, context);
  }
}
