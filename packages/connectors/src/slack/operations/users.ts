import { z } from 'zod';
import { slackOperation } from '../operation.js';
import { collectPages, withCursor } from '../paging.js';
import { NextCursor, pageCursor, pageLimit, SlackUser, userId } from '../schemas.js';
import { type SlackContext, slackRead, slackWrite } from '../web-api.js';

const UserAnswer = z.object({ user: SlackUser });

export const email = z.string().email().describe("The person's email address in the Slack workspace");

/** Opening a DM that is already open returns the same DM: safe to send again. */
const REPEATABLE = Object.freeze({ retryNonIdempotent: true });

/** The user ID behind an email (users.lookupByEmail). */
export async function userIdByEmail(ctx: SlackContext, address: string): Promise<string> {
  const found = await slackRead<z.input<typeof UserAnswer>>(ctx, 'users.lookupByEmail', { email: address });
  return found.user.id;
}

/** The DM channel with a user (conversations.open), opened if it was not. */
export async function openDm(
  ctx: SlackContext,
  user: string,
): Promise<{ channel: string; already_open: boolean }> {
  const opened = await slackWrite<{ channel: { id: string }; already_open?: boolean }>(
    ctx,
    'conversations.open',
    { users: user },
    { retry: REPEATABLE },
  );
  return { channel: opened.channel.id, already_open: opened.already_open === true };
}

export const userOperations = {
  get_user_info: slackOperation({
    description:
      "Get a Slack user's profile by user ID (users.info): name, real name, display name, time zone, email " +
      '(with the users:read.email scope), and whether they are a bot or deactivated.',
    input: z.strictObject({ user: userId }),
    output: SlackUser,
    kind: 'read',
    cache: { ttl: 300 },
    run: async (ctx, { user }) =>
      (await slackRead<z.input<typeof UserAnswer>>(ctx, 'users.info', { user })).user,
  }),

  list_users: slackOperation({
    description:
      'List the workspace members (users.list), deactivated people and bots included (see deleted and ' +
      'is_bot). Use next_cursor to continue.',
    input: z.strictObject({ limit: pageLimit(100), cursor: pageCursor }),
    output: z.object({ users: z.array(SlackUser), next_cursor: NextCursor }),
    kind: 'read',
    run: async (ctx, { limit, cursor }) => {
      const page = await collectPages<unknown, { members?: unknown[] }>(
        ctx,
        'users.list',
        {},
        (body) => body.members,
        limit,
        cursor,
      );
      return withCursor({ users: page.items }, page.nextCursor);
    },
  }),

  lookup_user_by_email: slackOperation({
    description:
      'Find a Slack user by email address (users.lookupByEmail). Fails with users_not_found when nobody ' +
      'in the workspace has that email.',
    input: z.strictObject({ email }),
    output: SlackUser,
    kind: 'read',
    cache: { ttl: 300 },
    run: async (ctx, input) =>
      (await slackRead<z.input<typeof UserAnswer>>(ctx, 'users.lookupByEmail', { email: input.email })).user,
  }),

  open_dm: slackOperation({
    description:
      'Open (or find) the direct-message conversation between the bot and a person (conversations.open). ' +
      'Returns the DM channel ID to pass to send_message. To just message someone, notify_user does both.',
    input: z.strictObject({ user: userId }),
    output: z.object({ channel: z.string(), already_open: z.boolean() }),
    kind: 'write',
    idempotent: true,
    run: (ctx, { user }) => openDm(ctx, user),
  }),
};
