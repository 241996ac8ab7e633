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
    super(`unknown IANA time zone ${JSON.stringify(timeZone)} (expected e.g. "Europe/Paris")`, 'timeZone', {
      timeZone,
    });
  }
}

/** A country that date-holidays does not know: its public holidays would silently be missing. */
export class UnknownCountryError extends ValidationError {
  constructor(readonly country: string) {
    super(`unknown ISO 3166-1 country code ${JSON.stringify(country)} (expected e.g. "FR")`, 'country', { country });
  }
}

/** A region that date-holidays does not know for the country: its holidays would silently be missing. */
export class UnknownRegionError extends ValidationError {
  constructor(
    readonly country: string,
    readonly region: string,
  ) {
    super(
      `unknown region ${JSON.stringify(region)} of country ${JSON.stringify(country)} (expected e.g. "NSW" for AU, "CA" for US, "BY" for DE)`,
      'region',
      {
        country,
        region,
      },
    );
  }
}

/**
 * A policy file whose `version` is already recorded with other content. Refusing to start is the
 * only honest answer: that version would otherwise name two sets of rules, and an auditor
 * replaying a clock could not tell which one it ran under. A SlaPolicyError, so start-up prints it
 * as one line.
 */
export class SlaPolicyVersionConflictError extends SlaPolicyError {
  constructor(
    source: string,
    readonly version: string,
    readonly recordedHash: string,
    readonly fileHash: string,
  ) {
    const what = source === 'built-in' ? 'the built-in policy' : source;
    const message = `SLA policy version ${version} is already recorded with hash ${recordedHash}; ${what} has hash ${fileHash}: give the new policy a new version`;
    super(source, [{ field: 'version', message }]);
    this.message = message;
    this.name = 'SlaPolicyVersionConflictError';
  }
}
