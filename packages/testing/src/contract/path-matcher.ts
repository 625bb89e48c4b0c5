/** A concrete path matched to a documented template, with the values of its `{params}`. */
export interface PathMatch {
  template: string;
  /** Percent-decoded values of the template's parameters. */
  params: Record<string, string>;
}

/** A documented path template, and which of its parameters may span several segments. */
export interface TemplateSpec {
  template: string;
  /**
   * Parameters whose value may hold slashes (GitHub marks them `x-multi-segment`: `{path}` of
   * `/repos/{owner}/{repo}/contents/{path}`, `{branch}`, `{ref}`).
   */
  multiSegment?: ReadonlySet<string>;
}

/** How literal a segment is; more literal segments win when several templates match. */
const Literalness = { MultiSegment: 0, Parameter: 1, Mixed: 2, Literal: 3 } as const;

interface CompiledTemplate {
  template: string;
  pattern: RegExp;
  names: string[];
  /** One {@link Literalness} per segment, compared from the left to rank templates. */
  rank: number[];
}

/**
 * Matches concrete paths (`/repos/acme/api/pulls`) to documented templates (`/repos/{owner}/{repo}/pulls`).
 *
 * A parameter matches one segment (or part of one: `{base}...{head}`), unless the description marks
 * it as multi-segment. When several templates match, the most literal one wins, compared segment by
 * segment from the left (`/repos/{owner}/{repo}/pulls` beats `/repos/{owner}/{repo}/{resource}`).
 */
export class PathMatcher {
  readonly #templates: CompiledTemplate[];

  constructor(templates: Iterable<TemplateSpec>) {
    this.#templates = [...templates].map(compileTemplate).sort(byLiteralness);
  }

  /** The best template for a concrete path (without query string) that `accepts` allows, or undefined. */
  match(path: string, accepts: (template: string) => boolean = () => true): PathMatch | undefined {
    for (const compiled of this.#templates) {
      const found = compiled.pattern.exec(path);
      if (!found || !accepts(compiled.template)) continue;
      const params: Record<string, string> = {};
      compiled.names.forEach((name, index) => {
        params[name] = decode(found[index + 1]!);
      });
      return { template: compiled.template, params };
    }
    return undefined;
  }
}

function compileTemplate({ template, multiSegment = new Set() }: TemplateSpec): CompiledTemplate {
  const names: string[] = [];
  const rank: number[] = [];
  const segments = template.split('/').map((segment) => {
    const pieces = segment.split(/(\{[^}]+\})/).filter((piece) => piece !== '');
    const source = pieces
      .map((piece) => {
        const name = /^\{([^}]+)\}$/.exec(piece)?.[1];
        if (name === undefined) return escapeRegExp(piece);
        names.push(name);
        return multiSegment.has(name) ? '(.+?)' : '([^/]+?)';
      })
      .join('');
    rank.push(literalnessOf(segment, pieces, multiSegment));
    return source;
  });
  return { template, pattern: new RegExp(`^${segments.join('/')}$`), names, rank };
}

function literalnessOf(segment: string, pieces: string[], multiSegment: ReadonlySet<string>): number {
  if (!segment.includes('{')) return Literalness.Literal;
  if (pieces.length > 1) return Literalness.Mixed;
  return multiSegment.has(segment.slice(1, -1)) ? Literalness.MultiSegment : Literalness.Parameter;
}

function byLiteralness(a: CompiledTemplate, b: CompiledTemplate): number {
  const length = Math.min(a.rank.length, b.rank.length);
  for (let i = 0; i < length; i++) {
    const difference = b.rank[i]! - a.rank[i]!;
    if (difference !== 0) return difference;
  }
  return b.rank.length - a.rank.length;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
