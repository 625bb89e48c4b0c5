import type { OperationDefinition } from '@patchbay/core';
import type { z } from 'zod';
import type { ZendeskConfig } from './config.js';

/**
 * Declares a Zendesk operation whose `run` reads the typed config. Core's `OperationInput`
 * infers an operation's input through `OperationDefinition<unknown, …>`, which an operation
 * typed for a concrete config does not match (its `ctx` is contravariant), so the declaration is
 * widened to `unknown` here, once. Sound: only this integration runs these operations, always
 * with its parsed config.
 */
export function defineZendeskOperation<In extends z.ZodType, Out extends z.ZodType>(
  definition: OperationDefinition<ZendeskConfig, In, Out>,
): OperationDefinition<unknown, In, Out> {
  return definition as unknown as OperationDefinition<unknown, In, Out>;
}
