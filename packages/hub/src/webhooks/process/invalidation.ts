import type { InvalidationRule } from '../config/webhook-settings.js';
import { compilePatterns } from '../registry/patterns.js';
import { readPointer } from '../transform/json-pointer.js';
import type { CacheInvalidator, NormalizedEvent } from '../types.js';

/** One cached read dropped (or found absent) because of an event. */
export interface Invalidation {
  integration: string;
  operation: string;
  input: Record<string, unknown>;
  /** Cache entries dropped (0 when nothing was cached). */
  dropped: number;
}

interface CompiledRule {
  rule: InvalidationRule;
  matchesType: (type: string) => boolean;
  matchesSource: (source: string) => boolean;
}

/**
 * Cache invalidation rules (seed 004: a transaction-updated event drops that transaction's cached
 * status). A rule applies when the event's type and source match its patterns and every input
 * field is found in `data`; a rule whose input is incomplete is skipped, not guessed.
 */
export class InvalidationRules {
  private readonly rules: CompiledRule[];

  constructor(rules: readonly InvalidationRule[]) {
    this.rules = rules.map((rule) => ({
      rule,
      matchesType: compilePatterns([rule.type]),
      matchesSource: compilePatterns([rule.source]),
    }));
  }

  /** Applies every matching rule; a failing invalidation rejects (the processing attempt fails). */
  async apply(event: NormalizedEvent, invalidator: CacheInvalidator | undefined): Promise<Invalidation[]> {
    if (!invalidator) return [];
    const done: Invalidation[] = [];
    for (const { rule, matchesType, matchesSource } of this.rules) {
      if (!matchesType(event.type) || !matchesSource(event.source)) continue;
      const input = ruleInput(rule, event.data);
      if (!input) continue;
      const dropped = await invalidator.invalidate(rule.integration, rule.operation, input);
      done.push({ integration: rule.integration, operation: rule.operation, input, dropped });
    }
    return done;
  }
}

function ruleInput(rule: InvalidationRule, data: unknown): Record<string, unknown> | undefined {
  const input: Record<string, unknown> = {};
  for (const [field, pointers] of Object.entries(rule.input)) {
    const value = pointers
      .map((p) => readPointer(data, p))
      .find((v) => typeof v === 'string' || typeof v === 'number');
    if (value === undefined) return undefined;
    input[field] = value;
  }
  return input;
}
