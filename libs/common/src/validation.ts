import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from './domain-error';

/** Flattens class-validator's tree into one entry per bad field ("caller.phone"). */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent
      ? /^\d+$/.test(e.property)
        ? `${parent}[${e.property}]`
        : `${parent}.${e.property}`
      : e.property;
    if (e.constraints) {
      const messages = Object.values(e.constraints).map((m) =>
        m.replace(new RegExp(`^(each value in )?${e.property} `), ''),
      );
      // whitelist violations read better as "unknown field"; a missing value as "is required"
      const message = e.constraints.whitelistValidation
        ? 'is not a known field'
        : e.value === undefined
          ? 'is required'
          : e.value === null
            ? 'must not be null'
            : messages[0];
      out.push({ field, message });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => DomainError.validation(flattenValidationErrors(errors)),
  });
}
