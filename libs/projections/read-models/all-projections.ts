import { Projection } from '../projection';
import { alertsProjection } from './alerts.projection';
import { casesProjection } from './cases.projection';
import { engineersProjection } from './engineers.projection';
import { callQueueProjection } from './call-queue.projection';
import { slaOutcomesProjection } from '../../reports/sla-outcomes/sla-outcomes.projection';

/** Every read model the service maintains (the rebuild command uses the same list). */
export const ALL_PROJECTIONS: Projection[] = [
  casesProjection,
  engineersProjection,
  alertsProjection,
  slaOutcomesProjection,
  callQueueProjection,
];
