import { randomUUID } from 'node:crypto';
import { dlqAad, type SecretCipher } from '../secrets/index.js';
import type { DeadLetter, NewDeadLetter } from '../storage/index.js';

/** The `integration` of every webhook dead letter: `/api/dlq` lists them with the operations' own. */
export const WEBHOOK_DLQ_INTEGRATION = 'webhook';

/** What a webhook dead letter points at; sealed like any dead letter's input (AAD `dlq/<id>`). */
export type WebhookLetterInput =
  /** A received delivery whose processing failed on every attempt (operation: the source's name). */
  | { kind: 'process'; deliveryRowId: string; source: string; deliveryId: string }
  /** An event a subscriber did not take on any attempt (operation: `deliver:<subscriber>`). */
  | { kind: 'deliver'; outboxId: string; subscriber: string; messageId: string };

/** The dead letter for a webhook failure, its reference sealed under the letter's own id. */
export function webhookLetter(
  cipher: SecretCipher,
  input: WebhookLetterInput,
  error: unknown,
  attempts: number,
): NewDeadLetter {
  const id = randomUUID();
  return {
    id,
    integration: WEBHOOK_DLQ_INTEGRATION,
    operation: input.kind === 'process' ? input.source : `deliver:${input.subscriber}`,
    inputCiphertext: cipher.encrypt(JSON.stringify(input), dlqAad(id)),
    idempotencyKey: input.kind === 'process' ? input.deliveryId : input.messageId,
    error,
    attempts,
  };
}

/** The reference a webhook dead letter holds. */
export function openWebhookLetter(cipher: SecretCipher, letter: DeadLetter): WebhookLetterInput {
  return JSON.parse(cipher.decrypt(letter.inputCiphertext, dlqAad(letter.id))) as WebhookLetterInput;
}

/** The error JSON a webhook failure is recorded with (never a payload, never a secret). */
export function failureJson(error: unknown): { type: string; message: string } {
  const err = error as { name?: unknown; type?: unknown; message?: unknown } | undefined;
  const type = typeof err?.type === 'string' ? err.type : typeof err?.name === 'string' ? err.name : 'Error';
  const message = typeof err?.message === 'string' ? err.message.slice(0, 500) : String(error).slice(0, 500);
  return { type, message };
}
