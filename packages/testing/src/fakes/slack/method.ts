import type { SlackArgs } from './wire.js';
import type { SlackWorkspace } from './workspace.js';

/** What a method sees besides its arguments. */
export interface SlackMethodContext {
  ws: SlackWorkspace;
  /** Most entries one page holds, whatever `limit` asked for. */
  pageSize: number;
}

/** One Web API method of the fake. */
export interface SlackMethod {
  /**
   * Whether Slack reads a JSON body for this method. Write methods do; most read methods take
   * only the query string or a form, and Slack ignores a JSON body sent to them.
   */
  acceptsJson: boolean;
  /** The success body without `ok` (added by the dispatcher). Throws `SlackMethodError` to fail. */
  run(args: SlackArgs, ctx: SlackMethodContext): Record<string, unknown>;
}

export type SlackMethodTable = Record<string, SlackMethod>;
