import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ProblemError } from './problem';

/**
 * class-validator on every body and query: unknown fields are refused (not silently dropped),
 * and the 400 problem lists every field's message with its full path (e.g. `contact.email`).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    // Off: it would refuse bodies of field-less DTOs (closure takes `{}`); unknown fields are
    // still refused by forbidNonWhitelisted.
    forbidUnknownValues: false,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      return ProblemError.of(
        400,
        `the request is invalid: ${fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
        {
          errors: fieldErrors,
        },
      );
    },
  });
}

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; message: string }> {
  return errors.flatMap((error) => {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      // class-validator says "property x should not exist"; say which field in our words.
      message:
        message.startsWith('property ') && message.endsWith('should not exist') ? 'is not a known field' : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
