export type Role = 'support' | 'manager' | 'auditor' | 'ops' | 'partner' | 'admin' | 'customer';
export const ROLES: readonly Role[] = ['support', 'manager', 'auditor', 'ops', 'partner', 'admin', 'customer'];

/**
 * Who is calling: the API key's name, its role, and for partners their tenant. A customer is a
 * partner's customer: bound to its partner and to its own customerId (it sees only those cases).
 */
export interface Principal {
  readonly name: string;
  readonly role: Role;
  readonly partnerId?: string;
  readonly customerId?: string;
}

/** The principal acting for timers and other automatic work. */
export const SYSTEM_PRINCIPAL: Principal = { name: 'system', role: 'admin' };
