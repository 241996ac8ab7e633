import type { Alert } from './types';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'forbidden';

/**
 * GET /v1/alerts/stream read with fetch (EventSource cannot send the Authorization header).
 * Reconnects with Last-Event-ID after a lost connection, so no alert is missed (the service
 * replays every alert after that id); 429 (too many streams) waits its Retry-After.
 */
export function openAlertStream(
  key: string,
  onAlert: (alert: Alert) => void,
  onStatus: (status: StreamStatus) => void,
): () => void {
  let stopped = false;
  let lastEventId: string | null = null;
  let controller: AbortController | null = null;

  const run = async () => {
    let delayMs = 1000;
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch('/v1/alerts/stream', {
          headers: {
            authorization: `Bearer ${key}`,
            accept: 'text/event-stream',
            ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
          },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (response.status === 401 || response.status === 403) return onStatus('forbidden');
        if (!response.ok || !response.body) {
          const retryAfter = Number(response.headers.get('retry-after'));
          if (retryAfter > 0) delayMs = retryAfter * 1000;
          throw new Error(`stream answered ${response.status}`);
        }
        onStatus('live');
        delayMs = 1000;
        await readEvents(response.body, (id, data) => {
          if (id) lastEventId = id;
          try {
            onAlert(JSON.parse(data) as Alert);
          } catch {
            /* not an alert: ignore */
          }
        });
      } catch {
        /* lost or refused: reconnect below */
      }
      if (stopped) return;
      onStatus('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 30_000);
    }
  };
  onStatus('connecting');
  void run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

/** Splits a text/event-stream body into events (blank-line separated; comments skipped). */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (id: string | null, data: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let split: number;
    while ((split = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, split);
      buffer = buffer.slice(split + 2);
      let id: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('id:')) id = line.slice(3).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(id, data.join('\n'));
    }
  }
}
