import { registerDecorator, ValidationOptions } from 'class-validator';
import { isKnownCountry } from '../../domain/sla/public-holidays';

/** A country whose public holidays the business calendar knows (else its SLA clocks would be wrong). */
export function IsHolidayCountry(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isHolidayCountry',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property is not a country whose public holidays are known', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isKnownCountry(value) },
    });
}
