/** DI tokens of the outside resources (interfaces have no runtime class to inject by). */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODEL_SQL = Symbol('READ_MODEL_SQL');

/**
 * The checkpoint names (ct_projections) of the deployment's consumers, for GET /health/ready: the
 * read models (every role reads them) and the other consumers the background role runs. Given by
 * the app (apps/casetrail/app.module.ts), so that the platform knows no feature.
 */
export const CHECKPOINTED_CONSUMERS = Symbol('CHECKPOINTED_CONSUMERS');
export interface CheckpointedConsumers {
  readonly readModels: readonly string[];
  readonly reactors: readonly string[];
}
