export type {
  CallResult,
  CircuitState,
  StateChangeReason,
  TransitionDetail,
  TransitionListener,
} from './breaker-core.js';
export {
  type BreakerCallContext,
  CircuitBreaker,
  type CircuitBreakerOptions,
  createCircuitBreaker,
} from './circuit-breaker.js';
export { circuitBreakerPolicy } from './circuit-breaker-policy.js';
export { defaultIsFailure } from './is-failure.js';
export {
  CIRCUIT_BREAKER_DEFAULTS,
  type CircuitBreakerConfig,
  type ResolvedBreakerConfig,
  resolveBreakerConfig,
} from './options.js';
