import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Principal, ROLES, Role } from './principal';

export interface ApiKeyEntry {
  name: string;
  key: string;
  role: Role;
  partnerId?: string;
}

/** A key file that cannot be used: names the file, the entry's field and the reason. */
export class ApiKeysFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`API keys file ${file} is invalid: ${problems.join('; ')}`);
    this.name = 'ApiKeysFileError';
  }
}

export function parseApiKeys(raw: unknown, file: string): ApiKeyEntry[] {
  const problems: string[] = [];
  if (!Array.isArray(raw)) throw new ApiKeysFileError(file, ['the file must hold a JSON array of keys']);
  const seen = new Set<string>();
  raw.forEach((entry, i) => {
    const at = `[${i}]`;
    if (typeof entry !== 'object' || entry === null) return problems.push(`${at} must be an object`);
    const e = entry as Record<string, unknown>;
    for (const field of Object.keys(e)) {
      if (!['name', 'key', 'role', 'partnerId'].includes(field)) problems.push(`${at}.${field} is not a known field`);
    }
    if (typeof e.name !== 'string' || !e.name.trim()) problems.push(`${at}.name must be a non-empty string`);
    if (typeof e.key !== 'string' || e.key.length < 16) problems.push(`${at}.key must be a string of at least 16 characters`);
    else if (seen.has(e.key)) problems.push(`${at}.key repeats an earlier key`);
    else seen.add(e.key);
    if (!ROLES.includes(e.role as Role)) problems.push(`${at}.role must be one of ${ROLES.join(', ')}`);
    if (e.role === 'partner' && (typeof e.partnerId !== 'string' || !e.partnerId.trim())) {
      problems.push(`${at}.partnerId is required for the partner role`);
    }
    if (e.role !== 'partner' && e.partnerId !== undefined) problems.push(`${at}.partnerId is only for the partner role`);
  });
  if (problems.length) throw new ApiKeysFileError(file, problems);
  return raw as ApiKeyEntry[];
}

export function loadApiKeysFile(file: string): ApiKeyEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ApiKeysFileError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ApiKeysFileError(file, [`is not valid JSON (${(error as Error).message})`]);
  }
  return parseApiKeys(raw, file);
}

/**
 * Dev mode (no API_KEYS_FILE): a key per role kept in DATA_DIR/api-keys.json, made on the first
 * start. Returns the keys and whether they were just made (then they are printed once).
 */
export function devApiKeys(dataDir: string): { file: string; keys: ApiKeyEntry[]; created: boolean } {
  const file = join(dataDir, 'api-keys.json');
  if (existsSync(file)) return { file, keys: loadApiKeysFile(file), created: false };
  mkdirSync(dataDir, { recursive: true });
  const keys: ApiKeyEntry[] = ROLES.map((role) => ({
    name: `dev-${role}`,
    key: `ct_${role}_${randomBytes(18).toString('base64url')}`,
    role,
    ...(role === 'partner' ? { partnerId: 'p-dev' } : {}),
  }));
  writeFileSync(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  return { file, keys, created: true };
}

/** Looks a bearer key up. */
export class ApiKeyRegistry {
  private readonly byKey: Map<string, Principal>;

  constructor(entries: ApiKeyEntry[]) {
    this.byKey = new Map(entries.map((e) => [e.key, { name: e.name, role: e.role, partnerId: e.partnerId }]));
  }

  authenticate(key: string): Principal | undefined {
    return this.byKey.get(key);
  }
}
