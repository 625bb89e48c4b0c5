import {
  type FakeZendeskUser,
  ZENDESK_PRIORITIES,
  ZENDESK_STATUSES,
  type ZendeskPriority,
  type ZendeskStatus,
} from './zendesk-records.js';

/** Zendesk's `details` of a `RecordInvalid`: field → problems. */
export type ZendeskDetails = Record<string, { description: string; error: string; field_key?: string }[]>;

/** The `ticket` object of a create or update request body, before it is checked. */
export interface WireTicketInput {
  subject?: unknown;
  comment?: { body?: unknown; html_body?: unknown; public?: unknown } | null;
  priority?: unknown;
  status?: unknown;
  type?: unknown;
  requester?: { name?: unknown; email?: unknown } | null;
  requester_id?: unknown;
  assignee_id?: unknown;
  assignee_email?: unknown;
  tags?: unknown;
  custom_fields?: unknown;
}

/** A ticket request whose fields passed the checks, ready to apply. */
export interface CheckedTicketInput {
  subject?: string;
  comment?: { body: string; public: boolean };
  priority?: ZendeskPriority | null;
  status?: ZendeskStatus;
  type?: string | null;
  requester?: { email: string; name: string | undefined } | { id: number };
  assignee?: FakeZendeskUser | null;
  tags?: string[];
  customFields?: { id: number; value: unknown }[];
}

export type CheckResult = { ok: true; input: CheckedTicketInput } | { ok: false; details: ZendeskDetails };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TYPES = new Set(['problem', 'incident', 'question', 'task']);

/**
 * Checks a ticket body the way Zendesk answers it: every problem collected into `details`
 * (so one 422 names them all), messages in Zendesk's "Field: problem" form.
 * `creating` makes subject and the first comment required.
 */
export function checkTicketInput(
  raw: WireTicketInput,
  creating: boolean,
  users: {
    byId(id: number): FakeZendeskUser | undefined;
    byEmail(email: string): FakeZendeskUser | undefined;
  },
): CheckResult {
  const details: ZendeskDetails = {};
  const add = (field: string, entry: ZendeskDetails[string][number]) => {
    details[field] = [...(details[field] ?? []), entry];
  };
  const problem = (field: string, description: string, error = 'InvalidValue') =>
    add(field, { description, error });
  const input: CheckedTicketInput = {};

  if (raw.subject !== undefined || creating) {
    if (typeof raw.subject !== 'string' || raw.subject.trim() === '')
      problem('subject', 'Subject: cannot be blank', 'BlankValue');
    else input.subject = raw.subject;
  }
  if (raw.comment !== undefined || creating) {
    const body = raw.comment?.body ?? raw.comment?.html_body;
    if (typeof body !== 'string' || body.trim() === '') {
      add('base', {
        description: creating ? 'Description: cannot be blank' : 'Comment: cannot be blank',
        error: 'BlankValue',
        field_key: creating ? 'description' : 'comment',
      });
    } else {
      input.comment = { body, public: raw.comment?.public !== false };
    }
  }
  if (raw.priority !== undefined) {
    if (raw.priority === null) input.priority = null;
    else if (ZENDESK_PRIORITIES.includes(raw.priority as ZendeskPriority))
      input.priority = raw.priority as ZendeskPriority;
    else problem('priority', 'Priority: is invalid');
  }
  if (raw.status !== undefined) {
    if (ZENDESK_STATUSES.includes(raw.status as ZendeskStatus)) input.status = raw.status as ZendeskStatus;
    else problem('status', 'Status: is invalid');
  }
  if (raw.type !== undefined) {
    if (raw.type === null || TYPES.has(raw.type as string)) input.type = raw.type as string | null;
    else problem('type', 'Type: is invalid');
  }
  checkRequester(raw, input, users, problem);
  checkAssignee(raw, input, users, problem);
  if (raw.tags !== undefined) {
    if (Array.isArray(raw.tags) && raw.tags.every((t) => typeof t === 'string'))
      input.tags = [...new Set(raw.tags.map((t: string) => t.trim().toLowerCase()).filter(Boolean))];
    else problem('tags', 'Tags: must be a list of strings');
  }
  if (raw.custom_fields !== undefined) {
    const fields = raw.custom_fields;
    if (
      Array.isArray(fields) &&
      fields.every((f) => typeof f === 'object' && f !== null && Number.isInteger((f as { id?: unknown }).id))
    ) {
      input.customFields = fields.map((f: { id: number; value?: unknown }) => ({
        id: f.id,
        value: f.value ?? null,
      }));
    } else problem('custom_fields', 'Custom fields: must be a list of {id, value}');
  }
  return Object.keys(details).length > 0 ? { ok: false, details } : { ok: true, input };
}

type Problem = (field: string, description: string, error?: string) => void;

function checkRequester(
  raw: WireTicketInput,
  input: CheckedTicketInput,
  users: { byId(id: number): FakeZendeskUser | undefined },
  problem: Problem,
): void {
  if (raw.requester_id !== undefined) {
    if (Number.isInteger(raw.requester_id) && users.byId(raw.requester_id as number))
      input.requester = { id: raw.requester_id as number };
    else problem('requester', 'Requester: is invalid');
  } else if (raw.requester !== undefined && raw.requester !== null) {
    const { email, name } = raw.requester;
    if (typeof email === 'string' && EMAIL.test(email))
      input.requester = { email: email.toLowerCase(), name: typeof name === 'string' ? name : undefined };
    else problem('requester', 'Requester: Email is invalid');
  }
}

function checkAssignee(
  raw: WireTicketInput,
  input: CheckedTicketInput,
  users: {
    byId(id: number): FakeZendeskUser | undefined;
    byEmail(email: string): FakeZendeskUser | undefined;
  },
  problem: Problem,
): void {
  let assignee: FakeZendeskUser | null | undefined;
  if (raw.assignee_id !== undefined) {
    assignee = raw.assignee_id === null ? null : users.byId(raw.assignee_id as number);
  } else if (raw.assignee_email !== undefined) {
    assignee = typeof raw.assignee_email === 'string' ? users.byEmail(raw.assignee_email) : undefined;
  } else return;
  if (assignee === undefined || (assignee !== null && assignee.role === 'end-user'))
    problem('assignee', 'Assignee: is not an agent');
  else input.assignee = assignee;
}
