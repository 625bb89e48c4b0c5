import type { OperationDefinition } from '@patchbay/core';
import type { z } from 'zod';
import type { TransactionsConfig } from './config.js';

/**
 * Declares a transactions operation whose `run` reads the typed config. Core's
 * `OperationInput` infers an operation's input through `OperationDefinition<unknown, …>`, which
 * an operation typed for a concrete config does not match (its `ctx` is contravariant), so the
 * declaration is widened to `unknown` here, once. Sound: only this integration runs these
 * operations, always with its parsed config.
 */
export function defineTransactionsOperation<In extends z.ZodType, Out extends z.ZodType>(
  definition: OperationDefinition<TransactionsConfig, In, Out>,
): OperationDefinition<unknown, In, Out> {
  return definition as unknown as OperationDefinition<unknown, In, Out>;
}
