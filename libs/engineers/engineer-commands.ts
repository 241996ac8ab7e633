import { CommandOutcome } from '../platform/commanding/handle-command';
import { EngineerEvent } from '../domain/engineer/engineer.events';
import { EngineerState } from '../domain/engineer/engineer.state';

export type EngineerOutcome = CommandOutcome<EngineerState, EngineerEvent>;

/** POST /v1/engineers: without engineerId the service chooses one. */
export interface EngineerRegistration {
  engineerId?: string;
  name: string;
  email: string;
  managerId?: string;
  backupEngineerId?: string;
  timeZone: string;
}

/** Stream names are libs/events/streams.ts's; re-exported for the engineer features that build them. */
export { engineerStreamId } from '../events/streams';
