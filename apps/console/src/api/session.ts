import { ApiClient, ApiError } from './client';

const KEY = 'casetrail.console.apiKey';
const ME = 'casetrail.console.engineerId';

/**
 * What the signed-in key may see, found by asking (the service has no "who am I" route): the
 * console shows a view only when its reads answer, and the service enforces every rule anyway.
 */
export interface Capabilities {
  alerts: boolean;
  engineers: boolean;
  /** May set engineers' availability (support, manager, admin). */
  availability: boolean;
}

export interface Session {
  client: ApiClient;
  capabilities: Capabilities;
}

/** The key lives in sessionStorage only: gone when the tab closes, never in a cookie or localStorage. */
export function storedKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ME);
}

export function myEngineerId(): string | null {
  return sessionStorage.getItem(ME);
}

export function setMyEngineerId(engineerId: string | null): void {
  if (engineerId) sessionStorage.setItem(ME, engineerId);
  else sessionStorage.removeItem(ME);
}

/** Checks the key (401: unknown) and what it may read; keeps it for this tab on success. */
export async function signIn(key: string): Promise<Session> {
  const client = new ApiClient(key.trim());
  try {
    await client.get('/v1/cases?limit=1');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401)
      throw new ApiError(401, 'This API key is not known to the service.');
    throw error;
  }
  const [alerts, engineers, availability] = await Promise.all([
    client.tryGet('/v1/alerts?limit=1').then((r) => r !== null),
    client.tryGet('/v1/engineers').then((r) => r !== null),
    // The roles guard answers before validation: 403 means the role may not; an empty body is
    // refused (400) for a role that may, and writes nothing either way.
    client.post('/v1/engineers/console-probe/availability', {}).then(
      () => true,
      (error: unknown) => !(error instanceof ApiError && (error.status === 403 || error.status === 401)),
    ),
  ]);
  sessionStorage.setItem(KEY, key.trim());
  return { client, capabilities: { alerts, engineers, availability } };
}
