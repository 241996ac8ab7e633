import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Principal, ROLES, Role } from './principal';

/**
 * A usable key: its name, role and tenant, and only the SHA-256 of the key. The service never
 * keeps a key in plain once the file is read: a `key` entry is hashed on load.
 */
export interface ApiKeyEntry {
  name: string;
  /** `sha256:<64 lowercase hex digits>` */
  keyHash: string;
  role: Role;
  partnerId?: string;
  /** Role `customer` only (with its partnerId): the customer whose cases the key reads. */
  customerId?: string;
}

/** A key just made (dev mode, `keygen`): the only moment the plain key exists. */
export interface GeneratedKey {
  name: string;
  key: string;
  role: Role;
  partnerId?: string;
  customerId?: string;
}

const HASH_FORMAT = /^sha256:[0-9a-f]{64}$/i;
const FIELDS = ['name', 'key', 'keyHash', 'role', 'partnerId', 'customerId'];
/** The roles bound to a partner (a customer is a partner's customer). */
const PARTNER_BOUND: readonly Role[] = ['partner', 'customer'];

/** The form a key file stores: `sha256:<hex>` of the key's UTF-8 bytes. */
export function hashApiKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/** A new random key (256 bits, URL-safe), prefixed so that it is recognisable in a leak scan. */
export function newApiKey(label = 'key'): string {
  return `ct_${label}_${randomBytes(32).toString('base64url')}`;
}

/** A key file that cannot be used: names the file, the entry's field and the reason. */
export class ApiKeysFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`API keys file ${file} is invalid: ${problems.join('; ')}`);
    this.name = 'ApiKeysFileError';
  }
}

/**
 * Checks a key file's content and hashes its plain keys. Each entry has `key` (at least 16
 * characters, kept for compatibility) or `keyHash` (`sha256:<hex>`), never both. Names are unique
 * (rate limits, SSE caps and idempotency records are kept per name), and so are keys: a `key` and
 * a `keyHash` of the same key are a repeat too. A repeat names both entries.
 */
export function parseApiKeys(raw: unknown, file: string): ApiKeyEntry[] {
  const problems: string[] = [];
  if (!Array.isArray(raw)) throw new ApiKeysFileError(file, ['the file must hold a JSON array of keys']);
  const names = new Map<string, string>();
  const hashes = new Map<string, string>();
  const entries: ApiKeyEntry[] = [];
  raw.forEach((entry, i) => {
    const at = `[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      return problems.push(`${at} must be an object`);
    const e = entry as Record<string, unknown>;
    const label = typeof e.name === 'string' ? `${at} ("${e.name}")` : at;
    for (const field of Object.keys(e)) {
      if (!FIELDS.includes(field)) problems.push(`${at}.${field} is not a known field`);
    }
    if (typeof e.name !== 'string' || !e.name.trim()) problems.push(`${at}.name must be a non-empty string`);
    else if (names.has(e.name)) problems.push(`${label}.name repeats the name of ${names.get(e.name)}`);
    else names.set(e.name, label);

    let keyHash: string | undefined;
    if (e.key !== undefined && e.keyHash !== undefined)
      problems.push(`${at} must hold either key or keyHash, not both`);
    else if (e.keyHash !== undefined) {
      if (typeof e.keyHash !== 'string' || !HASH_FORMAT.test(e.keyHash))
        problems.push(`${at}.keyHash must look like sha256:<64 hex digits>`);
      else keyHash = e.keyHash.toLowerCase();
    } else if (e.key === undefined)
      problems.push(`${at} needs a key (a string of at least 16 characters) or a keyHash (sha256:<hex>)`);
    else if (typeof e.key !== 'string' || e.key.length < 16)
      problems.push(`${at}.key must be a string of at least 16 characters`);
    else if (/\s/.test(e.key))
      problems.push(`${at}.key must not contain white space (it travels in "Authorization: Bearer <key>")`);
    else keyHash = hashApiKey(e.key);
    if (keyHash !== undefined) {
      const field = e.keyHash !== undefined ? 'keyHash' : 'key';
      if (hashes.has(keyHash)) problems.push(`${label}.${field} is the same key as ${hashes.get(keyHash)}`);
      else hashes.set(keyHash, label);
    }

    if (!ROLES.includes(e.role as Role)) problems.push(`${at}.role must be one of ${ROLES.join(', ')}`);
    const partnerBound = PARTNER_BOUND.includes(e.role as Role);
    if (partnerBound && (typeof e.partnerId !== 'string' || !e.partnerId.trim())) {
      problems.push(`${at}.partnerId is required for the ${e.role as string} role`);
    }
    if (!partnerBound && e.partnerId !== undefined)
      problems.push(`${at}.partnerId is only for the partner and customer roles`);
    if (e.role === 'customer' && (typeof e.customerId !== 'string' || !e.customerId.trim())) {
      problems.push(`${at}.customerId is required for the customer role`);
    }
    if (e.role !== 'customer' && e.customerId !== undefined)
      problems.push(`${at}.customerId is only for the customer role`);
    if (keyHash !== undefined) {
      entries.push({
        name: e.name as string,
        keyHash,
        role: e.role as Role,
        ...(e.partnerId !== undefined ? { partnerId: e.partnerId as string } : {}),
        ...(e.customerId !== undefined ? { customerId: e.customerId as string } : {}),
      });
    }
  });
  if (problems.length) throw new ApiKeysFileError(file, problems);
  return entries;
}

export function loadApiKeysFile(file: string): ApiKeyEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ApiKeysFileError(file, [
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    ]);
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
 * start. The file holds only their hashes; `generated` holds the plain keys when they were just
 * made (then they are printed once) and is empty otherwise. A file written by an older version
 * (plain `key` entries) is still read as it is.
 */
/** Where dev mode keeps the keys it generated (their hashes). */
export const devApiKeysFile = (dataDir: string): string => join(dataDir, 'api-keys.json');

export function devApiKeys(dataDir: string): {
  file: string;
  keys: ApiKeyEntry[];
  created: boolean;
  generated: GeneratedKey[];
} {
  const file = devApiKeysFile(dataDir);
  if (existsSync(file)) return { file, keys: loadApiKeysFile(file), created: false, generated: [] };
  mkdirSync(dataDir, { recursive: true });
  const generated: GeneratedKey[] = ROLES.map((role) => ({
    name: `dev-${role}`,
    key: newApiKey(role),
    role,
    ...(role === 'partner' || role === 'customer' ? { partnerId: 'p-dev' } : {}),
    ...(role === 'customer' ? { customerId: 'c-dev' } : {}),
  }));
  const keys: ApiKeyEntry[] = generated.map(({ key, ...rest }) => ({
    name: rest.name,
    keyHash: hashApiKey(key),
    role: rest.role,
    ...(rest.partnerId ? { partnerId: rest.partnerId } : {}),
    ...(rest.customerId ? { customerId: rest.customerId } : {}),
  }));
  writeFileSync(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  return { file, keys, created: true, generated };
}

/**
 * Looks a bearer key up by its SHA-256, compared with every known hash in constant time (no
 * early exit, timingSafeEqual), so the answer's timing says nothing about how close a guess was.
 */
export class ApiKeyRegistry {
  private readonly entries: ReadonlyArray<{ digest: Buffer; principal: Principal }>;

  constructor(entries: ApiKeyEntry[]) {
    this.entries = entries.map((e) => ({
      digest: Buffer.from(e.keyHash.slice('sha256:'.length), 'hex'),
      principal: { name: e.name, role: e.role, partnerId: e.partnerId, customerId: e.customerId },
    }));
  }

  authenticate(key: string): Principal | undefined {
    const digest = createHash('sha256').update(key, 'utf8').digest();
    let found: Principal | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest) && found === undefined) found = entry.principal;
    }
    return found;
  }
}
