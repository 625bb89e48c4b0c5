import type {
  FakeJiraData,
  FakeJiraIssue,
  FakeJiraIssueType,
  FakeJiraPriority,
  FakeJiraProject,
  FakeJiraUser,
  FakeJiraWorkflow,
} from './model.js';

/** The account the fake's default credentials belong to. */
export const FAKE_JIRA_AGENT: FakeJiraUser = {
  accountId: '5b10a2844c20165700ede21g',
  displayName: 'Patchbay Agent',
  emailAddress: 'agent@acme.test',
};

const USERS: FakeJiraUser[] = [
  FAKE_JIRA_AGENT,
  { accountId: '5d53f3cbc6b9320d9ea5bdc2', displayName: 'Alice Nguyen', emailAddress: 'alice@acme.test' },
  { accountId: '60e5a86a471e61006a4b7f21', displayName: 'Bob Martin', emailAddress: 'bob@acme.test' },
  { accountId: '712020:0e3c4a1b-5d7f-4c1e-9b2a-8f6d5e4c3b2a', displayName: 'Carol Diaz' },
  {
    accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077',
    displayName: 'Automation for Jira',
    accountType: 'app',
  },
  { accountId: '5a9f1c2e3d4b5a6c7d8e9f01', displayName: 'Former Employee', active: false },
];

const ISSUE_TYPES: FakeJiraIssueType[] = [
  { id: '10000', name: 'Epic' },
  { id: '10001', name: 'Task' },
  { id: '10002', name: 'Bug' },
  { id: '10003', name: 'Story' },
  { id: '10004', name: 'Subtask', subtask: true },
];

const PRIORITIES: FakeJiraPriority[] = [
  { id: '1', name: 'Highest', rank: 1 },
  { id: '2', name: 'High', rank: 2 },
  { id: '3', name: 'Medium', rank: 3 },
  { id: '4', name: 'Low', rank: 4 },
  { id: '5', name: 'Lowest', rank: 5 },
];

/** A small software workflow: To Do → In Progress → In Review → Done, with ways back. */
const WORKFLOW: FakeJiraWorkflow = {
  initialStatus: 'To Do',
  statuses: [
    { id: '10000', name: 'To Do', category: 'new' },
    { id: '3', name: 'In Progress', category: 'indeterminate' },
    { id: '10001', name: 'In Review', category: 'indeterminate' },
    { id: '10002', name: 'Done', category: 'done' },
  ],
  transitions: [
    { id: '21', name: 'Start Progress', from: ['To Do'], to: 'In Progress' },
    { id: '11', name: 'Stop Progress', from: ['In Progress'], to: 'To Do' },
    { id: '41', name: 'Send to Review', from: ['In Progress'], to: 'In Review' },
    { id: '51', name: 'Request Changes', from: ['In Review'], to: 'In Progress' },
    { id: '31', name: 'Done', from: ['To Do', 'In Progress', 'In Review'], to: 'Done' },
    { id: '61', name: 'Reopen', from: ['Done'], to: 'To Do' },
  ],
};

const PROJECTS: FakeJiraProject[] = [
  {
    id: '10000',
    key: 'PROJ',
    name: 'Patchbay Platform',
    description: 'The integration hub itself.',
    leadAccountId: '5d53f3cbc6b9320d9ea5bdc2',
  },
  { id: '10001', key: 'MOB', name: 'Mobile App', leadAccountId: '60e5a86a471e61006a4b7f21' },
  { id: '10002', key: 'WEB', name: 'Web Frontend', leadAccountId: '60e5a86a471e61006a4b7f21' },
  {
    id: '10003',
    key: 'OPS',
    name: 'Operations',
    projectTypeKey: 'business',
    issueTypes: ['Task', 'Subtask'],
  },
  { id: '10004', key: 'PT', name: 'Platform Tools', leadAccountId: '5d53f3cbc6b9320d9ea5bdc2' },
  { id: '10005', key: 'SECRET', name: 'Secret Acquisitions', projectTypeKey: 'business' },
];

function paragraph(text: string): unknown {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

const ALICE = '5d53f3cbc6b9320d9ea5bdc2';
const BOB = '60e5a86a471e61006a4b7f21';

const ISSUES: FakeJiraIssue[] = [
  {
    id: '10100',
    key: 'PROJ-1',
    projectKey: 'PROJ',
    summary: 'Webhook retries ignore Retry-After',
    issueType: 'Bug',
    status: 'To Do',
    description: paragraph('The webhook sender retries at once after a 429.'),
    assigneeAccountId: ALICE,
    reporterAccountId: BOB,
    priority: 'High',
    labels: ['backend', 'resilience'],
    created: '2024-01-10T09:00:00.000Z',
    updated: '2024-01-12T15:30:00.000Z',
  },
  {
    id: '10101',
    key: 'PROJ-2',
    projectKey: 'PROJ',
    summary: 'Dashboard shows breaker state',
    issueType: 'Story',
    status: 'In Progress',
    description: paragraph('Show open, half-open and closed per integration.'),
    assigneeAccountId: BOB,
    reporterAccountId: ALICE,
    priority: 'Medium',
    labels: ['frontend'],
    created: '2024-02-01T10:00:00.000Z',
    updated: '2024-02-03T11:00:00.000Z',
  },
  {
    id: '10102',
    key: 'PROJ-3',
    projectKey: 'PROJ',
    summary: 'Rotate the Jira API token',
    issueType: 'Task',
    status: 'Done',
    description: null,
    assigneeAccountId: null,
    reporterAccountId: ALICE,
    priority: 'Low',
    labels: [],
    created: '2024-03-05T08:00:00.000Z',
    updated: '2024-03-06T08:00:00.000Z',
    comments: [
      {
        id: '10000',
        authorAccountId: ALICE,
        body: paragraph('Rotated on the 6th.'),
        created: '2024-03-06T08:00:00.000Z',
        updated: '2024-03-06T08:00:00.000Z',
      },
    ],
  },
  {
    id: '10103',
    key: 'PROJ-4',
    projectKey: 'PROJ',
    summary: 'Circuit breaker sticks half-open',
    issueType: 'Bug',
    status: 'In Review',
    description: paragraph('After a hanging probe, no new probe is let through.'),
    assigneeAccountId: ALICE,
    reporterAccountId: '5b10a2844c20165700ede21g',
    priority: 'Highest',
    labels: ['backend', 'resilience', 'urgent'],
    created: '2024-04-20T12:00:00.000Z',
    updated: '2024-04-21T12:00:00.000Z',
  },
  {
    id: '10104',
    key: 'PROJ-5',
    projectKey: 'PROJ',
    summary: 'Document the MCP tools',
    issueType: 'Task',
    status: 'To Do',
    description: paragraph('One page per tool, generated from the zod schemas.'),
    assigneeAccountId: '5b10a2844c20165700ede21g',
    reporterAccountId: ALICE,
    priority: 'Medium',
    labels: ['docs'],
    created: '2024-05-02T09:30:00.000Z',
    updated: '2024-05-02T09:30:00.000Z',
  },
  {
    id: '10200',
    key: 'MOB-1',
    projectKey: 'MOB',
    summary: 'Push notifications arrive twice',
    issueType: 'Bug',
    status: 'To Do',
    description: paragraph('Seen on Android 14.'),
    assigneeAccountId: BOB,
    reporterAccountId: BOB,
    priority: 'High',
    labels: ['android'],
    created: '2024-02-14T16:00:00.000Z',
    updated: '2024-02-14T16:00:00.000Z',
  },
  {
    id: '10201',
    key: 'MOB-2',
    projectKey: 'MOB',
    summary: 'Dark mode for settings',
    issueType: 'Story',
    status: 'Done',
    description: null,
    assigneeAccountId: null,
    reporterAccountId: ALICE,
    priority: 'Low',
    labels: ['ui'],
    created: '2024-01-25T10:00:00.000Z',
    updated: '2024-03-01T10:00:00.000Z',
  },
  {
    id: '10300',
    key: 'SECRET-1',
    projectKey: 'SECRET',
    summary: 'Acquire Initech',
    issueType: 'Task',
    status: 'To Do',
    description: paragraph('Board eyes only.'),
    assigneeAccountId: ALICE,
    reporterAccountId: ALICE,
    priority: 'Highest',
    labels: ['confidential'],
    created: '2024-06-01T10:00:00.000Z',
    updated: '2024-06-01T10:00:00.000Z',
  },
];

/**
 * A fresh copy of the default site: six projects (`PROJ` "Patchbay Platform", `MOB`, `WEB`,
 * `OPS`, `PT` "Platform Tools", `SECRET`), six users (one an app, one inactive), eight issues,
 * five issue types, five priorities and one workflow.
 */
export function defaultJiraData(): FakeJiraData {
  return structuredClone({
    users: USERS,
    projects: PROJECTS,
    issues: ISSUES,
    issueTypes: ISSUE_TYPES,
    priorities: PRIORITIES,
    workflow: WORKFLOW,
  });
}
