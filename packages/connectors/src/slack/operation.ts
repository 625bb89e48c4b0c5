import { defineOperation, type OperationDefinition } from '@patchbay/core';
import type { z } from 'zod';
import type { SlackConfig } from './config.js';

/**
 * Declares a Slack operation whose `run` reads the typed config, so operations can live in their
 * own files. Core's `OperationInput` infers an operation's input through
 * `OperationDefinition<unknown, …>`, which an operation typed for a concrete config does not
 * match (its `ctx` is contravariant), so the declaration is widened to `unknown` here, once.
 * Sound: only this integration runs these operations, always with its parsed config.
 */
export function slackOperation<In extends z.ZodType, Out extends z.ZodType>(
  definition: OperationDefinition<SlackConfig, In, Out>,
): OperationDefinition<unknown, In, Out> {
  return defineOperation(definition) as unknown as OperationDefinition<unknown, In, Out>;
}
