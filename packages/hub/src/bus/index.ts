// The RabbitMQ command bus (seed 002): commands in from `commands.exchange`, outcomes out to
// `events.exchange`. Every export is named here.
export {
  type BusEvent,
  type BusEventError,
  eventRoutingKey,
} from './bus-event.js';
export type { CommandOutcome, PublishKind } from './bus-metrics.js';
export { BusPublishError } from './bus-session.js';
export {
  type CommandBus,
  type CommandBusOptions,
  type CommandBusState,
  type CommandBusStatus,
  redactAmqpUrl,
  startCommandBus,
} from './command-bus.js';
export { ATTEMPT_HEADER, DEAD_LETTER_HEADERS } from './command-handler.js';
export { type Command, CommandSchema } from './command-message.js';
export type { ReconnectOptions } from './reconnect-delay.js';
export { planRetry, type RetryDecision } from './retry-plan.js';
export { type BusTopology, busTopology, DEFAULT_QUEUE, retryQueueName } from './topology.js';
