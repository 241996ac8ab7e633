import { DomainEvent } from '../shared/decider';

/**
 * Who is on duty to receive the escalations that have nobody else: an overdue case without an
 * engineer, or whose engineer has no manager. null: nobody (those escalations say `unowned`).
 */
export type DutyManagerSet = DomainEvent<
  'DutyManagerSet',
  {
    readonly managerId: string | null;
    readonly previousManagerId: string | null;
    readonly by: string;
    readonly at: string;
  }
>;

export type DutyManagerEvent = DutyManagerSet;

export const DUTY_MANAGER_EVENT_TYPES: ReadonlyArray<DutyManagerEvent['type']> = ['DutyManagerSet'];
