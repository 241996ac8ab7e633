import { Product, RequestType, RoutingTeam, isCoveredProduct } from './case.types';

export interface Routing {
  readonly team: RoutingTeam;
  readonly reason: string;
}

const ROUTES_BY_REQUEST_TYPE: Record<Exclude<RequestType, 'repair'>, Routing> = {
  billing: { team: 'billing', reason: 'billing and subscription management is handled by the billing team' },
  presales: { team: 'pre-sales', reason: 'pre-sales questions are handled by the pre-sales team' },
  advisory: { team: 'advisory', reason: 'advisory and how-to questions are handled by the advisory team' },
  deployment: { team: 'deployment', reason: 'deployment readiness is handled by the deployment team' },
  'password-reset': { team: 'password-reset', reason: 'password resets are handled by the password-reset team' },
};

/**
 * Where a submission goes when it is not a repair of a covered product; null when it is worked
 * here. The request type decides first: a billing question about an uncovered product is still
 * a billing question.
 */
export function routeSubmission(submission: { product: Product; requestType: RequestType }): Routing | null {
  const { product, requestType } = submission;
  if (requestType !== 'repair') return ROUTES_BY_REQUEST_TYPE[requestType];
  if (!isCoveredProduct(product)) {
    return { team: 'product-not-covered', reason: `${product} is not covered by the programme` };
  }
  return null;
}
