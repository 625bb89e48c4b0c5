import { compilePathPattern, type PathPattern } from './route-pattern.js';
import type { Responder } from './types.js';

interface Route {
  method: string;
  pattern: PathPattern;
  responders: readonly Responder[];
  served: number;
}

/** The answer picked for one request. */
export interface RouteHit {
  responder: Responder;
  params: Record<string, string>;
}

/**
 * The scripted routes of one fake upstream. The newest registration that matches wins, so a
 * catch-all registered later (an outage) overrides older routes; registering the same method and
 * path again replaces the old route and restarts its sequence.
 */
export class RouteTable {
  #routes: Route[] = [];

  add(method: string, path: string, responders: readonly Responder[]): void {
    if (
      responders.length === 0 ||
      responders.some((r) => r === null || (typeof r !== 'object' && typeof r !== 'function'))
    ) {
      throw new TypeError(`route ${method} ${path} needs responses (objects or functions)`);
    }
    const upper = method.toUpperCase();
    const pattern = compilePathPattern(path);
    this.#routes = this.#routes.filter((r) => !(r.method === upper && r.pattern.source === path));
    this.#routes.push({ method: upper, pattern, responders, served: 0 });
  }

  /** Picks the next response of the matching route's sequence (the last one repeats forever). */
  take(method: string, path: string): RouteHit | undefined {
    const upper = method.toUpperCase();
    for (let i = this.#routes.length - 1; i >= 0; i--) {
      const route = this.#routes[i]!;
      if (route.method !== '*' && route.method !== upper) continue;
      const params = route.pattern.match(path);
      if (!params) continue;
      const index = Math.min(route.served, route.responders.length - 1);
      route.served++;
      return { responder: route.responders[index]!, params };
    }
    return undefined;
  }

  clear(): void {
    this.#routes = [];
  }
}
