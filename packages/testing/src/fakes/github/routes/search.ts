import { validationFailed } from '../errors.js';
import { fullName, type RepositoryRecord } from '../model.js';
import { pageOf } from '../paging.js';
import { repository } from '../wire/repository.js';
import { canSee, type GitHubRoute, queryParam } from './context.js';

const DOCS = 'https://docs.github.com/rest/search/search#search-repositories';

/**
 * `GET /search/repositories`: every bare word of `q` must appear in the name, description or
 * topics; the qualifiers `user:`, `org:`, `language:`, `topic:`, `archived:` and `is:public|private`
 * filter as on GitHub. Best match first unless `sort` says stars, forks or updated.
 */
export const searchRoutes: GitHubRoute[] = [
  {
    method: 'GET',
    path: '/search/repositories',
    resource: 'search',
    handle(ctx, request) {
      const q = queryParam(request, 'q')?.trim();
      if (!q) {
        return validationFailed([{ resource: 'Search', field: 'q', code: 'missing' }], DOCS);
      }
      const matcher = compileQuery(q);
      const scored = ctx.world.repositories
        .filter((repo) => canSee(ctx, repo) && matcher.matches(repo))
        .map((repo) => ({ repo, score: matcher.score(repo) }));
      const order = queryParam(request, 'order') === 'asc' ? 1 : -1;
      const sort = queryParam(request, 'sort');
      const key: (r: RepositoryRecord) => number =
        sort === 'stars'
          ? (r) => r.stargazers_count
          : sort === 'forks'
            ? (r) => r.forks_count
            : sort === 'updated'
              ? (r) => Date.parse(r.updated_at)
              : () => 0;
      scored.sort((a, b) => order * (key(a.repo) - key(b.repo)) || b.score - a.score);
      const page = pageOf(scored, request, ctx.origin);
      return {
        status: 200,
        json: {
          total_count: scored.length,
          incomplete_results: false,
          items: page.items.map(({ repo, score }) => ({ ...repository(ctx.hosts, ctx.world, repo), score })),
        },
        ...(page.link ? { headers: { link: page.link } } : {}),
      };
    },
  },
];

interface QueryMatcher {
  matches(repo: RepositoryRecord): boolean;
  score(repo: RepositoryRecord): number;
}

function compileQuery(q: string): QueryMatcher {
  const words: string[] = [];
  const filters: ((repo: RepositoryRecord) => boolean)[] = [];
  for (const token of q.split(/\s+/)) {
    const [qualifier, value] = token.includes(':') ? (token.split(':', 2) as [string, string]) : ['', token];
    const v = value.toLowerCase();
    switch (qualifier.toLowerCase()) {
      case '':
        words.push(v);
        break;
      case 'user':
      case 'org':
        filters.push((r) => r.owner.toLowerCase() === v);
        break;
      case 'repo':
        filters.push((r) => fullName(r).toLowerCase() === v);
        break;
      case 'language':
        filters.push((r) => r.language?.toLowerCase() === v);
        break;
      case 'topic':
        filters.push((r) => r.topics.some((t) => t.toLowerCase() === v));
        break;
      case 'archived':
        filters.push((r) => r.archived === (v === 'true'));
        break;
      case 'is':
        filters.push((r) => (v === 'private' ? r.private : v === 'public' ? !r.private : true));
        break;
      case 'in':
        break;
      default:
        words.push(token.toLowerCase());
    }
  }
  const haystack = (r: RepositoryRecord) =>
    [r.name, fullName(r), r.description ?? '', ...r.topics].join(' ').toLowerCase();
  return {
    matches: (repo) => filters.every((f) => f(repo)) && words.every((w) => haystack(repo).includes(w)),
    // A word in the name counts more than one in the description, as GitHub's best match does.
    score: (repo) => words.reduce((n, w) => n + (repo.name.toLowerCase().includes(w) ? 10 : 1), 1),
  };
}
