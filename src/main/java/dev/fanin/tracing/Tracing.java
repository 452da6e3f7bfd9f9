package dev.fanin.tracing;

import io.opentelemetry.api.OpenTelemetry;

/**
 * Starts fanin's own spans. {@link #OFF} when tracing.enabled is false: it starts nothing and returns
 * {@link TraceSpan#NONE}. Vert.x's own spans (HTTP server requests, event-bus messages) come from
 * vertx-opentelemetry; these are the ones Vert.x cannot know of.
 */
public interface Tracing {
  Tracing OFF = name -> TraceSpan.NONE;

  /**
   * A span that is a child of the current one (the Vert.x server span of the request being handled,
   * or a feed run's span), or the root of a new trace, then of kind server, when nothing is current.
   */
  TraceSpan start(String name);

  /** Fanin's spans on this OpenTelemetry (its tracer and propagators). */
  static Tracing of(OpenTelemetry openTelemetry) {
    return new OtelTracing(openTelemetry);
  }
}
