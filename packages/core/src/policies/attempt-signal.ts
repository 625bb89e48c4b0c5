import { EventEmitter } from 'node:events';

/**
 * The abort handle of one attempt. undici accepts an EventEmitter with `aborted`/`reason` as
 * a request signal; building one costs a fraction of an AbortController (whose EventTarget
 * signal was the largest single cost per request in the client benchmark).
 */
export class AttemptSignal extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}
