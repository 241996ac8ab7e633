import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyRegistry, ApiKeysFileError, devApiKeys, hashApiKey, parseApiKeys } from './api-keys';

const KEY = 'a-plain-key-0000000000';
const OTHER = 'another-key-1111111111';

describe('API key files', () => {
  it('hashes a key as sha256:<hex of its UTF-8 bytes>', () => {
    // sha256("abc"), the FIPS 180-2 test vector.
    expect(hashApiKey('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('reads keyHash entries and hashes plain key entries, keeping no plain key', () => {
    const entries = parseApiKeys(
      [
        { name: 'ops-1', keyHash: hashApiKey(KEY).toUpperCase().replace('SHA256:', 'sha256:'), role: 'ops' },
        { name: 'portal', key: OTHER, role: 'partner', partnerId: 'p-1' },
      ],
      'keys.json',
    );
    expect(entries).toEqual([
      { name: 'ops-1', keyHash: hashApiKey(KEY), role: 'ops' },
      { name: 'portal', keyHash: hashApiKey(OTHER), role: 'partner', partnerId: 'p-1' },
    ]);
    expect(JSON.stringify(entries)).not.toContain(OTHER);
  });

  it('authenticates by hash: both entry forms, nothing else', () => {
    const registry = new ApiKeyRegistry(
      parseApiKeys(
        [
          { name: 'ops-1', keyHash: hashApiKey(KEY), role: 'ops' },
          { name: 'portal', key: OTHER, role: 'partner', partnerId: 'p-1' },
        ],
        'f',
      ),
    );
    expect(registry.authenticate(KEY)).toEqual({ name: 'ops-1', role: 'ops', partnerId: undefined });
    expect(registry.authenticate(OTHER)).toEqual({ name: 'portal', role: 'partner', partnerId: 'p-1' });
    expect(registry.authenticate(KEY + 'x')).toBeUndefined();
    expect(registry.authenticate(hashApiKey(KEY))).toBeUndefined(); // the hash is not a key
    expect(registry.authenticate('')).toBeUndefined();
  });

  it('refuses a repeated name, naming both entries', () => {
    const refusal = () =>
      parseApiKeys(
        [
          { name: 'ops', key: KEY, role: 'ops' },
          { name: 'x', key: 'third-key-22222222', role: 'support' },
          { name: 'ops', key: OTHER, role: 'support' },
        ],
        'keys.json',
      );
    expect(refusal).toThrow(ApiKeysFileError);
    expect(refusal).toThrow('API keys file keys.json is invalid: [2] ("ops").name repeats the name of [0] ("ops")');
  });

  it('refuses the same key twice, whether given plain or as its hash, naming both entries', () => {
    expect(() =>
      parseApiKeys(
        [
          { name: 'a', key: KEY, role: 'ops' },
          { name: 'b', keyHash: hashApiKey(KEY), role: 'support' },
        ],
        'k',
      ),
    ).toThrow('[1] ("b").keyHash is the same key as [0] ("a")');
    expect(() =>
      parseApiKeys(
        [
          { name: 'a', key: KEY, role: 'ops' },
          { name: 'b', key: KEY, role: 'support' },
        ],
        'k',
      ),
    ).toThrow('[1] ("b").key is the same key as [0] ("a")');
  });

  it('names every malformed field', () => {
    let message = '';
    try {
      parseApiKeys(
        [
          { name: 'a', key: KEY, keyHash: hashApiKey(KEY), role: 'ops' },
          { name: 'b', keyHash: 'md5:abc', role: 'ops' },
          { name: 'c', keyHash: 'sha256:' + 'g'.repeat(64), role: 'ops' },
          { name: 'd', role: 'ops' },
          { name: 'e', key: 'short', role: 'ops' },
          { name: 'f', key: 'has a space in it 000', role: 'ops' },
          { name: '', key: OTHER, role: 'boss', secret: 1 },
        ],
        'k',
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('[0] must hold either key or keyHash, not both');
    expect(message).toContain('[1].keyHash must look like sha256:<64 hex digits>');
    expect(message).toContain('[2].keyHash must look like sha256:<64 hex digits>');
    expect(message).toContain('[3] needs a key (a string of at least 16 characters) or a keyHash (sha256:<hex>)');
    expect(message).toContain('[4].key must be a string of at least 16 characters;');
    expect(message).toContain('[5].key must not contain white space');
    expect(message).toContain('[6].name must be a non-empty string');
    expect(message).toContain('[6].role must be one of');
    expect(message).toContain('[6].secret is not a known field');
  });

  it('a customer key names its partner and its customer; each only where it belongs', () => {
    const registry = new ApiKeyRegistry(
      parseApiKeys([{ name: 'fabrikam', key: KEY, role: 'customer', partnerId: 'p-1', customerId: 'c-1' }], 'f'),
    );
    expect(registry.authenticate(KEY)).toEqual({
      name: 'fabrikam',
      role: 'customer',
      partnerId: 'p-1',
      customerId: 'c-1',
    });
    let message = '';
    try {
      parseApiKeys(
        [
          { name: 'a', key: 'key-a-000000000000', role: 'customer', partnerId: 'p-1' },
          { name: 'b', key: 'key-b-000000000000', role: 'customer', customerId: 'c-1' },
          { name: 'c', key: 'key-c-000000000000', role: 'partner', partnerId: 'p-1', customerId: 'c-1' },
          { name: 'd', key: 'key-d-000000000000', role: 'ops', partnerId: 'p-1' },
        ],
        'k',
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('[0].customerId is required for the customer role');
    expect(message).toContain('[1].partnerId is required for the customer role');
    expect(message).toContain('[2].customerId is only for the customer role');
    expect(message).toContain('[3].partnerId is only for the partner and customer roles');
  });

  it('dev mode writes only hashes and hands the plain keys out once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'casetrail-keys-'));
    try {
      const first = devApiKeys(dir);
      expect(first.created).toBe(true);
      expect(first.generated.length).toBeGreaterThan(0);
      const text = readFileSync(first.file, 'utf8');
      for (const { key } of first.generated) expect(text).not.toContain(key);
      expect(
        JSON.parse(text).every((e: Record<string, unknown>) => typeof e.keyHash === 'string' && e.key === undefined),
      ).toBe(true);
      const registry = new ApiKeyRegistry(first.keys);
      for (const generated of first.generated) expect(registry.authenticate(generated.key)?.name).toBe(generated.name);

      const again = devApiKeys(dir);
      expect(again).toMatchObject({ created: false, generated: [] });
      expect(again.keys).toEqual(first.keys);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
