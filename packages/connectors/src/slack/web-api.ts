import {
  IntegrationPermanentError,
  type OperationContext,
  type Params,
  type RetryOptions,
} from '@patchbay/core';
import type { SlackConfig } from './config.js';

export type SlackContext = OperationContext<SlackConfig>;

/** What every successful Slack answer may carry besides its payload. */
export interface SlackOk {
  ok: true;
  /** Older methods name a single warning here. */
  warning?: string;
  response_metadata?: { next_cursor?: string; warnings?: string[]; messages?: string[] };
}

/**
 * Slack asks for the charset on JSON bodies; without it every answer carries a
 * `missing_charset` warning.
 */
const JSON_UTF8 = { 'content-type': 'application/json; charset=utf-8' };

/**
 * Calls a read method: `GET /api/<method>?…`. Slack's read methods take query parameters (most
 * ignore a JSON body), and GET keeps them repeatable: the kernel retries them on 429 and 5xx.
 */
export async function slackRead<T extends object>(
  ctx: SlackContext,
  method: string,
  params: Params,
): Promise<T & SlackOk> {
  return checked<T>(ctx, method, await ctx.http.get(`/${method}`, { params }));
}

/** Options of {@link slackWrite}. */
export interface WriteOptions {
  /** Retry rule for this call, for writes that are safe to repeat (opening a DM). */
  retry?: RetryOptions;
}

/**
 * Calls a write method: `POST /api/<method>` with a JSON body, which Slack accepts for its write
 * methods and recommends over forms for structured arguments (blocks). Fields left `undefined`
 * are not sent.
 */
export async function slackWrite<T extends object>(
  ctx: SlackContext,
  method: string,
  body: Record<string, unknown>,
  options: WriteOptions = {},
): Promise<T & SlackOk> {
  const answer = await ctx.http.post(`/${method}`, {
    json: body,
    headers: JSON_UTF8,
    ...(options.retry && { retry: options.retry }),
  });
  return checked<T>(ctx, method, answer);
}

/**
 * `ok: false` never reaches here (the client's response hook throws it). What remains: a body
 * that is not Slack's at all (a proxy's HTML page), and warnings, which are logged and not thrown.
 */
function checked<T extends object>(ctx: SlackContext, method: string, body: unknown): T & SlackOk {
  if (typeof body !== 'object' || body === null || (body as { ok?: unknown }).ok !== true) {
    throw new IntegrationPermanentError(`Slack ${method} answered something that is not a Web API response`, {
      integration: ctx.integration,
      operation: ctx.operation,
      code: 'INVALID_RESPONSE',
    });
  }
  const ok = body as T & SlackOk;
  const warnings = [...(ok.response_metadata?.warnings ?? [])];
  if (ok.warning !== undefined && !warnings.includes(ok.warning)) warnings.push(ok.warning);
  if (warnings.length > 0) {
    ctx.log.warn(
      { slackMethod: method, warnings, messages: ok.response_metadata?.messages ?? [] },
      `Slack ${method} warned: ${warnings.join(', ')}`,
    );
  }
  return ok;
}
