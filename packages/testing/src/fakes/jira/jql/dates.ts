import type { JqlOperand } from './ast.js';

const ABSOLUTE = /^(\d{4})[-/](\d{2})[-/](\d{2})(?: (\d{2}):(\d{2}))?$/;
const PERIOD = /^([+-])?(\d+[wdhm])(?:\s+\d+[wdhm])*$/;
const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

/**
 * A JQL date operand as epoch ms, the fake's user living in UTC: `yyyy-MM-dd`, `yyyy/MM/dd`,
 * either with ` HH:mm`, a period from now (`-7d`, `4w 2d`), or `now()`. `undefined` when Jira
 * would call the value invalid.
 */
export function parseJqlDate(operand: JqlOperand, now: number): number | undefined {
  if (operand.kind === 'function') return operand.name.toLowerCase() === 'now' ? now : undefined;
  if (operand.kind !== 'value') return undefined;
  const text = operand.value.trim();
  const absolute = ABSOLUTE.exec(text);
  if (absolute) {
    const [, y, mo, d, h = '0', mi = '0'] = absolute;
    const at = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
    const back = new Date(at);
    // Date.UTC rolls 2024-02-31 over to March; Jira calls it invalid.
    return back.getUTCDate() === Number(d) && back.getUTCMonth() === Number(mo) - 1 ? at : undefined;
  }
  const period = PERIOD.exec(text);
  if (!period) return undefined;
  const sign = period[1] === '-' ? -1 : 1;
  let total = 0;
  for (const part of text.replace(/^[+-]/, '').split(/\s+/)) {
    total += Number(part.slice(0, -1)) * UNIT_MS[part.slice(-1)]!;
  }
  return now + sign * total;
}
