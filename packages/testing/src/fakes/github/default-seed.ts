import type { FakeGitHubSeed, FakeRepositorySeed } from './seed.js';

const MIT = { key: 'mit', name: 'MIT License', spdx_id: 'MIT' };

/** A small, busy repository: branches, history, labelled issues, open, draft and merged pull requests. */
function helloWorld(): FakeRepositorySeed {
  return {
    owner: 'octo-org',
    name: 'hello-world',
    description: 'My first repository on GitHub: a friendly greeting library',
    language: 'TypeScript',
    topics: ['greeting', 'demo'],
    homepage: 'https://octo-org.example/hello',
    stargazers_count: 1500,
    forks_count: 120,
    license: MIT,
    created_at: '2024-01-02T09:00:00Z',
    collaborators: ['octocat', 'monalisa', 'hubot'],
    commits: [
      {
        message: 'Initial commit',
        author: 'octocat',
        date: '2024-01-02T09:00:00Z',
        files: [{ filename: 'README.md', status: 'added', additions: 12, deletions: 0 }],
      },
      {
        message: 'Add greeting module',
        author: 'monalisa',
        date: '2024-01-05T14:30:00Z',
        files: [
          { filename: 'src/greet.ts', status: 'added', additions: 20, deletions: 0 },
          { filename: 'src/index.ts', status: 'added', additions: 5, deletions: 0 },
        ],
      },
      {
        message: 'Fix typo in README',
        author: { name: 'Drive-by Contributor', email: 'someone@example.com' },
        date: '2024-01-09T08:15:00Z',
        files: [
          {
            filename: 'README.md',
            additions: 1,
            deletions: 1,
            patch: '@@ -3,1 +3,1 @@\n-Helo, world\n+Hello, world',
          },
        ],
      },
      {
        message: 'Bump dependencies',
        author: 'hubot',
        date: '2024-01-15T03:00:00Z',
        files: [
          { filename: 'package.json', additions: 3, deletions: 3 },
          { filename: 'package-lock.json', additions: 850, deletions: 790, patch: null },
        ],
      },
      {
        message: 'Add farewell',
        author: 'monalisa',
        date: '2024-02-01T16:45:00Z',
        files: [
          { filename: 'src/farewell.ts', status: 'added', additions: 15, deletions: 0 },
          { filename: 'src/index.ts', additions: 1, deletions: 0 },
        ],
      },
      {
        message: 'Add dark mode toggle',
        author: 'defunkt',
        date: '2024-02-10T11:00:00Z',
        branch: 'feature/dark-mode',
        files: [
          { filename: 'src/theme.ts', status: 'added', additions: 40, deletions: 0 },
          { filename: 'src/index.ts', additions: 2, deletions: 0 },
        ],
      },
      {
        message: 'Dark mode: respect prefers-color-scheme',
        author: 'defunkt',
        date: '2024-02-12T10:20:00Z',
        branch: 'feature/dark-mode',
        files: [{ filename: 'src/theme.ts', additions: 8, deletions: 2 }],
      },
      {
        message: 'Release v1.1.0',
        author: 'octocat',
        date: '2024-02-20T12:00:00Z',
        files: [{ filename: 'CHANGELOG.md', status: 'added', additions: 10, deletions: 0 }],
      },
      {
        message: 'Document the API',
        author: 'monalisa',
        date: '2024-02-22T17:05:00Z',
        branch: 'docs/api',
        files: [
          { filename: 'docs/api.md', status: 'added', additions: 60, deletions: 0 },
          { filename: 'README.md', additions: 5, deletions: 1 },
        ],
      },
    ],
    branches: [{ name: 'main', protected: true }, { name: 'farewell' }],
    files: {
      'README.md': '# hello-world\n\nHello, world! A friendly greeting library.\n\nSee docs/api.md.\n',
      'CHANGELOG.md': '## 1.1.0\n\n- Add farewell\n',
      'package.json': '{\n  "name": "hello-world",\n  "version": "1.1.0"\n}\n',
      'src/index.ts': "export { greet } from './greet.js';\nexport { farewell } from './farewell.js';\n",
      'src/greet.ts': 'export function greet(name: string): string {\n  return "Hello, " + name + "!";\n}\n',
      'src/farewell.ts':
        'export function farewell(name: string): string {\n  return "Goodbye, " + name + ".";\n}\n',
      'assets/logo.png': Uint8Array.from([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x00,
      ]),
    },
    labels: [
      { name: 'bug', color: 'd73a4a', description: "Something isn't working" },
      { name: 'enhancement', color: 'a2eeef', description: 'New feature or request' },
      { name: 'documentation', color: '0075ca', description: 'Improvements or additions to documentation' },
      { name: 'good first issue', color: '7057ff', description: 'Good for newcomers' },
    ],
    milestones: [
      { title: 'v1.2', description: 'Localization and polish', due_on: '2024-06-30T07:00:00Z' },
      { title: 'v1.1', state: 'closed', description: 'Farewells' },
    ],
    issues: [
      {
        title: 'Greeting is not localized',
        body: 'Users in France see "Hello" instead of "Bonjour".',
        user: 'monalisa',
        labels: ['bug'],
        assignees: ['octocat'],
        milestone: 1,
        created_at: '2024-01-10T10:00:00Z',
        comments: [
          { user: 'octocat', body: 'Confirmed on main.', created_at: '2024-01-11T09:00:00Z' },
          { user: 'monalisa', body: 'I can take the French strings.', created_at: '2024-01-12T15:30:00Z' },
        ],
      },
      {
        title: 'Add a farewell message',
        user: 'octocat',
        labels: ['enhancement'],
        milestone: 2,
        state: 'closed',
        created_at: '2024-01-12T08:00:00Z',
        closed_at: '2024-02-01T17:00:00Z',
      },
      {
        title: 'README has a broken link',
        body: 'The link to docs/api.md is a 404.',
        user: 'hubot',
        labels: ['documentation', 'good first issue'],
        created_at: '2024-02-03T13:00:00Z',
      },
      {
        title: 'Crash when name is empty',
        body: 'greet("") throws in strict mode.',
        user: 'defunkt',
        labels: ['bug'],
        assignees: ['monalisa'],
        created_at: '2024-02-15T19:40:00Z',
      },
      {
        title: 'Support emoji in greetings',
        user: 'defunkt',
        labels: ['enhancement'],
        state: 'closed',
        state_reason: 'not_planned',
        created_at: '2024-02-18T07:30:00Z',
        closed_at: '2024-02-19T07:30:00Z',
      },
    ],
    pulls: [
      {
        title: 'Add farewell',
        body: 'Closes #2.',
        user: 'monalisa',
        head: 'farewell',
        created_at: '2024-01-30T10:00:00Z',
        merged_at: '2024-02-01T16:50:00Z',
        merged_by: 'octocat',
        files: [
          { filename: 'src/farewell.ts', status: 'added', additions: 15, deletions: 0 },
          { filename: 'src/index.ts', additions: 1, deletions: 0 },
        ],
      },
      {
        title: 'Dark mode',
        body: 'Adds a theme module and a toggle.',
        user: 'defunkt',
        head: 'feature/dark-mode',
        labels: ['enhancement'],
        requested_reviewers: ['octocat'],
        created_at: '2024-02-11T09:00:00Z',
        commits: 2,
        files: [
          { filename: 'src/theme.ts', status: 'added', additions: 48, deletions: 2 },
          { filename: 'src/index.ts', additions: 2, deletions: 0 },
          {
            filename: 'src/styles.css',
            status: 'renamed',
            previous_filename: 'src/style.css',
            additions: 3,
            deletions: 1,
          },
          { filename: 'assets/moon.png', status: 'added', additions: 0, deletions: 0, patch: null },
        ],
      },
      {
        title: 'Document the API',
        user: 'monalisa',
        head: 'docs/api',
        draft: true,
        created_at: '2024-02-23T08:00:00Z',
        files: [
          { filename: 'docs/api.md', status: 'added', additions: 60, deletions: 0 },
          { filename: 'README.md', additions: 5, deletions: 1 },
        ],
      },
    ],
  };
}

/**
 * The data a fake GitHub serves unless told otherwise: `octo-org/hello-world` (history on three
 * branches, issues with labels, assignees, milestones and comments, three pull requests with
 * files), a few more repositories for search (`octo-org/octo-cli`, `monalisa/hello-cli`, the
 * archived `defunkt/dotfiles`, and `octo-org/secret-plans`, private, visible to `octocat`).
 * A new copy on every call, so tests can change it freely.
 */
export function defaultGitHubSeed(): FakeGitHubSeed {
  return {
    users: [
      { login: 'octocat', name: 'The Octocat', email: 'octocat@github.example' },
      { login: 'monalisa', name: 'Mona Lisa Octocat' },
      { login: 'hubot', type: 'Bot' },
      { login: 'defunkt', name: 'Chris Wanstrath' },
      { login: 'octo-org', type: 'Organization' },
    ],
    repositories: [
      helloWorld(),
      {
        owner: 'octo-org',
        name: 'octo-cli',
        description: 'A command line tool for octo things',
        language: 'Go',
        topics: ['cli', 'github'],
        stargazers_count: 320,
        forks_count: 41,
        license: MIT,
        created_at: '2023-06-01T12:00:00Z',
      },
      {
        owner: 'monalisa',
        name: 'hello-cli',
        description: 'Say hello from the terminal',
        language: 'Rust',
        topics: ['cli'],
        stargazers_count: 45,
        forks_count: 3,
        created_at: '2024-03-01T12:00:00Z',
      },
      {
        owner: 'defunkt',
        name: 'dotfiles',
        description: 'My dotfiles: shell, editor and terminal settings',
        language: 'Shell',
        stargazers_count: 900,
        forks_count: 210,
        archived: true,
        created_at: '2012-04-01T12:00:00Z',
        issues: [{ title: 'Old issue', created_at: '2013-01-01T00:00:00Z' }],
      },
      {
        owner: 'octo-org',
        name: 'secret-plans',
        description: 'Internal roadmap',
        private: true,
        collaborators: ['octocat'],
        created_at: '2024-01-01T00:00:00Z',
      },
    ],
  };
}
