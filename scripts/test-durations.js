#!/usr/bin/env node
/**
 * Writes test/durations.json (what test/support/slowest-first-sequencer.js orders by on a machine
 * with no jest cache) from the `--json` reports of jest runs:
 *   NODE_OPTIONS=--experimental-vm-modules npx jest --maxWorkers=1 --json --outputFile=/tmp/run.json
 *   node scripts/test-durations.js /tmp/run.json [more.json ...]
 * Files the reports do not name keep their old figure; files that no longer exist are dropped.
 */
'use strict';
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const FILE = join(ROOT, 'test', 'durations.json');

const reports = process.argv.slice(2);
if (!reports.length) {
  process.stderr.write('usage: node scripts/test-durations.js <jest --json report> [...]\n');
  process.exit(2);
}
const current = existsSync(FILE) ? JSON.parse(readFileSync(FILE, 'utf8')) : { seconds: {} };
const seconds = { ...current.seconds };
for (const report of reports) {
  for (const result of JSON.parse(readFileSync(report, 'utf8')).testResults) {
    const path = relative(ROOT, result.name).split('\\').join('/');
    seconds[path] = Math.round((result.endTime - result.startTime) / 100) / 10;
  }
}
for (const path of Object.keys(seconds)) if (!existsSync(join(ROOT, path))) delete seconds[path];
const sorted = Object.fromEntries(Object.entries(seconds).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
writeFileSync(FILE, JSON.stringify({ note: current.note, seconds: sorted }, null, 2) + '\n');
process.stdout.write(`${FILE}: ${Object.keys(sorted).length} files\n`);
