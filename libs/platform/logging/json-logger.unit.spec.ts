import { JsonLogger } from './json-logger';

describe('JsonLogger (pino)', () => {
  const collect = (level: 'debug' | 'info' | 'warn' | 'error' = 'info') => {
    const lines: string[] = [];
    return { logger: new JsonLogger(level, (line) => lines.push(line)), lines };
  };

  it('writes one JSON line per event: level name, ISO time, context, msg and the fields', () => {
    const { logger, lines } = collect();
    logger.event('warn', 'SLA breached', { caseId: 'c-1', severity: 'A' }, 'Sla');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ level: 'warn', context: 'Sla', msg: 'SLA breached', caseId: 'c-1', severity: 'A' });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Level then context, side by side: what log searches (and test/process/dependency-outages) look for.
    expect(lines[0]).toMatch(/^\{"level":"warn","context":"Sla","time":"/);
  });

  it('keeps the lines under its level, and serves Nest (message, context) and errors with their stack', () => {
    const { logger, lines } = collect('info');
    logger.event('debug', 'hidden');
    logger.log('Nest says', 'RoutesResolver');
    logger.error(new Error('boom'));
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Nest says', context: 'RoutesResolver' }),
      expect.objectContaining({
        level: 'error',
        msg: 'boom',
        error: 'boom',
        stack: expect.stringContaining('Error: boom'),
      }),
    ]);
  });

  it('redacts a contact (name, e-mail, phone) wherever it is nested', () => {
    const { logger, lines } = collect();
    const contact = { name: 'Jo Contoso', email: 'jo@contoso.example', phone: '+33 1 23 45 67 89' };
    logger.event('info', 'x', {
      contact,
      case: { contact },
      body: { data: { contact, email: 'a@b.example' } },
      phone: '+1 555',
    });
    expect(lines).toHaveLength(1);
    for (const secret of ['Jo Contoso', 'jo@contoso.example', '+33 1 23', 'a@b.example', '+1 555'])
      expect(lines[0]).not.toContain(secret);
    expect(JSON.parse(lines[0])).toMatchObject({
      contact: '[redacted]',
      case: { contact: '[redacted]' },
      body: { data: { contact: '[redacted]' } },
    });
  });
});
