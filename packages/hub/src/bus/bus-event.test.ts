import { describe, expect, it } from 'vitest';
import { completedEvent, eventRoutingKey, failedEvent, routingTool } from './bus-event.js';

describe('bus events', () => {
  it('route as integrations.<tool>_<status>', () => {
    expect(eventRoutingKey('github_repo_search', 'completed')).toBe(
      'integrations.github_repo_search_completed',
    );
    expect(eventRoutingKey('slack_send_message', 'failed')).toBe('integrations.slack_send_message_failed');
  });

  it("use the command's routing key suffix, else 'unknown', for a tool name a topic key cannot carry", () => {
    expect(routingTool('jira_create_issue', 'integrations.other')).toBe('jira_create_issue');
    expect(routingTool('a.b.#', 'integrations.jira_create_issue')).toBe('jira_create_issue');
    expect(routingTool(null, 'integrations.*')).toBe('unknown');
    expect(routingTool(null, 'elsewhere.tool')).toBe('unknown');
  });

  it("carry seed 002's fields", () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    const echo = { task_id: 't', step_id: 's', tool_name: 'x_y' };
    expect(completedEvent(echo, { n: 1 }, now)).toEqual({
      ...echo,
      status: 'completed',
      result: { n: 1 },
      timestamp: '2026-01-02T03:04:05.678Z',
    });
    expect(failedEvent(echo, { type: 'IntegrationAuthError', message: 'no', retryable: false }, now)).toEqual(
      {
        ...echo,
        status: 'failed',
        error: { type: 'IntegrationAuthError', message: 'no', retryable: false },
        timestamp: '2026-01-02T03:04:05.678Z',
      },
    );
  });
});
