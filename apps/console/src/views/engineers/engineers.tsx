import { useCallback, useEffect, useState } from 'preact/hooks';
import { myEngineerId, Session, setMyEngineerId } from '../../api/session';
import type { Availability, Engineer } from '../../api/types';
import { ErrorNote, Section } from '../../ui/widgets';

const AVAILABILITIES: Availability[] = ['on-shift', 'off-shift', 'away'];

/**
 * Engineers with their availability and open cases by severity. A staff member says once which
 * engineer they are (kept in this tab, like the key: the service does not tie keys to engineers)
 * and changes their own availability from here.
 */
export function Engineers({ session }: { session: Session }) {
  const { client, capabilities } = session;
  const [engineers, setEngineers] = useState<Engineer[] | null>(null);
  const [me, setMe] = useState<string | null>(myEngineerId());
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // The choice shows at once while the service stores it: the radios are controlled by the read
  // model, which only catches up after the answer, and a radio that unticks itself reads as "refused".
  const [pending, setPending] = useState<Availability | null>(null);

  const load = useCallback(
    async (consistentWith?: string) => {
      try {
        const answer = await client.get<{ items: Engineer[] }>(
          `/v1/engineers${consistentWith ? `?consistentWith=${consistentWith}` : ''}`,
        );
        setEngineers(answer.items);
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      }
    },
    [client],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const choose = (engineerId: string) => {
    setMyEngineerId(engineerId || null);
    setMe(engineerId || null);
    setSaved(null);
  };
  const change = async (status: Availability) => {
    if (!me) return;
    setSaved(null);
    setPending(status);
    try {
      const answer = await client.post<{ availability: Availability; position: string | null }>(
        `/v1/engineers/${encodeURIComponent(me)}/availability`,
        { status },
      );
      setSaved(`You are now ${answer.availability}.`);
      await load(answer.position ?? undefined);
    } catch (e) {
      setError(`Could not change the availability: ${(e as Error).message}`);
    } finally {
      setPending(null);
    }
  };

  const mine = engineers?.find((e) => e.engineerId === me) ?? null;
  return (
    <>
      <div class="view-head">
        <h1>Engineers</h1>
      </div>
      <ErrorNote error={error} />
      {capabilities.availability && engineers && (
        <Section title="My availability" id="my-availability">
          <form class="filters" onSubmit={(e) => e.preventDefault()}>
            <label>
              I am
              <select value={me ?? ''} onChange={(e) => choose((e.target as HTMLSelectElement).value)}>
                <option value="">choose yourself…</option>
                {engineers.map((e) => (
                  <option key={e.engineerId} value={e.engineerId}>
                    {e.name} ({e.engineerId})
                  </option>
                ))}
              </select>
            </label>
            {mine && (
              <fieldset class="availability">
                <legend>My availability</legend>
                {AVAILABILITIES.map((a) => (
                  <label key={a} class="inline">
                    <input
                      type="radio"
                      name="my-availability"
                      value={a}
                      checked={(pending ?? mine.availability) === a}
                      onChange={() => void change(a)}
                    />
                    {a}
                  </label>
                ))}
              </fieldset>
            )}
          </form>
          <p role="status">{saved}</p>
        </Section>
      )}
      <Section title="Availability and open cases" id="engineers">
        {!engineers ? (
          <p class="loading">Loading…</p>
        ) : !engineers.length ? (
          <p class="muted">No engineer is registered.</p>
        ) : (
          <table class="engineers">
            <thead>
              <tr>
                <th scope="col">Engineer</th>
                <th scope="col">Manager</th>
                <th scope="col">Time zone</th>
                <th scope="col">Availability</th>
                <th scope="col">Open A</th>
                <th scope="col">Open B</th>
                <th scope="col">Open C</th>
                <th scope="col">Not assessed</th>
              </tr>
            </thead>
            <tbody>
              {engineers.map((e) => (
                <tr
                  key={e.engineerId}
                  data-engineer-id={e.engineerId}
                  aria-current={e.engineerId === me ? 'true' : undefined}
                >
                  <th scope="row">
                    {e.name}
                    <div class="muted small">{e.engineerId}</div>
                  </th>
                  <td>{e.managerId ?? <span class="muted">manager</span>}</td>
                  <td>{e.timeZone}</td>
                  <td>
                    <span class={`badge avail-${e.availability}`}>{e.availability}</span>
                  </td>
                  <td>{e.openCases.A}</td>
                  <td>{e.openCases.B}</td>
                  <td>{e.openCases.C}</td>
                  <td>{e.openCases.unassessed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </>
  );
}
