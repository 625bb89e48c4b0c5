/** What replaces a secret wherever it would have been shown. */
export const REDACTED = '***';

/** Secrets shorter than this are not searched for in free text: they would mangle ordinary words. */
const MIN_SECRET_LENGTH = 4;

/** How many short-lived secrets (rotating access tokens) a redactor remembers. */
export const MAX_EPHEMERAL = 32;

function variantsOf(secret: string): string[] {
  const variants = new Set([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString('base64'),
  ]);
  return [...variants].filter((v) => v.length >= MIN_SECRET_LENGTH);
}

/** Header names whose values are credentials, whatever the integration. */
export const SENSITIVE_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-access-token',
  'x-hmac-signature',
  'x-hub-signature',
  'x-hub-signature-256',
];

/** Query and form parameter names whose values are credentials. */
export const SENSITIVE_PARAMS: readonly string[] = [
  'access_token',
  'api_key',
  'apikey',
  'key',
  'token',
  'client_secret',
  'refresh_token',
  'password',
  'secret',
  'signature',
  'sig',
  'code',
];

export interface RedactorOptions {
  /** Literal secret values to hide wherever they appear (raw, URL-encoded, JSON-escaped). */
  secrets?: readonly string[];
  /** Extra header names to hide, added to {@link SENSITIVE_HEADERS}. */
  headers?: readonly string[];
  /** Extra query/body parameter names to hide, added to {@link SENSITIVE_PARAMS}. */
  params?: readonly string[];
}

/**
 * Hides credentials in text, URLs and headers. Every string that leaves the kernel (log line,
 * error message, error body, metric label) passes through one of these methods first.
 */
export class Redactor {
  private needles: string[] = [];
  private readonly permanent = new Set<string>();
  private readonly ephemeral: { secret: string; variants: string[] }[] = [];
  private readonly headerNames: Set<string>;
  private readonly paramNames: Set<string>;

  constructor(options: RedactorOptions = {}) {
    this.headerNames = new Set([
      ...SENSITIVE_HEADERS,
      ...(options.headers ?? []).map((h) => h.toLowerCase()),
    ]);
    this.paramNames = new Set([...SENSITIVE_PARAMS, ...(options.params ?? []).map((p) => p.toLowerCase())]);
    for (const secret of options.secrets ?? []) this.addSecret(secret);
  }

  /**
   * Registers a secret value and the encodings it is likely to appear in. An `ephemeral` secret
   * (an OAuth access token, replaced every hour) is kept among the most recent
   * {@link MAX_EPHEMERAL} only, so a long-lived client's redactor does not grow without bound.
   */
  addSecret(secret: string, options: { ephemeral?: boolean } = {}): void {
    if (secret.length < MIN_SECRET_LENGTH) return;
    const variants = variantsOf(secret);
    if (options.ephemeral) {
      if (this.ephemeral.some((e) => e.secret === secret)) return;
      this.ephemeral.push({ secret, variants });
      if (this.ephemeral.length > MAX_EPHEMERAL) this.ephemeral.shift();
    } else {
      for (const variant of variants) this.permanent.add(variant);
    }
    this.rebuild();
  }

  private rebuild(): void {
    const all = new Set(this.permanent);
    for (const e of this.ephemeral) for (const v of e.variants) all.add(v);
    // Longest first, so a secret that contains another is replaced whole.
    this.needles = [...all].sort((a, b) => b.length - a.length);
  }

  addHeaderName(name: string): void {
    this.headerNames.add(name.toLowerCase());
  }

  addParamName(name: string): void {
    this.paramNames.add(name.toLowerCase());
  }

  isSensitiveHeader(name: string): boolean {
    return this.headerNames.has(name.toLowerCase());
  }

  isSensitiveParam(name: string): boolean {
    return this.paramNames.has(name.toLowerCase());
  }

  /** The length of the longest registered secret, so callers can truncate without cutting one in half. */
  get longestSecret(): number {
    return this.needles[0]?.length ?? 0;
  }

  /** Replaces every registered secret in free text. */
  text(value: string): string {
    let out = value;
    for (const needle of this.needles) {
      if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    }
    return out;
  }

  /**
   * Redacts then truncates, in that order: redacting a longer slice first means a secret that
   * straddles the cut is hidden whole instead of leaving its first half visible.
   */
  truncated(value: string, max = 500): string {
    const slice = value.length > max + this.longestSecret ? value.slice(0, max + this.longestSecret) : value;
    const clean = this.text(slice);
    return clean.length > max ? `${clean.slice(0, max)}…` : clean;
  }

  /** Hides user-info, sensitive query parameters and any registered secret in a URL. */
  url(value: string | URL): string {
    let url: URL;
    try {
      url = typeof value === 'string' ? new URL(value) : new URL(value.href);
    } catch {
      return this.text(String(value));
    }
    if (url.username) url.username = REDACTED;
    if (url.password) url.password = REDACTED;
    for (const name of [...url.searchParams.keys()]) {
      if (this.isSensitiveParam(name)) url.searchParams.set(name, REDACTED);
    }
    return this.text(url.toString().replaceAll('%2A%2A%2A', REDACTED));
  }

  /** A copy of `headers` fit to log: sensitive names show `***`, other values are text-redacted. */
  headers(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      const joined = Array.isArray(value) ? value.join(', ') : value;
      out[name] = this.isSensitiveHeader(name) ? REDACTED : this.text(joined);
    }
    return out;
  }
}
