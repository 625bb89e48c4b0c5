import { z } from 'zod';

/*
 * Output shapes. They name the fields callers and agents use most and keep every other field
 * Slack sends (loose objects), so nothing Slack adds later is lost or breaks validation.
 */

const TopicOrPurpose = z.looseObject({ value: z.string() });

/** A channel, private channel or DM, as conversations.* return it. */
export const SlackChannel = z.looseObject({
  id: z.string(),
  /** Absent for DMs. */
  name: z.string().optional(),
  is_channel: z.boolean().optional(),
  is_private: z.boolean().optional(),
  is_im: z.boolean().optional(),
  is_archived: z.boolean().optional(),
  is_member: z.boolean().optional(),
  num_members: z.number().optional(),
  topic: TopicOrPurpose.optional(),
  purpose: TopicOrPurpose.optional(),
  /** The other person of a DM. */
  user: z.string().optional(),
});
export type SlackChannel = z.output<typeof SlackChannel>;

/** A workspace member (person or bot). */
export const SlackUser = z.looseObject({
  id: z.string(),
  name: z.string(),
  real_name: z.string().optional(),
  deleted: z.boolean().optional(),
  is_bot: z.boolean().optional(),
  tz: z.string().nullable().optional(),
  profile: z
    .looseObject({
      email: z.string().nullable().optional(),
      display_name: z.string().optional(),
      real_name: z.string().optional(),
    })
    .optional(),
});
export type SlackUser = z.output<typeof SlackUser>;

/** A message. `ts` is its id within the channel. */
export const SlackMessage = z.looseObject({
  type: z.string(),
  ts: z.string(),
  text: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().nullable().optional(),
  thread_ts: z.string().optional(),
  reply_count: z.number().optional(),
  blocks: z.array(z.looseObject({ type: z.string() })).optional(),
});
export type SlackMessage = z.output<typeof SlackMessage>;

/** `next_cursor` is present only when there is more: pass it back as `cursor`. */
export const NextCursor = z.string().optional();

/*
 * Input pieces shared by several operations. Descriptions are written for agents choosing
 * arguments.
 */

export const channelId = z
  .string()
  .min(1)
  .describe('Conversation ID: C… for channels, G… for old private channels, D… for direct messages');

export const messageTs = z
  .string()
  .regex(/^\d+\.\d+$/, 'must be a Slack message timestamp like 1700000000.000100')
  .describe("A message's ts (its id within the channel), e.g. 1700000000.000100");

export const userId = z
  .string()
  .regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user ID like U0123ABCD')
  .describe('Slack user ID, e.g. U0123ABCD');

export const pageLimit = (defaultLimit: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(defaultLimit)
    .describe(
      "How many to return at most. The connector follows Slack's cursor across pages until it has this many or the list ends",
    );

export const pageCursor = z
  .string()
  .min(1)
  .optional()
  .describe('next_cursor from a previous call, to continue where it stopped');

/** Block Kit blocks: objects with a `type`; Slack checks the rest. At most 50 per message. */
export const blocks = z
  .array(z.looseObject({ type: z.string().min(1) }))
  .min(1)
  .max(50)
  .describe('Block Kit blocks (https://api.slack.com/block-kit), each an object with a "type"; at most 50');

/** Slack's limit: longer text is rejected with msg_too_long. */
export const messageText = z.string().min(1).max(40_000);
