import { ValidationError } from '../shared/domain-errors';

/** One problem found in an SLA policy file: the dotted field path and why it was refused. */
export interface SlaPolicyProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * A policy file that cannot be used. Start-up prints the message as one line, so it names the
 * file and every problem at once: an operator fixes the file in one pass, not one error per run.
 */
export class SlaPolicyError extends Error {
  constructor(
    readonly source: string,
    readonly errors: readonly SlaPolicyProblem[],
  ) {
    super(`SLA policy ${source} is invalid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    this.name = 'SlaPolicyError';
  }
}

/** A time zone that is not a known IANA zone. A ValidationError, so the HTTP layer answers 400. */
export class UnknownTimeZoneError extends ValidationError {
  constructor(readonly timeZone: string) {
    super(`unknown IANA time zone ${JSON.stringify(timeZone)} (expected e.g. "Europe/Paris")`, 'timeZone', { timeZone });
  }
}

/** A country that date-holidays does not know: its public holidays would silently be missing. */
export class UnknownCountryError extends ValidationError {
  constructor(readonly country: string) {
    super(`unknown ISO 3166-1 country code ${JSON.stringify(country)} (expected e.g. "FR")`, 'country', { country });
  }
}
