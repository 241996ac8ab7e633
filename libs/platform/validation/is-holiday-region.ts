import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { isKnownCountry, isKnownRegion } from '../../domain/sla/public-holidays';

/**
 * A region (state, province, Land) of the object's country as date-holidays names it: NSW for AU,
 * CA for US, BY for DE. Needs the country: a region alone says nothing about whose holidays.
 * An unknown country is reported on the country field, not again here.
 */
export function IsHolidayRegion(countryProperty = 'country', options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isHolidayRegion',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args: ValidationArguments) => {
          const country = (args.object as Record<string, unknown>)[countryProperty];
          return typeof country === 'string' && country !== ''
            ? `$property must be a region of ${country.toUpperCase()} whose public holidays are known (e.g. NSW for AU, CA for US, BY for DE)`
            : `$property needs ${countryProperty} (a region is a region of a country)`;
        },
        ...options,
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const country = (args.object as Record<string, unknown>)[countryProperty];
          if (typeof value !== 'string' || typeof country !== 'string' || country === '') return false;
          return !isKnownCountry(country) || isKnownRegion(country, value);
        },
      },
    });
}
