import type { MediaTypes } from './operations.js';

/** The documented media type chosen for a body, and its schema. */
export interface ChosenMediaType {
  mediaType: string;
  schema: object | undefined;
}

/** The media type part of a `content-type` header, lower-case (`application/json; charset=utf-8` → `application/json`). */
export function mediaTypeOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const mediaType = value?.split(';')[0]?.trim().toLowerCase();
  return mediaType ? mediaType : undefined;
}

/** Whether a media type carries JSON (`application/json`, `application/scim+json`, ...). */
export function isJsonMediaType(mediaType: string): boolean {
  return /^application\/(?:[\w.-]+\+)?json$/.test(mediaType) || mediaType === 'application/json-patch+json';
}

/**
 * Picks the documented media type for a body. With a `content-type`, the exact type wins, then
 * `type/*`, then `*\/*`, then (for any JSON type, such as GitHub's `application/vnd.github+json`) a
 * documented JSON type; `'undocumented'` when none fits. Without one, a JSON type is assumed (then
 * `*\/*`); undefined when only other types are documented, since nothing says which one was sent.
 */
export function chooseMediaType(
  content: MediaTypes,
  contentType: string | undefined,
): ChosenMediaType | 'undocumented' | undefined {
  if (contentType !== undefined) {
    for (const candidate of [contentType, `${contentType.split('/')[0]}/*`, '*/*']) {
      if (content.has(candidate)) return { mediaType: candidate, schema: content.get(candidate) };
    }
    return (isJsonMediaType(contentType) && documentedJson(content)) || 'undocumented';
  }
  return (
    documentedJson(content) ??
    (content.has('*/*') ? { mediaType: '*/*', schema: content.get('*/*') } : undefined)
  );
}

function documentedJson(content: MediaTypes): ChosenMediaType | undefined {
  for (const [mediaType, schema] of content) if (isJsonMediaType(mediaType)) return { mediaType, schema };
  return undefined;
}
