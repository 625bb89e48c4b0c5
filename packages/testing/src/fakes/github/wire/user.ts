import { nodeId, type UserRecord } from '../model.js';

/** Where the fake's API and web pages live (`apiUrl` carries an Enterprise `/api/v3`). */
export interface Hosts {
  /** e.g. `http://127.0.0.1:4123/api/v3` (no trailing slash). */
  api: string;
  /** e.g. `http://127.0.0.1:4123` (no trailing slash). */
  html: string;
}

/** GitHub's `simple-user`: what every `user`, `owner`, `assignee` and `author` field holds. */
export function simpleUser(hosts: Hosts, user: UserRecord): Record<string, unknown> {
  const api = `${hosts.api}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Organization' ? 'Organization' : 'User', user.id),
    avatar_url: `${hosts.html}/avatars/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${hosts.html}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}
