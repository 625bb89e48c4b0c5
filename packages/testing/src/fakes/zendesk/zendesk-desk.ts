import {
  type FakeZendeskComment,
  type FakeZendeskSeedTicket,
  type FakeZendeskTicket,
  type FakeZendeskUser,
  zendeskTimestamp,
} from './zendesk-records.js';
import {
  type CheckedTicketInput,
  checkTicketInput,
  type WireTicketInput,
  type ZendeskDetails,
} from './zendesk-validation.js';

/** One event of an audit, as Zendesk lists them. */
export type AuditEvent =
  | { id: number; type: 'Comment'; author_id: number; body: string; public: boolean }
  | { id: number; type: 'Create' | 'Change'; field_name: string; value: unknown; previous_value?: unknown };

export interface Audit {
  id: number;
  ticket_id: number;
  created_at: string;
  author_id: number;
  events: AuditEvent[];
}

export type Mutation =
  | { ok: true; ticket: FakeZendeskTicket; audit: Audit }
  | { ok: false; status: 404 }
  | { ok: false; status: 422; details: ZendeskDetails };

/**
 * The fake's help desk: users, tickets and their comments, changed only through the same checks
 * the HTTP routes apply. Ids are deterministic (tickets from 1, comments from 5001), so tests can
 * name them.
 */
export class ZendeskDesk {
  readonly #users = new Map<number, FakeZendeskUser>();
  readonly #tickets = new Map<number, FakeZendeskTicket>();
  #nextTicket = 1;
  #nextComment = 5001;
  #nextAudit = 9001;
  #nextUser = 2001;
  #nextEvent = 70001;
  readonly apiUser: FakeZendeskUser;

  constructor(apiEmail: string) {
    this.apiUser = { id: 1000, name: 'API User', email: apiEmail.toLowerCase(), role: 'admin' };
    this.#users.set(1000, this.apiUser);
    this.#users.set(1001, { id: 1001, name: 'Ada Agent', email: 'agent@example.com', role: 'agent' });
  }

  get tickets(): FakeZendeskTicket[] {
    return [...this.#tickets.values()];
  }

  ticket(id: number): FakeZendeskTicket | undefined {
    return this.#tickets.get(id);
  }

  userById = (id: number): FakeZendeskUser | undefined => this.#users.get(id);

  userByEmail = (email: string): FakeZendeskUser | undefined => {
    const wanted = email.toLowerCase();
    for (const user of this.#users.values()) if (user.email === wanted) return user;
    return undefined;
  };

  /** Adds a ticket directly (no HTTP), for a test's starting state. */
  seed(seed: FakeZendeskSeedTicket): FakeZendeskTicket {
    const requester = this.#requester(seed.requesterEmail ?? 'customer@example.com', undefined);
    const assignee = seed.assigneeEmail === undefined ? undefined : this.userByEmail(seed.assigneeEmail);
    if (seed.assigneeEmail !== undefined && (!assignee || assignee.role === 'end-user')) {
      throw new TypeError(`seed assignee ${seed.assigneeEmail} is not an agent of the fake`);
    }
    const now = zendeskTimestamp();
    const ticket = this.#insert({
      subject: seed.subject,
      status: seed.status ?? 'open',
      priority: seed.priority === undefined ? 'normal' : seed.priority,
      type: null,
      requester_id: requester.id,
      submitter_id: requester.id,
      assignee_id: assignee?.id ?? null,
      tags: seed.tags ?? [],
      custom_fields: Object.entries(seed.customFields ?? {}).map(([id, value]) => ({
        id: Number(id),
        value,
      })),
      created_at: now,
      updated_at: now,
    });
    this.#comment(ticket, requester.id, seed.description, true, this.#nextAudit++);
    for (const c of seed.comments ?? []) {
      const author = c.authorEmail === undefined ? requester : this.#requester(c.authorEmail, undefined);
      this.#comment(ticket, author.id, c.body, c.public !== false, this.#nextAudit++);
    }
    return ticket;
  }

  create(raw: WireTicketInput): Mutation {
    const checked = checkTicketInput(raw, true, { byId: this.userById, byEmail: this.userByEmail });
    if (!checked.ok) return { ok: false, status: 422, details: checked.details };
    const input = checked.input;
    const requester = this.#resolveRequester(input);
    const now = zendeskTimestamp();
    const assignee = input.assignee ?? null;
    const ticket = this.#insert({
      subject: input.subject as string,
      // Zendesk opens a ticket that has an assignee; otherwise it starts as new.
      status: input.status ?? (assignee ? 'open' : 'new'),
      priority: input.priority ?? null,
      type: input.type ?? null,
      requester_id: requester.id,
      submitter_id: this.apiUser.id,
      assignee_id: assignee?.id ?? null,
      tags: input.tags ?? [],
      custom_fields: input.customFields ?? [],
      created_at: now,
      updated_at: now,
    });
    const audit = this.#audit(ticket);
    const comment = input.comment as { body: string; public: boolean };
    audit.events.push(this.#comment(ticket, this.apiUser.id, comment.body, comment.public, audit.id));
    for (const field of ['subject', 'status', 'priority', 'assignee_id', 'requester_id'] as const) {
      audit.events.push({ id: this.#nextEvent++, type: 'Create', field_name: field, value: ticket[field] });
    }
    return { ok: true, ticket, audit };
  }

  update(id: number, raw: WireTicketInput): Mutation {
    const ticket = this.#tickets.get(id);
    if (!ticket) return { ok: false, status: 404 };
    if (ticket.status === 'closed') {
      return {
        ok: false,
        status: 422,
        details: {
          status: [{ description: 'Status: closed prevents ticket update', error: 'ClosedPreventsUpdate' }],
        },
      };
    }
    const checked = checkTicketInput(raw, false, { byId: this.userById, byEmail: this.userByEmail });
    if (!checked.ok) return { ok: false, status: 422, details: checked.details };
    const input = checked.input;
    const audit = this.#audit(ticket);
    const change = <K extends 'subject' | 'status' | 'priority' | 'type' | 'assignee_id' | 'tags'>(
      field: K,
      value: FakeZendeskTicket[K] | undefined,
    ) => {
      if (value === undefined || JSON.stringify(ticket[field]) === JSON.stringify(value)) return;
      audit.events.push({
        id: this.#nextEvent++,
        type: 'Change',
        field_name: field,
        value,
        previous_value: ticket[field],
      });
      ticket[field] = value;
    };
    change('subject', input.subject);
    change('priority', input.priority);
    change('type', input.type);
    change('tags', input.tags);
    if (input.assignee !== undefined) {
      change('assignee_id', input.assignee?.id ?? null);
      if (input.assignee && ticket.status === 'new' && input.status === undefined) change('status', 'open');
    }
    change('status', input.status);
    if (input.customFields) mergeCustomFields(ticket, input.customFields);
    if (input.comment) {
      audit.events.push(
        this.#comment(ticket, this.apiUser.id, input.comment.body, input.comment.public, audit.id),
      );
    }
    ticket.updated_at = zendeskTimestamp();
    return { ok: true, ticket, audit };
  }

  #insert(fields: Omit<FakeZendeskTicket, 'id' | 'comments'>): FakeZendeskTicket {
    const ticket: FakeZendeskTicket = { id: this.#nextTicket++, ...fields, comments: [] };
    this.#tickets.set(ticket.id, ticket);
    return ticket;
  }

  #audit(ticket: FakeZendeskTicket): Audit {
    return {
      id: this.#nextAudit++,
      ticket_id: ticket.id,
      created_at: zendeskTimestamp(),
      author_id: this.apiUser.id,
      events: [],
    };
  }

  #comment(
    ticket: FakeZendeskTicket,
    authorId: number,
    body: string,
    isPublic: boolean,
    auditId: number,
  ): AuditEvent {
    const comment: FakeZendeskComment = {
      id: this.#nextComment++,
      author_id: authorId,
      body,
      public: isPublic,
      audit_id: auditId,
      created_at: zendeskTimestamp(),
    };
    ticket.comments.push(comment);
    return { id: comment.id, type: 'Comment', author_id: authorId, body, public: isPublic };
  }

  #resolveRequester(input: CheckedTicketInput): FakeZendeskUser {
    const wanted = input.requester;
    if (wanted === undefined) return this.apiUser;
    if ('id' in wanted) return this.#users.get(wanted.id) as FakeZendeskUser;
    return this.#requester(wanted.email, wanted.name);
  }

  /** Zendesk creates an end user for a requester email it has not seen. */
  #requester(email: string, name: string | undefined): FakeZendeskUser {
    const known = this.userByEmail(email);
    if (known) return known;
    const user: FakeZendeskUser = {
      id: this.#nextUser++,
      name: name ?? email.split('@')[0] ?? email,
      email: email.toLowerCase(),
      role: 'end-user',
    };
    this.#users.set(user.id, user);
    return user;
  }
}

function mergeCustomFields(ticket: FakeZendeskTicket, fields: { id: number; value: unknown }[]): void {
  for (const field of fields) {
    const existing = ticket.custom_fields.find((f) => f.id === field.id);
    if (existing) existing.value = field.value;
    else ticket.custom_fields.push({ ...field });
  }
}
