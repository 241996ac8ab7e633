import { uuidv7 } from './uuid-v7';

describe('uuidv7', () => {
  it('is a version 7, RFC variant UUID whose first 48 bits are the current Unix time in ms', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after + 1);
  });

  it('ids made one after another are strictly increasing, also many within one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7());
    for (let i = 1; i < ids.length; i++) {
      if (!(ids[i] > ids[i - 1])) throw new Error(`${ids[i]} does not sort after ${ids[i - 1]}`);
    }
    expect(new Set(ids).size).toBe(ids.length);
    // The random part differs from id to id.
    expect(new Set(ids.map((id) => id.slice(19))).size).toBe(ids.length);
  });

  it('keeps increasing when the clock steps back', () => {
    const first = uuidv7();
    const now = Date.now;
    Date.now = () => now() - 60_000;
    try {
      expect(uuidv7() > first).toBe(true);
    } finally {
      Date.now = now;
    }
  });
});
