import { ConfigError, loadConfig } from './app-config';
import { serviceParts, usesBackgroundThread } from './service-parts';

describe('BACKGROUND_THREAD and the parts of each role', () => {
  it('is on by default, off when asked, and refuses anything else naming the variable', () => {
    expect(loadConfig({}, []).backgroundThread).toBe(true);
    expect(loadConfig({ BACKGROUND_THREAD: 'OFF' }, []).backgroundThread).toBe(false);
    expect(() => loadConfig({ BACKGROUND_THREAD: 'maybe' }, [])).toThrow(ConfigError);
    expect(() => loadConfig({ BACKGROUND_THREAD: 'maybe' }, [])).toThrow(/BACKGROUND_THREAD must be on or off/);
  });

  it('api: routes, no consumer; worker: consumers, no route; all: both, split across two threads when BACKGROUND_THREAD=on', () => {
    expect(serviceParts({ role: 'api', backgroundThread: true }, 'main')).toEqual({ api: true, consumers: false });
    expect(serviceParts({ role: 'worker', backgroundThread: true }, 'main')).toEqual({ api: false, consumers: true });
    expect(serviceParts({ role: 'all', backgroundThread: true }, 'main')).toEqual({ api: true, consumers: false });
    expect(serviceParts({ role: 'all', backgroundThread: true }, 'background')).toEqual({
      api: false,
      consumers: true,
    });
    expect(serviceParts({ role: 'all', backgroundThread: false }, 'main')).toEqual({ api: true, consumers: true });
    expect(usesBackgroundThread({ role: 'all', backgroundThread: true })).toBe(true);
    expect(usesBackgroundThread({ role: 'all', backgroundThread: false })).toBe(false);
    // Only role `all` has a background thread; the other roles are one part each.
    expect(usesBackgroundThread({ role: 'worker', backgroundThread: true })).toBe(false);
    expect(usesBackgroundThread({ role: 'api', backgroundThread: true })).toBe(false);
  });
});
