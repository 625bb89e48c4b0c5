import type { SlackMethodTable } from '../method.js';

export const authMethods: SlackMethodTable = {
  'auth.test': {
    acceptsJson: true,
    run(_args, { ws }) {
      return {
        url: `https://${ws.team.domain}.slack.com/`,
        team: ws.team.name,
        user: ws.bot.name,
        team_id: ws.team.id,
        user_id: ws.bot.userId,
        bot_id: ws.bot.botId,
        is_enterprise_install: false,
      };
    },
  },
};
