import { randomFillSync } from 'node:crypto';

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then a 12-bit counter, then 62
 * random bits. Ids made one after another sort in the order they were made, so an index on them
 * (the event store's unique index on event ids) grows at its right edge like a sequence, instead
 * of taking inserts on random pages of a tree that outgrows memory: with random (version 4) ids
 * that index was about a sixth of PostgreSQL's work per appended event at 100k events, and more
 * as the table grew (BENCHMARKS.md).
 *
 * Within one millisecond the counter (started at a random value below 2,048) increments, so ids
 * of this process stay strictly increasing; a counter overflow or a clock that steps back borrows
 * the next millisecond rather than going backwards.
 */
export function uuidv7(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = random(2) & 0x7ff;
  } else if (++counter > 0xfff) {
    lastMs++;
    counter = 0;
  }
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  fillRandom(bytes, 8);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let lastMs = -1;
let counter = 0;

// Random bytes are drawn in blocks (one system call per 512 ids, as randomUUID does internally).
const POOL = Buffer.alloc(4096);
let offset = POOL.length;

function fillRandom(target: Buffer, from: number): void {
  const count = target.length - from;
  if (offset + count > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  POOL.copy(target, from, offset, offset + count);
  offset += count;
}

function random(byteCount: number): number {
  const buffer = Buffer.allocUnsafe(byteCount);
  fillRandom(buffer, 0);
  return buffer.readUIntBE(0, byteCount);
}
