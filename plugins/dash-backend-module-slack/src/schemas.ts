import { z } from 'zod';

/**
 * The parts of Slack Web API answers the source reads; the rest is ignored. An answer without
 * what a method must carry is rejected (the source reports `error`); a single message without
 * its `ts` is skipped.
 */

const ts = z.string().regex(/^\d+\.\d+$/);

export const reactionSchema = z.object({
  name: z.string(),
  count: z.number().nullish(),
  users: z.array(z.string()).nullish(),
});

export const messageSchema = z.object({
  type: z.string().nullish(),
  subtype: z.string().nullish(),
  ts,
  user: z.string().nullish(),
  username: z.string().nullish(),
  bot_id: z.unknown().optional(),
  text: z.string().nullish(),
  thread_ts: z.string().nullish(),
  reply_count: z.number().nullish(),
  latest_reply: z.string().nullish(),
  pinned_to: z.array(z.string()).nullish(),
  reactions: z.array(reactionSchema).nullish(),
  permalink: z.string().nullish(),
});
export type SlackMessage = z.infer<typeof messageSchema>;

/** Parses each message on its own, keeping the good ones and counting the rest. */
const messages = z.array(z.unknown()).transform(values => {
  const items: SlackMessage[] = [];
  let dropped = 0;
  for (const v of values) {
    const parsed = messageSchema.safeParse(v);
    if (parsed.success) items.push(parsed.data);
    else dropped += 1;
  }
  return { items, dropped };
});

const responseMetadata = z
  .object({ next_cursor: z.string().nullish() })
  .nullish();

export const historySchema = z.object({
  messages,
  has_more: z.boolean().nullish(),
  response_metadata: responseMetadata,
});

export const pinsSchema = z.object({
  items: z.array(
    z.object({
      type: z.string().nullish(),
      created: z.number().nullish(),
      created_by: z.string().nullish(),
      channel: z.string().nullish(),
      message: z.unknown().optional(),
    }),
  ),
});

export const userInfoSchema = z.object({
  user: z.object({
    id: z.string(),
    name: z.string().nullish(),
    real_name: z.string().nullish(),
    deleted: z.boolean().nullish(),
    profile: z
      .object({
        real_name: z.string().nullish(),
        display_name: z.string().nullish(),
      })
      .nullish(),
  }),
});

export const permalinkSchema = z.object({
  permalink: z.string(),
});

export const channelListSchema = z.object({
  channels: z.array(z.object({ id: z.string(), name: z.string().nullish() })),
  response_metadata: responseMetadata,
});

export { messages as messageListSchema };
