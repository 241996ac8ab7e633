export type Role = 'support' | 'manager' | 'auditor' | 'ops' | 'partner' | 'admin';
export const ROLES: readonly Role[] = ['support', 'manager', 'auditor', 'ops', 'partner', 'admin'];

/** Who is calling: the API key's name, its role, and for partners their tenant. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
  readonly partnerId?: string;
}

/** The principal acting for timers and other automatic work. */
export const SYSTEM_PRINCIPAL: Principal = { name: 'system', role: 'admin' };
