import { defineOperation, type OperationDefinition } from '@patchbay/core';
import type { z } from 'zod';
import type { GitHubConfig } from './config.js';
import { explainGitHubError } from './errors.js';

/**
 * Declares a GitHub operation whose `run` reads the typed config and whose failures speak
 * GitHub's language (see {@link explainGitHubError}). Core's `OperationInput` infers an
 * operation's input through `OperationDefinition<unknown, …>`, which an operation typed for a
 * concrete config does not match (its `ctx` is contravariant), so the declaration is widened to
 * `unknown` here, once. Sound: only this integration runs these operations, always with its
 * parsed config.
 */
export function defineGitHubOperation<In extends z.ZodType, Out extends z.ZodType>(
  definition: OperationDefinition<GitHubConfig, In, Out>,
): OperationDefinition<unknown, In, Out> {
  const run = definition.run;
  const explained: OperationDefinition<GitHubConfig, In, Out> = {
    ...definition,
    run: async (ctx, input) => {
      try {
        return await run(ctx, input);
      } catch (error) {
        throw explainGitHubError(error);
      }
    },
  };
  return defineOperation(explained) as unknown as OperationDefinition<unknown, In, Out>;
}
