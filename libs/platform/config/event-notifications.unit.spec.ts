import { ConfigError, loadConfig } from './app-config';

describe('EVENT_NOTIFICATIONS', () => {
  it('is on by default, and on/off (any case) switch the wake-ups across processes', () => {
    expect(loadConfig({}, []).eventNotifications).toBe(true);
    expect(loadConfig({ EVENT_NOTIFICATIONS: 'off' }, []).eventNotifications).toBe(false);
    expect(loadConfig({ EVENT_NOTIFICATIONS: 'ON' }, []).eventNotifications).toBe(true);
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => loadConfig({ EVENT_NOTIFICATIONS: 'maybe' }, [])).toThrow(ConfigError);
    expect(() => loadConfig({ EVENT_NOTIFICATIONS: 'maybe' }, [])).toThrow(/EVENT_NOTIFICATIONS must be on or off/);
  });
});
