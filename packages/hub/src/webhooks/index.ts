// The hub's webhook side: receive (verified, durable, deduplicated), process (transform, invalidate,
// publish, stream), deliver (signed, durable outbox, retries, breaker, dead letters).

export {
  EventsQuery,
  LogsQuery,
  OutboxQuery,
  SourceBody,
  SubscriberBody,
  TestBody,
  WEBHOOK_ADMIN_ROUTES,
} from './admin/admin-schemas.js';
export type { TestReport, TestStep } from './admin/test-delivery.js';
export { type LoadWebhooksConfigOptions, loadWebhooksConfig } from './config/load-webhooks-config.js';
export {
  type InvalidationRule,
  InvalidationRuleSchema,
  type SourceSettings,
  SourceSettingsSchema,
  SubscriberSchema,
  type SubscriberSettings,
  TRANSACTION_STATUS_RULE,
  type WebhooksSection,
  WebhooksSectionSchema,
} from './config/webhook-settings.js';
export { WEBHOOK_DLQ_INTEGRATION, type WebhookLetterInput } from './dead-letters.js';
export { outboundBody } from './deliver/outbox-dispatcher.js';
export { integrationHostInvalidator, slackSigningSecretFrom } from './integrations.js';
export type { WebhookMetrics } from './metrics.js';
export { messageIdFor, type ProcessReport, routingKeyFor } from './process/processor.js';
export { DELIVERY_RETRY, PROCESSING_RETRY, type RetryPlan } from './process/retry-plan.js';
export type { ReceiptAnswer } from './receive/receiver.js';
export { RECEIVER_ROUTES } from './receive/receiver-routes.js';
export type { Rejection } from './receive/rejections.js';
export { isWebhookDeadLetter, replayWebhookDeadLetter } from './replay.js';
export {
  createWebhooks,
  type WebhookRuntime,
  type WebhookRuntimeOptions,
  type WebhookTimings,
} from './runtime.js';
export { signSlack } from './signatures/slack.js';
export {
  generateStandardWebhookSecret,
  signStandardWebhook,
  verifyStandardWebhook,
} from './signatures/standard-webhooks.js';
export type { RejectionReason, SignedRequest, Verification } from './signatures/verification.js';
export { verifySource } from './signatures/verify-source.js';
export type { TransformInput, TransformOutput, WebhookTransform } from './transform/transforms.js';
export type { CacheInvalidator, EventPublisher, NormalizedEvent } from './types.js';
