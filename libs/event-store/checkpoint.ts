import { Checkpoint } from './event-store';

/** Checkpoints are "<major>:<minor>" pairs of unsigned integers, ordered lexicographically. */
export function makeCheckpoint(major: bigint | string | number, minor: bigint | string | number): Checkpoint {
  return `${BigInt(major)}:${BigInt(minor)}`;
}

export function parseCheckpoint(checkpoint: Checkpoint): [bigint, bigint] {
  const match = /^(\d+):(\d+)$/.exec(checkpoint);
  if (!match) throw new Error(`malformed checkpoint "${checkpoint}"`);
  return [BigInt(match[1]), BigInt(match[2])];
}

/** Negative when a is before b, 0 when equal, positive when after; null sorts first. */
export function compareCheckpoints(a: Checkpoint | null, b: Checkpoint | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const [a1, a2] = parseCheckpoint(a);
  const [b1, b2] = parseCheckpoint(b);
  if (a1 !== b1) return a1 < b1 ? -1 : 1;
  return a2 === b2 ? 0 : a2 < b2 ? -1 : 1;
}
