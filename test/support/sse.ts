/** One server-sent event as the tests read it. */
export interface SseEvent {
  id: string;
  event: string;
  data: any;
}

/**
 * Takes the complete events (blocks ended by a blank line) off the front of `buffer` and returns
 * them with what is left (an event still arriving). Comment lines (the keep-alive) carry no data
 * and are skipped.
 */
export function takeSseEvents(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  let split: number;
  while ((split = buffer.indexOf('\n\n')) >= 0) {
    const block = buffer.slice(0, split);
    buffer = buffer.slice(split + 2);
    const field = (name: string) =>
      block
        .split('\n')
        .find((l) => l.startsWith(`${name}:`))
        ?.slice(name.length + 1)
        .trim();
    if (field('data')) events.push({ id: field('id')!, event: field('event')!, data: JSON.parse(field('data')!) });
  }
  return { events, rest: buffer };
}
