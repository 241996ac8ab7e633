import { hashApiKey, newApiKey } from '../../libs/platform/auth/api-keys';
import { ROLES, Role } from '../../libs/platform/auth/principal';
import { UsageError } from './args';

/**
 * `keygen`: a new random key (256 bits), its `sha256:` hash, and the API_KEYS_FILE entry that
 * holds only the hash. Without --name and --role the entry has placeholders, which a service
 * refuses, so that it cannot be deployed by mistake. Standard output: `key <key>`,
 * `keyHash <hash>` and the entry as one JSON line; `note` (for standard error) says what to do.
 */
export function keygenOutput(options: { name?: string; role?: string; partner?: string; customer?: string }): {
  stdout: string;
  note: string;
  key: string;
  keyHash: string;
} {
  const { name, role, partner, customer } = options;
  const problems: string[] = [];
  if ((name === undefined) !== (role === undefined)) problems.push('--name and --role go together');
  if (name !== undefined && !name.trim()) problems.push('--name must not be empty');
  if (role !== undefined && !ROLES.includes(role as Role)) problems.push(`--role must be one of ${ROLES.join(', ')}`);
  // A customer is a partner's customer: its key names both.
  const partnerBound = role === 'partner' || role === 'customer';
  if (partnerBound && !partner?.trim()) problems.push(`--partner is required with --role ${role}`);
  if (partner !== undefined && !partnerBound) problems.push('--partner is only for --role partner or customer');
  if (role === 'customer' && !customer?.trim()) problems.push('--customer is required with --role customer');
  if (customer !== undefined && role !== 'customer') problems.push('--customer is only for --role customer');
  if (problems.length) throw new UsageError(problems.join('; '));
  const key = newApiKey();
  const keyHash = hashApiKey(key);
  const entry = {
    name: name ?? '<name>',
    keyHash,
    role: role ?? '<role>',
    ...(partner !== undefined ? { partnerId: partner } : {}),
    ...(customer !== undefined ? { customerId: customer } : {}),
  };
  return {
    key,
    keyHash,
    stdout: `key ${key}\nkeyHash ${keyHash}\n${JSON.stringify(entry)}\n`,
    note:
      'Give the key to its client now: it is not stored anywhere. Add the JSON line to the API_KEYS_FILE array' +
      (name === undefined ? ' (replace <name> and <role>; names must be unique)' : ' (names must be unique)') +
      ' and restart the API processes.',
  };
}
