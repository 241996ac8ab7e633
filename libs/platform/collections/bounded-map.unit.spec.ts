import { BoundedMap } from './bounded-map';

describe('BoundedMap', () => {
  it('keeps at most its limit, forgetting the entry set longest ago; setting a key again makes it the newest', () => {
    const map = new BoundedMap<string, number>(3);
    map.set('a', 1).set('b', 2).set('c', 3);
    map.set('a', 10); // a is now the newest: b goes first
    map.set('d', 4);
    expect(map.size).toBe(3);
    expect([map.get('a'), map.get('b'), map.get('c'), map.get('d')]).toEqual([10, undefined, 3, 4]);
    map.set('e', 5);
    expect(map.get('c')).toBeUndefined();
    expect(map.delete('a')).toBe(true);
    expect(map.size).toBe(2);
    map.clear();
    expect(map.size).toBe(0);
  });
});
