'use strict';
/**
 * jest's test order: the slowest files first, so that the workers finish together instead of one
 * worker starting a two-minute process test while the others have nothing left to run.
 *
 * jest does this by itself from the durations it cached on this machine (failed files first, then
 * the longest); on a clean clone or a CI machine it has none and falls back to file size, which
 * says little here (a short process test waits minutes on clocks and restarts, a long unit test
 * takes a second). Files it has no duration for take theirs from test/durations.json (seconds,
 * measured with `--maxWorkers=1`; regenerate it as docs/testing.md says), and files in neither
 * get an estimate by tier, so a new process test is not left for last.
 */
const Sequencer = require('@jest/test-sequencer').default;
const { readFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const KNOWN = JSON.parse(readFileSync(join(ROOT, 'test', 'durations.json'), 'utf8')).seconds;

/** Seconds a file not in test/durations.json is expected to take, by where it is and its tier. */
function estimate(path) {
  if (/[/\\]test[/\\](process|cli)[/\\]/.test(path)) return 60;
  if (path.endsWith('.e2e.spec.ts')) return 20;
  if (path.endsWith('.int.spec.ts')) return 5;
  return 1;
}

class SlowestFirstSequencer extends Sequencer {
  sort(tests) {
    const seconds = (test) => {
      const cached = this.time(test);
      if (cached != null) return cached / 1000;
      const known = KNOWN[relative(ROOT, test.path).split('\\').join('/')];
      return known ?? estimate(test.path);
    };
    for (const test of tests) test.duration = seconds(test) * 1000; // jest reads it too (to run in band or not)
    const failed = new Map(tests.map((test) => [test, this.hasFailed(test)]));
    return [...tests].sort((a, b) =>
      failed.get(a) !== failed.get(b) ? (failed.get(a) ? -1 : 1) : b.duration - a.duration,
    );
  }
}

module.exports = SlowestFirstSequencer;
