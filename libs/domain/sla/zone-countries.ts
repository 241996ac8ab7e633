import Holidays from 'date-holidays';
import { isKnownCountry } from './public-holidays';

/**
 * Which countries use a time zone, from the tz database's zone table as date-holidays ships it
 * (`getTimezones()` per country). Built once: about 200 countries.
 */
let table: { byZone: ReadonlyMap<string, ReadonlySet<string>>; placed: ReadonlySet<string> } | undefined;

function zoneTable(): NonNullable<typeof table> {
  if (table) return table;
  const byZone = new Map<string, Set<string>>();
  const placed = new Set<string>();
  for (const country of Object.keys(new Holidays().getCountries())) {
    for (const zone of new Holidays(country).getTimezones() ?? []) {
      if (!byZone.has(zone)) byZone.set(zone, new Set());
      byZone.get(zone)!.add(country.toUpperCase());
      placed.add(country.toUpperCase());
    }
  }
  table = { byZone, placed };
  return table;
}

/**
 * Whether a contact's time zone can be where its country (and region) is. Only an obviously
 * foreign zone is refused: one the table lists for other countries and not for this one (FR with
 * Australia/Sydney). A zone the table does not place (UTC, Etc/GMT+1, an alias such as
 * Asia/Calcutta) or a country without zones there is accepted: nothing can tell. A region that is
 * itself listed as a country (France's overseas departments: RE, GP, MQ...) brings its own zones.
 */
export function timeZoneFitsCountry(timeZone: string, country: string, region?: string): boolean {
  if (!isKnownCountry(country)) return true; // judged elsewhere (unknown country)
  const { byZone, placed } = zoneTable();
  const countries = byZone.get(timeZone);
  const code = country.toUpperCase();
  // A zone or a country the table does not place cannot be judged.
  if (!countries || !placed.has(code)) return true;
  return countries.has(code) || (region !== undefined && countries.has(region.toUpperCase()));
}

/** The zones the table lists for a country, in its order (the main one first); [] when unknown. */
export function timeZonesOf(country: string): readonly string[] {
  const code = country.toUpperCase();
  return [...zoneTable().byZone].filter(([, countries]) => countries.has(code)).map(([zone]) => zone);
}
