import {
  type FakeZendeskTicket,
  type FakeZendeskUser,
  ZENDESK_STATUSES,
  type ZendeskStatus,
} from './zendesk-records.js';

/**
 * A subset of Zendesk's search syntax, enough for tests: `type:ticket`, `status:open`,
 * `status<solved` / `status>new` (Zendesk's status order), `priority:high`, `tags:vip` (or `tag:`),
 * `requester:<email>`, `assignee:<email>` / `assignee:none`, `subject:"two words"`, a leading `-`
 * to negate a term, and free text (quoted phrases too) matched, case-insensitively, against the
 * subject and every comment. A keyword it does not know matches nothing.
 */
export function ticketMatcher(
  query: string,
  userById: (id: number) => FakeZendeskUser | undefined,
): (ticket: FakeZendeskTicket) => boolean {
  const terms: ((t: FakeZendeskTicket) => boolean)[] = [];
  const pattern = /(-?)([a-z_]+)([:<>])("[^"]*"|\S+)|(-?)"([^"]*)"|(-?)(\S+)/gi;
  for (const m of query.matchAll(pattern)) {
    if (m[2] !== undefined) {
      const term = keywordTerm(m[2].toLowerCase(), m[3] as ':' | '<' | '>', unquote(m[4] ?? ''), userById);
      terms.push(m[1] ? (t) => !term(t) : term);
    } else {
      const negate = Boolean(m[5] || m[7]);
      const text = (m[6] ?? m[8] ?? '').toLowerCase();
      const term = (t: FakeZendeskTicket) =>
        t.subject.toLowerCase().includes(text) || t.comments.some((c) => c.body.toLowerCase().includes(text));
      terms.push(negate ? (t) => !term(t) : term);
    }
  }
  return (ticket) => terms.every((term) => term(ticket));
}

function keywordTerm(
  keyword: string,
  operator: ':' | '<' | '>',
  value: string,
  userById: (id: number) => FakeZendeskUser | undefined,
): (t: FakeZendeskTicket) => boolean {
  const wanted = value.toLowerCase();
  const email = (id: number | null) => (id === null ? 'none' : (userById(id)?.email ?? ''));
  switch (keyword) {
    case 'type':
      return () => wanted === 'ticket';
    case 'status': {
      const rank = ZENDESK_STATUSES.indexOf(wanted as ZendeskStatus);
      if (operator === '<') return (t) => ZENDESK_STATUSES.indexOf(t.status) < rank;
      if (operator === '>') return (t) => ZENDESK_STATUSES.indexOf(t.status) > rank;
      return (t) => t.status === wanted;
    }
    case 'priority':
      return (t) => (t.priority ?? 'none') === wanted;
    case 'tags':
    case 'tag':
      return (t) => t.tags.includes(wanted);
    case 'requester':
      return (t) => email(t.requester_id) === wanted;
    case 'assignee':
      return (t) => email(t.assignee_id) === wanted;
    case 'subject':
      return (t) => t.subject.toLowerCase().includes(wanted);
    default:
      return () => false;
  }
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
}
