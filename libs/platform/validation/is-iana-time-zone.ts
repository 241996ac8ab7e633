import { registerDecorator, ValidationOptions } from 'class-validator';
import { isKnownTimeZone } from '../../domain/sla/zoned-time';

/** An IANA time zone name that this runtime knows (e.g. Europe/Paris), not an offset or abbreviation. */
export function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an IANA time zone such as Europe/Paris', ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isKnownTimeZone(value),
      },
    });
}
