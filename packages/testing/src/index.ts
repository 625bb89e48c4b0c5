export { type Blackhole, startBlackhole } from './blackhole.js';
export { type FakeUpstream, type FakeUpstreamOptions, startFakeUpstream } from './fake-upstream.js';
export { type LogSink, logSink } from './log-sink.js';
export { rejectionOf } from './rejection.js';
export { type RateLimitedOptions, reply } from './reply.js';
export { isReachable, requireService, type ServiceKind, type ServiceStatus, serviceUrl } from './services.js';
export type { FakeMethod, FakeResponse, RecordedRequest, Responder } from './types.js';
