import { registerDecorator, ValidationOptions } from 'class-validator';

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/**
 * A global event position as commands return it: decimal digits within PostgreSQL's bigint (a
 * larger number names no event, and the database would refuse to compare with it).
 */
export function isPosition(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_BIGINT;
}

export function IsPosition(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPosition',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a decimal position returned by a command', ...options },
      validator: { validate: isPosition },
    });
}
