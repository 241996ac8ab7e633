import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * The files a command passes through below its controller. They know no HTTP (refusals are
 * domain and store errors, mapped by the problem-details filter) and no command bus.
 * (command-observer.ts is not among them: its log line names the status the caller is answered
 * with, so it asks the one error-to-status mapping.)
 */
const BELOW_THE_CONTROLLER = [
  'libs/cases/case-command.service.ts',
  'libs/cases/case-access.ts',
  'libs/engineers/engineer-command.service.ts',
  'libs/sla-timers/sla-timer.worker.ts',
  'libs/platform/commanding/handle-command.ts',
  'libs/platform/commanding/stream-state-cache.ts',
  'libs/platform/commanding/earlier-run.ts',
  'libs/platform/commanding/command-ids.ts',
  'libs/platform/commanding/command-errors.ts',
  'libs/platform/commanding/command-metadata.ts',
  'libs/domain/case/case.decider.ts',
];

describe('the command path', () => {
  it.each(BELOW_THE_CONTROLLER)('%s imports nothing of HTTP and no command bus', (file) => {
    const imports = [...readFileSync(join(ROOT, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.filter((path) => /platform\/http\/|^fastify|@nestjs\/cqrs|@nestjs\/swagger/.test(path))).toEqual([]);
  });

  it('there is one deterministic-uuid helper: nothing else sets the version-5 bits', () => {
    const hits = execFileSync(
      'grep',
      ['-rlE', '--include=*.ts', '--exclude=*.spec.ts', '0x50;|-5\\$\\{', 'libs', 'apps', 'bench'],
      { cwd: ROOT, encoding: 'utf8' },
    )
      .split('\n')
      .filter(Boolean);
    expect(hits).toEqual(['libs/platform/ids/deterministic-uuid.ts']);
  });
});
