import { hashApiKey, parseApiKeys } from '../../libs/platform/auth/api-keys';
import { UsageError } from './args';
import { keygenOutput } from './keygen';

describe('keygen', () => {
  it('prints a fresh 256-bit key, its hash and an entry a key file accepts', () => {
    const a = keygenOutput({ name: 'ops-2', role: 'ops' });
    const b = keygenOutput({ name: 'ops-2', role: 'ops' });
    expect(a.key).not.toBe(b.key);
    expect(a.key).toMatch(/^ct_key_[A-Za-z0-9_-]{43}$/);
    const [keyLine, hashLine, entryLine] = a.stdout.trimEnd().split('\n');
    expect(keyLine).toBe(`key ${a.key}`);
    expect(hashLine).toBe(`keyHash ${hashApiKey(a.key)}`);
    const entry = JSON.parse(entryLine);
    expect(entry).toEqual({ name: 'ops-2', keyHash: hashApiKey(a.key), role: 'ops' });
    expect(parseApiKeys([entry], 'f')).toEqual([entry]);
    expect(keygenOutput({ name: 'portal', role: 'partner', partner: 'p-1' }).stdout).toContain('"partnerId":"p-1"');
  });

  it('a customer key names its partner and its customer, and the key file accepts it', () => {
    const out = keygenOutput({ name: 'fabrikam', role: 'customer', partner: 'p-1', customer: 'c-fabrikam' });
    const entry = JSON.parse(out.stdout.trimEnd().split('\n')[2]);
    expect(entry).toMatchObject({ role: 'customer', partnerId: 'p-1', customerId: 'c-fabrikam' });
    expect(parseApiKeys([entry], 'f')).toEqual([entry]);
    expect(() => keygenOutput({ name: 'x', role: 'customer', partner: 'p-1' })).toThrow(
      '--customer is required with --role customer',
    );
    expect(() => keygenOutput({ name: 'x', role: 'customer', customer: 'c-1' })).toThrow(
      '--partner is required with --role customer',
    );
    expect(() => keygenOutput({ name: 'x', role: 'partner', partner: 'p', customer: 'c' })).toThrow(
      '--customer is only for --role customer',
    );
  });

  it('without --name and --role the entry has placeholders a service refuses', () => {
    const entry = JSON.parse(keygenOutput({}).stdout.trimEnd().split('\n')[2]);
    expect(entry.name).toBe('<name>');
    expect(() => parseApiKeys([entry], 'f')).toThrow('[0].role must be one of');
  });

  it('refuses inconsistent options', () => {
    expect(() => keygenOutput({ name: 'x' })).toThrow(UsageError);
    expect(() => keygenOutput({ name: 'x', role: 'boss' })).toThrow('--role must be one of');
    expect(() => keygenOutput({ name: 'x', role: 'partner' })).toThrow('--partner is required with --role partner');
    expect(() => keygenOutput({ name: 'x', role: 'ops', partner: 'p' })).toThrow(
      '--partner is only for --role partner',
    );
  });
});
