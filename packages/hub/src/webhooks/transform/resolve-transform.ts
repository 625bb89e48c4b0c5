import {
  BUILTIN_TRANSFORMS,
  type BuiltinTransform,
  type SourceSettings,
} from '../config/webhook-settings.js';
import type { NormalizedEvent } from '../types.js';
import {
  builtinTransform,
  mappingTransform,
  type TransformInput,
  type WebhookTransform,
} from './transforms.js';

const DEFAULT_BY_SCHEME: Record<SourceSettings['verify'], BuiltinTransform> = {
  github: 'github',
  slack: 'slack',
  stripe: 'stripe',
  standard: 'standard',
  hmac: 'raw',
  none: 'raw',
};

const isBuiltin = (name: string): name is BuiltinTransform =>
  (BUILTIN_TRANSFORMS as readonly string[]).includes(name);

/**
 * The transformation a source uses: a built-in by name, a TS function registered under that name,
 * a pointer mapping, or the default for its scheme. Throws a TypeError naming an unknown name.
 */
export function resolveTransform(
  settings: SourceSettings,
  named: Readonly<Record<string, WebhookTransform>>,
): WebhookTransform {
  const chosen = settings.transform ?? DEFAULT_BY_SCHEME[settings.verify];
  if (typeof chosen !== 'string') return mappingTransform(chosen);
  const registered = Object.hasOwn(named, chosen) ? named[chosen] : undefined;
  if (registered) return registered;
  if (isBuiltin(chosen)) return builtinTransform(chosen, settings.typeHeader);
  const known = [...BUILTIN_TRANSFORMS, ...Object.keys(named)].join(', ');
  throw new TypeError(`unknown transform ${JSON.stringify(chosen)} (known: ${known})`);
}

/** Runs a transformation and fills in the defaults: the event id and time of the delivery. */
export function normalize(transform: WebhookTransform, input: TransformInput): NormalizedEvent {
  const out = transform(input);
  if (typeof out?.type !== 'string' || out.type === '')
    throw new TypeError('transform returned no event type');
  return {
    source: input.source,
    type: out.type,
    id: out.id ?? input.deliveryId,
    occurredAt: out.occurredAt ?? new Date(input.receivedAt).toISOString(),
    data: out.data ?? null,
  };
}
