import type { SlackMethodTable } from '../method.js';
import { renderUser } from '../render.js';
import { paginate, required } from '../wire.js';

export const userMethods: SlackMethodTable = {
  'users.info': {
    acceptsJson: false,
    run(args, { ws }) {
      return { user: renderUser(ws.user(required(args, 'user', 'user_not_found')), ws) };
    },
  },

  'users.list': {
    acceptsJson: false,
    run(args, { ws, pageSize }) {
      const page = paginate(ws.users, args, 1000, pageSize);
      return {
        members: page.items.map((u) => renderUser(u, ws)),
        cache_ts: Math.floor(Date.now() / 1000),
        response_metadata: { next_cursor: page.nextCursor },
      };
    },
  },

  'users.lookupByEmail': {
    acceptsJson: false,
    run(args, { ws }) {
      return { user: renderUser(ws.userByEmail(required(args, 'email', 'users_not_found')), ws) };
    },
  },
};
