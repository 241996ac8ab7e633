import { Projection } from '../projection';
import { engineersProjection } from './engineers.projection';

/** Every read model the service maintains (the rebuild command uses the same list). */
export const ALL_PROJECTIONS: Projection[] = [engineersProjection];
