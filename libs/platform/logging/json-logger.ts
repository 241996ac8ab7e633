import { LoggerService } from '@nestjs/common';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

/**
 * Structured logs: one JSON object per line on stdout ({time, level, context, msg, ...fields}),
 * so a log shipper can index them. Also serves as Nest's logger.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly minLevel: Level = 'info',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {}

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

  /** A log line with structured fields: logger.event('info', 'timer fired', {caseId}). */
  event(level: Level, msg: string, fields: Record<string, unknown> = {}, context?: string): void {
    if (LEVELS[level] < LEVELS[this.minLevel]) return;
    this.write(JSON.stringify({ time: new Date().toISOString(), level, context, msg, ...fields }));
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
    }
    if (level === 'error' && typeof rest[0] === 'string') fields.stack = rest[0];
    this.event(level, String(message), fields, context);
  }
}
