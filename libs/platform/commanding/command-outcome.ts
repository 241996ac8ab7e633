/** What handling one command came to. */
export interface CommandOutcome<S, E> {
  /** The aggregate's state after the command. */
  readonly state: S;
  /** The events this command wrote ([] when the decision was to do nothing). */
  readonly events: E[];
  /** The stream's revision after the command (-1: the stream does not exist). */
  readonly revision: number;
  /** The global position of the last event written, or of the stream's last event if none was. */
  readonly position: string | null;
}
