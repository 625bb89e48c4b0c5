export { type FakeZendesk, type FakeZendeskOptions, startFakeZendesk } from './fake-zendesk.js';
export type {
  FakeZendeskComment,
  FakeZendeskSeedTicket,
  FakeZendeskTicket,
  FakeZendeskUser,
  ZendeskPriority,
  ZendeskStatus,
} from './zendesk-records.js';
