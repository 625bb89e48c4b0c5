/** Ticket statuses in Zendesk's own order (search's `status<solved` compares by it). */
export const ZENDESK_STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export type ZendeskStatus = (typeof ZENDESK_STATUSES)[number];

export const ZENDESK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type ZendeskPriority = (typeof ZENDESK_PRIORITIES)[number];

/** A user the fake knows: the API user, agents, and requesters it created on the fly. */
export interface FakeZendeskUser {
  id: number;
  name: string;
  email: string;
  role: 'admin' | 'agent' | 'end-user';
}

/** One comment of a ticket, as the fake stores it. */
export interface FakeZendeskComment {
  id: number;
  author_id: number;
  body: string;
  public: boolean;
  audit_id: number;
  created_at: string;
}

/** One ticket, as the fake stores it; the first comment is its description. */
export interface FakeZendeskTicket {
  id: number;
  subject: string;
  status: ZendeskStatus;
  priority: ZendeskPriority | null;
  type: string | null;
  requester_id: number;
  submitter_id: number;
  assignee_id: number | null;
  tags: string[];
  custom_fields: { id: number; value: unknown }[];
  created_at: string;
  updated_at: string;
  comments: FakeZendeskComment[];
}

/** What a test seeds: a ticket by its readable parts. */
export interface FakeZendeskSeedTicket {
  subject: string;
  description: string;
  /** @default 'open' */
  status?: ZendeskStatus;
  /** @default 'normal' */
  priority?: ZendeskPriority | null;
  /** Created as an end user when unknown. @default 'customer@example.com' */
  requesterEmail?: string;
  /** Must be an agent the fake knows (the API user or `agent@example.com`). */
  assigneeEmail?: string;
  tags?: string[];
  /** Custom field values by field id. */
  customFields?: Record<number, unknown>;
  /** More comments after the description. */
  comments?: { body: string; public?: boolean; authorEmail?: string }[];
}

/** Zendesk writes timestamps to the second, with a `Z`. */
export function zendeskTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
