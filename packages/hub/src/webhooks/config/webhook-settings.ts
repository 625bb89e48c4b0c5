import { z } from 'zod';
import { standardWebhookKey } from '../signatures/standard-webhooks.js';

/** Source and subscriber names: they appear in URLs, routing keys and metric labels. */
export const WebhookName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, _ or -, starting with a letter');

/** An RFC 6901 JSON Pointer into the payload, e.g. `/data/object/id`. */
const Pointer = z.string().regex(/^(\/[^/]*)*$/, 'must be a JSON Pointer such as /data/id');

export const SIGNATURE_SCHEMES = ['github', 'slack', 'standard', 'stripe', 'hmac', 'none'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

export const BUILTIN_TRANSFORMS = ['github', 'slack', 'stripe', 'standard', 'transactions', 'raw'] as const;
export type BuiltinTransform = (typeof BUILTIN_TRANSFORMS)[number];

export const GenericHmacSchema = z.strictObject({
  /** @default 'x-signature' */
  header: z.string().min(1).default('x-signature'),
  algorithm: z.enum(['sha256', 'sha512', 'sha1']).default('sha256'),
  encoding: z.enum(['hex', 'base64']).default('hex'),
  /** @example 'sha256=' */
  prefix: z.string().default(''),
  /** What is signed, in order, joined by `separator`. @default ['body'] */
  parts: z
    .array(z.enum(['method', 'path', 'timestamp', 'body']))
    .min(1)
    .default(['body']),
  separator: z.string().default('\n'),
  /** Needed when `parts` include `timestamp`. */
  timestampHeader: z.string().min(1).optional(),
});

/** A payload-to-event mapping for sources without a built-in transformation. */
export const MappingSchema = z
  .strictObject({
    /** Pointer to the event type, e.g. `/event`. */
    type: Pointer.optional(),
    /** A fixed event type, when the payload does not carry one. */
    typeValue: z.string().min(1).optional(),
    /** Pointer to the event id. @default the delivery id */
    id: Pointer.optional(),
    /** Pointer to an ISO-8601 time or Unix seconds. @default the time of receipt */
    occurredAt: Pointer.optional(),
    /** Pointer to the part of the payload that becomes `data`. @default the whole payload */
    data: Pointer.optional(),
  })
  .refine((m) => (m.type === undefined) !== (m.typeValue === undefined), {
    message: 'give exactly one of type (a pointer) and typeValue (a fixed type)',
  });

/**
 * One webhook source: how it is verified and how its payload becomes a {@link NormalizedEvent}.
 * Secrets are write-only through the API and sealed at rest.
 */
export const SourceSettingsSchema = z
  .strictObject({
    verify: z.enum(SIGNATURE_SCHEMES),
    /** Signing secrets; several during a rotation (any one verifies). Not for `verify: none`. */
    secrets: z.array(z.string().min(1)).min(1).max(5).optional(),
    /** For `verify: hmac`. */
    hmac: GenericHmacSchema.optional(),
    /** How far a signed timestamp may be from now. @default 300 */
    toleranceSeconds: z.int().min(1).max(86_400).default(300),
    /**
     * A built-in transformation, the name of a TS transformation given to the runtime, or a
     * mapping. @default the one named like `verify` (github, slack, stripe, standard), else `raw`
     */
    transform: z.union([z.string().min(1), MappingSchema]).optional(),
    /** Where `hmac`/`none` sources carry their delivery id. @default a SHA-256 of the body */
    deliveryId: z
      .strictObject({ header: z.string().min(1).optional(), pointer: Pointer.optional() })
      .optional(),
    /** For the `raw` transformation: a header naming the event type. */
    typeHeader: z.string().min(1).optional(),
    /** Larger bodies get 413. @default the webhooks' `maxBodyBytes` (1 MiB) */
    maxBodyBytes: z
      .int()
      .min(1)
      .max(64 * 1024 * 1024)
      .optional(),
    enabled: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    if (s.verify === 'none' && s.secrets !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['secrets'],
        message: 'an unsigned source (verify: none) has no secrets',
      });
    }
    if (s.verify === 'hmac' && s.hmac === undefined) {
      ctx.addIssue({ code: 'custom', path: ['hmac'], message: 'verify: hmac needs the hmac settings' });
    }
    if (s.verify !== 'hmac' && s.hmac !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['hmac'], message: 'hmac settings are only for verify: hmac' });
    }
    if (s.hmac?.parts.includes('timestamp') && !s.hmac.timestampHeader) {
      ctx.addIssue({
        code: 'custom',
        path: ['hmac', 'timestampHeader'],
        message: 'needed when parts include timestamp',
      });
    }
    if (s.verify === 'standard') {
      for (const [index, secret] of (s.secrets ?? []).entries()) {
        try {
          standardWebhookKey(secret);
        } catch (error) {
          ctx.addIssue({ code: 'custom', path: ['secrets', index], message: (error as Error).message });
        }
      }
    }
  });

export type SourceSettings = z.output<typeof SourceSettingsSchema>;
export type SourceSettingsInput = z.input<typeof SourceSettingsSchema>;
export type Mapping = z.output<typeof MappingSchema>;

/** A Standard Webhooks secret (`whsec_<base64>`), checked to decode. */
export const SubscriberSecret = z.string().superRefine((secret, ctx) => {
  try {
    standardWebhookKey(secret);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** Event-type patterns matched against `<source>.<type>`; `*` matches any run of characters. */
export const EventTypePatterns = z.array(z.string().min(1).max(200)).min(1).max(100);

export const SubscriberUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** One subscriber as the config file lists it. */
export const SubscriberSchema = z.strictObject({
  name: WebhookName,
  url: SubscriberUrl,
  /** @default ['*'] (everything) */
  eventTypes: EventTypePatterns.default(['*']),
  /** One secret, or two during a rotation (every message is signed with each). */
  secrets: z.array(SubscriberSecret).min(1).max(2),
  enabled: z.boolean().default(true),
});

export type SubscriberSettings = z.output<typeof SubscriberSchema>;

/** A cache invalidation rule: an event of this type drops one operation's cached read. */
export const InvalidationRuleSchema = z.strictObject({
  /** Event-type pattern. @example 'transaction.updated' */
  type: z.string().min(1),
  /** Source-name pattern. @default '*' */
  source: z.string().min(1).default('*'),
  integration: z.string().min(1),
  operation: z.string().min(1),
  /** The operation's input: each field from the first pointer (into `data`) that holds a value. */
  input: z.record(z.string(), z.array(Pointer).min(1)),
});

export type InvalidationRule = z.output<typeof InvalidationRuleSchema>;

/** Seed 004: a transaction-updated event drops that transaction's cached status. */
export const TRANSACTION_STATUS_RULE: InvalidationRule = {
  type: 'transaction.updated',
  source: '*',
  integration: 'transactions',
  operation: 'get_transaction_status',
  input: { transactionId: ['/transaction_id', '/transactionId', '/transaction/id', '/id'] },
};

const RetrySchema = z.strictObject({
  maxAttempts: z.int().min(1).max(100).optional(),
  initialDelayMs: z.int().min(1).optional(),
  maxDelayMs: z.int().min(1).optional(),
});

/** The config file's `webhooks:` section. */
export const WebhooksSectionSchema = z.strictObject({
  sources: z.record(WebhookName, SourceSettingsSchema).default({}),
  subscribers: z.array(SubscriberSchema).default([]),
  /** @default [the seed 004 rule: transaction.updated drops transactions.get_transaction_status] */
  invalidations: z.array(InvalidationRuleSchema).optional(),
  /** Largest body any source accepts. @default 1048576 */
  maxBodyBytes: z
    .int()
    .min(1)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  processing: RetrySchema.default({}),
  delivery: RetrySchema.extend({ timeoutMs: z.int().min(100).max(120_000).optional() }).default({}),
});

export type WebhooksSection = z.output<typeof WebhooksSectionSchema>;
