import type { BoardFilters } from './board-model';

/** The board's filters: plain labelled form controls, usable with the keyboard alone. */
export function BoardFiltersForm({
  filters,
  onChange,
  engineers,
  partners,
}: {
  filters: BoardFilters;
  onChange: (f: BoardFilters) => void;
  engineers: string[];
  partners: string[];
}) {
  const set = (patch: Partial<BoardFilters>) => onChange({ ...filters, ...patch });
  const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
  return (
    <form class="filters" role="search" aria-label="Board filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Severity
        <select value={filters.severity} onChange={(e) => set({ severity: value(e) as BoardFilters['severity'] })}>
          <option value="">all</option>
          <option value="A">A</option>
          <option value="B">B</option>
          <option value="C">C</option>
        </select>
      </label>
      <label>
        State
        <select value={filters.state} onChange={(e) => set({ state: value(e) as BoardFilters['state'] })}>
          <option value="">at risk and breached</option>
          <option value="at-risk">at risk</option>
          <option value="breached">breached</option>
        </select>
      </label>
      <label>
        Engineer
        <select value={filters.engineerId} onChange={(e) => set({ engineerId: value(e) })}>
          <option value="">all</option>
          {engineers.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </select>
      </label>
      <label>
        Partner
        <select value={filters.partnerId} onChange={(e) => set({ partnerId: value(e) })}>
          <option value="">all</option>
          {partners.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label>
        Search
        <input
          type="search"
          value={filters.text}
          placeholder="reference or summary"
          onInput={(e) => set({ text: value(e) })}
        />
      </label>
    </form>
  );
}
