/**
 * A request as a client sent it, to check against a vendor's API description.
 *
 * @example
 * ```ts
 * const request: ContractRequest = {
 *   method: 'POST',
 *   url: '/repos/acme/api/issues',
 *   headers: { 'content-type': 'application/json' },
 *   body: { title: 'Bug', labels: ['bug'] },
 * };
 * ```
 */
export interface ContractRequest {
  /** The HTTP method, e.g. `'GET'` (any case). */
  method: string;
  /** The path and query as sent, e.g. `'/search/repositories?q=cli&per_page=30'`. */
  url: string;
  /**
   * The request headers (names in any case). When absent, header checks are skipped: nothing is known
   * about them.
   */
  headers?: Record<string, string | string[] | undefined>;
  /** The body: parsed JSON, a form as `Record<string, string>`, or `undefined` when there was none. */
  body?: unknown;
}

/** A response as a server (or a fake) sent it. */
export interface ContractResponse {
  /** The HTTP status code. */
  status: number;
  /** The response headers; `content-type` picks the documented media type when given. */
  headers?: Record<string, string | string[] | undefined>;
  /** The body, parsed JSON (or a string for text media types, `undefined` when empty). */
  body: unknown;
}

/** The documented operation a method and concrete path belong to. */
export interface OperationMatch {
  /** The description's `operationId`, or `'METHOD /template'` when it has none. */
  operationId: string;
  /** The documented path template, e.g. `'/repos/{owner}/{repo}'`. */
  pathTemplate: string;
}

/**
 * A vendor's API description, ready to check requests and responses against.
 * Load one with {@link loadApiContract} or {@link vendorContract}.
 *
 * Problems are readable strings naming the operation and the field, e.g.
 * `GET /search/repositories: query parameter "per_pag" is not documented`.
 */
export interface ApiContract {
  /** The description's `info.title`. */
  readonly title: string;
  /** The documented operation for this method and concrete path, or undefined. */
  match(method: string, path: string): OperationMatch | undefined;
  /** Problems with a request as sent ([] when it conforms). An undocumented method+path is a problem. */
  checkRequest(request: ContractRequest): string[];
  /** Problems with a response to that request ([] when it conforms); status not documented (and no 'default') is a problem. */
  checkResponse(request: Pick<ContractRequest, 'method' | 'url'>, response: ContractResponse): string[];
}

/** How {@link loadApiContract} reads a description. */
export interface ApiContractOptions {
  /**
   * A prefix stripped from request paths before matching, when they start with it (paths without it
   * are matched as they are).
   * @default the Swagger 2 `basePath`, or the path of the first OpenAPI 3 `servers` URL
   * @example
   * ```ts
   * loadApiContract('slack-web-api.openapi2.json', { basePath: '/api' });
   * ```
   */
  basePath?: string;
  /**
   * Names of parameters that carry the credential (in the query, a header or the form). A required one
   * is satisfied by an `Authorization` header, since clients send the token there instead.
   * @default ['token']
   */
  credentialParameters?: readonly string[];
  /**
   * When a response body fails the schema of its status, also accept it when it conforms to the
   * `default` response. For APIs that report errors in a success status (Slack answers `200` with
   * `{"ok": false, "error": "..."}` and documents that shape as `default`).
   * @default false
   */
  errorsMayUseSuccessStatus?: boolean;
  /**
   * Ignore `additionalProperties: false`, so fields the description does not name are accepted. For
   * descriptions older than the API: Slack's (2021) closes objects Slack has extended since
   * (`response_metadata` warnings on any method, new channel and file fields), and its own examples
   * fail on that.
   * @default false
   */
  allowUndocumentedProperties?: boolean;
  /**
   * Names of properties whose `enum` lists common values rather than every value; their enum is
   * not enforced. Slack's per-method `error` lists leave out generic errors (`ratelimited`,
   * `token_revoked`, ...) and its own examples fail on them.
   * @default []
   */
  openEnumProperties?: readonly string[];
}

/** The options that change how a description's schemas are read (and so which cached copy serves them). */
export type SchemaLeniency = Pick<ApiContractOptions, 'allowUndocumentedProperties' | 'openEnumProperties'>;
