import type { FakeResponse } from '../../types.js';

/** GitHub's error bodies, word for word: `{message, documentation_url, status}` and 422's `errors`. */

const DOCS = 'https://docs.github.com/rest';

export function basicError(status: number, message: string, documentationUrl = DOCS): FakeResponse {
  return { status, json: { message, documentation_url: documentationUrl, status: String(status) } };
}

export function notFound(documentationUrl?: string): FakeResponse {
  return basicError(404, 'Not Found', documentationUrl);
}

export function badCredentials(): FakeResponse {
  return basicError(401, 'Bad credentials');
}

export function requiresAuthentication(): FakeResponse {
  return basicError(401, 'Requires authentication');
}

/** One entry of a 422's `errors`, e.g. `{ resource: 'Issue', field: 'title', code: 'missing_field' }`. */
export interface ValidationProblem {
  resource: string;
  field: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  value?: string | number | null;
  message?: string;
}

export function validationFailed(problems: ValidationProblem[], documentationUrl = DOCS): FakeResponse {
  return {
    status: 422,
    json: {
      message: 'Validation Failed',
      errors: problems,
      documentation_url: documentationUrl,
      status: '422',
    },
  };
}

/** What GitHub answers when a body is not JSON or a field has the wrong type. */
export function problemsParsingJson(): FakeResponse {
  return basicError(400, 'Problems parsing JSON');
}

export const PRIMARY_LIMIT_DOCS =
  'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits';
export const SECONDARY_LIMIT_DOCS =
  'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';

export function primaryLimitMessage(userId: number): string {
  return `API rate limit exceeded for user ID ${userId}. If you reach out to GitHub Support for help, please include the request ID ABCD:1234:5678.`;
}

export const SECONDARY_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ABCD:1234:5678.';
