/** Access tokens remembered for `secrets()`: old ones are expired, so the list need not grow forever. */
const ACCESS_TOKENS_KEPT = 32;

/**
 * The secrets an OAuth2 strategy has seen: configured ones (client secret, initial refresh
 * token) for good, obtained ones as they arrive. Listeners hear of each new one before it is
 * first sent, so a redactor is never behind the wire.
 */
export class SecretSet {
  private readonly fixed = new Set<string>();
  private readonly rotating: string[] = [];
  private readonly listeners = new Set<(secret: string) => void>();

  constructor(configured: readonly (string | undefined)[]) {
    for (const secret of configured) if (secret) this.fixed.add(secret);
  }

  /** Remembers a refresh token (kept for good) and tells the listeners if it is new. */
  addLasting(secret: string): void {
    if (this.fixed.has(secret)) return;
    this.fixed.add(secret);
    this.emit(secret);
  }

  /** Remembers an access token (the newest few are kept) and tells the listeners if it is new. */
  addAccessToken(token: string): void {
    if (this.rotating.includes(token) || this.fixed.has(token)) return;
    this.rotating.push(token);
    if (this.rotating.length > ACCESS_TOKENS_KEPT) this.rotating.shift();
    this.emit(token);
  }

  values(): string[] {
    return [...this.fixed, ...this.rotating];
  }

  /** Registers a listener; returns the function that removes it. */
  listen(listener: (secret: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(secret: string): void {
    for (const listener of this.listeners) {
      try {
        listener(secret);
      } catch {
        // A faulty listener must not stop the others from learning the secret.
      }
    }
  }
}
