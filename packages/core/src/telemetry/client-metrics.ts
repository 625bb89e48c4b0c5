import { LatencyHistogram } from './latency-histogram.js';

/** Seed 001's client metrics, plus percentiles. Times are milliseconds of whole calls. */
export interface ClientMetricsSnapshot {
  totalRequests: number;
  successfulRequests: number;
  failedRequests: number;
  totalRetries: number;
  rateLimitHits: number;
  circuitBreakerOpens: number;
  retryBudgetExhausted: number;
  averageResponseTimeMs: number;
  minResponseTimeMs: number;
  maxResponseTimeMs: number;
  p50ResponseTimeMs: number;
  p95ResponseTimeMs: number;
  p99ResponseTimeMs: number;
}

/** In-process counters behind `client.getMetrics()`. */
export class ClientMetrics {
  private readonly latency = new LatencyHistogram();
  private successful = 0;
  private failed = 0;
  private retries = 0;
  private rateLimitHits = 0;
  private breakerOpens = 0;
  private budgetExhausted = 0;

  recordCall(durationMs: number, ok: boolean): void {
    this.latency.record(durationMs);
    if (ok) this.successful++;
    else this.failed++;
  }

  recordRetry(): void {
    this.retries++;
  }

  recordRateLimitHit(): void {
    this.rateLimitHits++;
  }

  recordBreakerOpen(): void {
    this.breakerOpens++;
  }

  recordBudgetExhausted(): void {
    this.budgetExhausted++;
  }

  snapshot(): ClientMetricsSnapshot {
    const h = this.latency;
    return {
      totalRequests: this.successful + this.failed,
      successfulRequests: this.successful,
      failedRequests: this.failed,
      totalRetries: this.retries,
      rateLimitHits: this.rateLimitHits,
      circuitBreakerOpens: this.breakerOpens,
      retryBudgetExhausted: this.budgetExhausted,
      averageResponseTimeMs: h.mean,
      minResponseTimeMs: h.count === 0 ? 0 : h.min,
      maxResponseTimeMs: h.max,
      p50ResponseTimeMs: h.percentile(0.5),
      p95ResponseTimeMs: h.percentile(0.95),
      p99ResponseTimeMs: h.percentile(0.99),
    };
  }

  reset(): void {
    this.latency.reset();
    this.successful = 0;
    this.failed = 0;
    this.retries = 0;
    this.rateLimitHits = 0;
    this.breakerOpens = 0;
    this.budgetExhausted = 0;
  }
}
