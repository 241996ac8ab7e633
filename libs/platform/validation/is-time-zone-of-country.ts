import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { timeZoneFitsCountry, timeZonesOf } from '../../domain/sla/zone-countries';

/**
 * A time zone that can be where the object's country (and region) is, as far as the tz database
 * can tell: FR with Australia/Sydney is refused; UTC, Etc/* and zones it does not place are not.
 * Without a country there is nothing to check against. Put it after @IsIanaTimeZone.
 */
export function IsTimeZoneOfCountry(
  countryProperty = 'country',
  regionProperty = 'region',
  options?: ValidationOptions,
): PropertyDecorator {
  const related = (args: ValidationArguments) => {
    const object = args.object as Record<string, unknown>;
    const country = object[countryProperty];
    const region = object[regionProperty];
    return {
      country: typeof country === 'string' ? country : undefined,
      region: typeof region === 'string' ? region : undefined,
    };
  };
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTimeZoneOfCountry',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args: ValidationArguments) =>
          `$property ${JSON.stringify(args.value)} is not a time zone of ${related(args).country?.toUpperCase()} (${countryProperty}); give the contact's own zone, e.g. ${zoneExample(related(args).country)}`,
        ...options,
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const { country, region } = related(args);
          return typeof value !== 'string' || country === undefined || timeZoneFitsCountry(value, country, region);
        },
      },
    });
}

function zoneExample(country: string | undefined): string {
  return (country && timeZonesOf(country)[0]) || 'Europe/Paris';
}
