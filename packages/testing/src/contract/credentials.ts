import type { OperationSpec, ParameterSpec } from './operations.js';

/** Request headers, with lower-case names. */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** How the request carried its credential, as far as the credential parameters go. */
export interface Credentials {
  /** The credential parameter names this operation documents (in any place). */
  names: ReadonlySet<string>;
  /** Whether a required parameter is a credential that the request sent one way or another. */
  satisfies(parameter: ParameterSpec): boolean;
}

/**
 * Leniency: a credential parameter (Slack's `token`) may travel in any place the vendor reads it,
 * whatever place the description names. Slack documents `token` in a header for some methods, in the
 * query or form for others, and reads it from all of them and from `Authorization: Bearer`. So a
 * documented credential name is accepted in the query, the form or the JSON body, and a required one
 * is satisfied by an `Authorization` header or the name sent anywhere. Without headers, nothing is
 * known about how the credential travelled, and a missing one is not reported.
 */
export function credentialsOf(
  operation: OperationSpec,
  credentialParameters: readonly string[],
  query: URLSearchParams,
  headers: HeaderMap | undefined,
  body: unknown,
): Credentials {
  const documented = [...operation.parameters, ...operation.formParameters].map(
    (parameter) => parameter.name,
  );
  const names = new Set(credentialParameters.filter((name) => documented.includes(name)));
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const sentSomewhere = (name: string): boolean =>
    query.has(name) || name in fields || headers?.[name.toLowerCase()] !== undefined;
  const sent = headers === undefined || headers.authorization !== undefined || [...names].some(sentSomewhere);
  return { names, satisfies: (parameter) => names.has(parameter.name) && sent };
}
