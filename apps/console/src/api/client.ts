/**
 * The console's only way to the service: same-origin fetch with the API key as a bearer token.
 * Refusals arrive as problem+json (docs/api.md#errors) and become ApiError with their detail,
 * which the views show as they are.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export class ApiClient {
  constructor(readonly key: string) {}

  async get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('POST', path, body);
  }

  /** GET that answers null on 403/404 (a route this key may not use, or one not there yet). */
  async tryGet<T>(path: string): Promise<T | null> {
    try {
      return await this.get<T>(path);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return null;
      throw error;
    }
  }

  headers(): Record<string, string> {
    return { authorization: `Bearer ${this.key}`, accept: 'application/json' };
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: { ...this.headers(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'the service cannot be reached');
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!response.ok) {
      const detail = (parsed as { detail?: string } | undefined)?.detail ?? `${response.status} ${response.statusText}`;
      throw new ApiError(response.status, detail);
    }
    return parsed as T;
  }
}

/** `?a=1&b=2` from the defined entries. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
