import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

/**
 * A `tools/call` whose `arguments` came as a JSON string (`"arguments": "{\"query\":\"x\"}"`, a
 * common agent-framework mistake) or `null`, made into the object the protocol wants. Without
 * this, the SDK refuses the request before any tool sees it. Applies to a batch item by item;
 * anything else passes unchanged.
 */
export function lenientMessage<T>(message: T): T {
  if (Array.isArray(message)) return message.map(lenientMessage) as T;
  const call = message as { method?: unknown; params?: { arguments?: unknown } } | null;
  if (call?.method !== 'tools/call' || typeof call.params !== 'object' || call.params === null)
    return message;
  const args = call.params.arguments;
  if (args === null) {
    const { arguments: _none, ...params } = call.params;
    return { ...call, params } as T;
  }
  if (typeof args !== 'string') return message;
  try {
    const parsed: unknown = JSON.parse(args);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return { ...call, params: { ...call.params, arguments: parsed } } as T;
    }
  } catch {
    // Not JSON: the SDK's own error names the field.
  }
  return message;
}

/** A transport whose incoming messages pass through {@link lenientMessage} (for stdio). */
export class LenientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  constructor(private readonly inner: Transport) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    this.inner.onmessage = (message, extra) => this.onmessage?.(lenientMessage(message), extra);
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
