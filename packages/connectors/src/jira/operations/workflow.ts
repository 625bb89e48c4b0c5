import { defineOperation, IntegrationValidationError } from '@patchbay/core';
import { z } from 'zod';
import { RichText, toAdf } from '../adf.js';
import { issuePath, type JiraContext } from '../config.js';
import { IssueKey, JiraTransition } from '../schemas.js';

async function transitionsOf(ctx: JiraContext, issueKey: string): Promise<JiraTransition[]> {
  const body = await ctx.http.get<{ transitions?: unknown[] }>(issuePath(issueKey, '/transitions'));
  return z.array(JiraTransition).parse(body.transitions ?? []);
}

export const list_transitions = defineOperation({
  description:
    'List the workflow transitions a Jira issue can take now, each with its id, name and the status it leads to. Use an id or a target status name with transition_issue.',
  input: z.object({ issueKey: IssueKey }),
  output: z.object({ transitions: z.array(JiraTransition) }),
  kind: 'read',
  async run(ctx: JiraContext, { issueKey }) {
    return { transitions: await transitionsOf(ctx, issueKey) };
  },
});

/**
 * The transition to take: the one leading to a status of that name, else the one of that
 * name (case-insensitive both). Throws, listing the choices, when the workflow offers none.
 */
function pickTransition(transitions: JiraTransition[], wanted: string, ctx: JiraContext, issueKey: string) {
  const lower = wanted.toLowerCase();
  const found =
    transitions.find((t) => t.to?.name.toLowerCase() === lower) ??
    transitions.find((t) => t.name.toLowerCase() === lower);
  if (found) return found;
  const choices = transitions.map((t) => `"${t.name}" (id ${t.id}) → ${t.to?.name ?? '?'}`).join(', ');
  const message = `Issue ${issueKey} has no transition to status "${wanted}" now; available: ${choices || 'none'}`;
  throw new IntegrationValidationError(message, {
    integration: ctx.integration,
    operation: ctx.operation,
    code: 'INVALID_INPUT',
    issues: [{ path: 'toStatus', message: `no transition to this status; available: ${choices || 'none'}` }],
  });
}

export const TransitionIssueInput = z
  .object({
    issueKey: IssueKey,
    transitionId: z
      .string()
      .regex(/^\d+$/, 'must be a numeric transition id')
      .optional()
      .describe('Transition id (from list_transitions)'),
    toStatus: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe(
        'Target status name, e.g. "In Progress" or "Done" (or a transition name); the matching transition is looked up',
      ),
    comment: RichText.optional().describe('A comment to add with the transition (text or ADF)'),
    fields: z
      .record(z.string().min(1), z.unknown())
      .optional()
      .describe('Fields the transition screen sets, by field id, e.g. {"resolution": {"name": "Done"}}'),
  })
  .refine((i) => (i.transitionId === undefined) !== (i.toStatus === undefined), {
    message: 'give exactly one of transitionId and toStatus',
    path: ['toStatus'],
  });

export const transition_issue = defineOperation({
  description:
    'Move a Jira issue through its workflow (seed 002 workflows): by transition id, or by the name of the status to reach ("In Progress", "Done"). Optionally adds a comment and sets fields the transition asks for. Fails with the available transitions when the status cannot be reached from the current one.',
  input: TransitionIssueInput,
  output: z.object({
    issueKey: z.string(),
    transitionId: z.string(),
    toStatus: z.string().optional().describe('The status the issue moved to, when known'),
  }),
  kind: 'write',
  async run(ctx: JiraContext, input) {
    let transitionId = input.transitionId;
    let toStatus: string | undefined;
    if (input.toStatus !== undefined) {
      const chosen = pickTransition(
        await transitionsOf(ctx, input.issueKey),
        input.toStatus,
        ctx,
        input.issueKey,
      );
      transitionId = chosen.id;
      toStatus = chosen.to?.name;
    }
    await ctx.http.post(issuePath(input.issueKey, '/transitions'), {
      json: {
        transition: { id: transitionId },
        ...(input.fields && { fields: input.fields }),
        ...(input.comment !== undefined && {
          update: { comment: [{ add: { body: toAdf(input.comment) } }] },
        }),
      },
    });
    return {
      issueKey: input.issueKey,
      transitionId: transitionId!,
      ...(toStatus !== undefined && { toStatus }),
    };
  },
});
