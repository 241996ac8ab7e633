import { useEffect, useState } from 'preact/hooks';

/** The current time, re-read every `everyMs`: what live countdowns render from. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** The location hash as a path (`#/case/123` -> `/case/123`), following navigation. */
export function useHashPath(): string {
  const read = () => window.location.hash.replace(/^#/, '') || '/board';
  const [path, setPath] = useState(read);
  useEffect(() => {
    const onChange = () => setPath(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return path;
}
