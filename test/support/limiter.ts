/**
 * At most `n` of the pieces of work handed to the returned function run at once; the others wait
 * their turn, first come first served. For test files whose scenarios run concurrently (each
 * mostly waits on clocks and processes) without starting every service process at the same moment
 * on a busy machine.
 */
export function limiter(n: number): <T>(work: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (work) => {
    while (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
