import { IntegrationPermanentError, type OperationContext } from '@patchbay/core';
import type { z } from 'zod';

/**
 * Reads an upstream answer through its schema; a shape the connector cannot use is a permanent
 * `INVALID_OUTPUT` error naming the fields (never their values).
 */
export function readWire<S extends z.ZodType>(
  schema: S,
  body: unknown,
  ctx: Pick<OperationContext<unknown>, 'integration' | 'operation'>,
): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: `response.${issue.path.map(String).join('.')}`,
    message: issue.message,
  }));
  throw new IntegrationPermanentError(
    `The payments API answered ${ctx.operation} in an unexpected shape: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    { integration: ctx.integration, operation: ctx.operation, code: 'INVALID_OUTPUT', issues },
  );
}
