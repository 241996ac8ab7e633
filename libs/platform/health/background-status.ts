/**
 * The state of the background thread of a role `all` process (projections, SLA timers, alert
 * delivery), as GET /health reports it. Set by the HTTP thread, which supervises that thread
 * (apps/casetrail/bootstrap.ts); null in processes without one.
 */
export interface BackgroundThreadState {
  readonly status: 'running' | 'restarting';
  /** How many times it was restarted after it stopped on its own. */
  readonly restarts: number;
  /** Since when it is in this status (ISO). */
  readonly since: string;
  /** Why it stopped, while it is restarting. */
  readonly lastError?: string;
}

let current: BackgroundThreadState | null = null;

export const backgroundThreadStatus = {
  get: (): BackgroundThreadState | null => current,
  set: (state: BackgroundThreadState | null): void => {
    current = state;
  },
};
