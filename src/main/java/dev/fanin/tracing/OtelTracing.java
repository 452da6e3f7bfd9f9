package dev.fanin.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** {@link Tracing} on the OpenTelemetry API. */
final class OtelTracing implements Tracing {
  private static final TextMapSetter<BiConsumer<String, String>> SETTER = (headers, key, value) -> {
    if (headers != null) {
      headers.accept(key, value);
    }
  };
  private static final AttributeKey<String> ERROR_KIND = AttributeKey.stringKey("fanin.error.kind");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  OtelTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("dev.fanin");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  @Override
  public TraceSpan start(String name) {
    Context parent = Context.current();
    boolean root = !Span.fromContext(parent).getSpanContext().isValid();
    return new OtelSpan(tracer.spanBuilder(name).setParent(parent)
        .setSpanKind(root ? SpanKind.SERVER : SpanKind.INTERNAL).startSpan());
  }

  private final class OtelSpan implements TraceSpan {
    private final Span span;

    OtelSpan(Span span) {
      this.span = span;
    }

    @Override
    public TraceSpan child(String name, boolean client) {
      return new OtelSpan(tracer.spanBuilder(name).setParent(Context.root().with(span))
          .setSpanKind(client ? SpanKind.CLIENT : SpanKind.INTERNAL).startSpan());
    }

    @Override
    public TraceSpan attribute(String key, String value) {
      if (value != null) {
        span.setAttribute(key, value);
      }
      return this;
    }

    @Override
    public TraceSpan attribute(String key, long value) {
      span.setAttribute(key, value);
      return this;
    }

    @Override
    public void event(String name, String... keysAndValues) {
      AttributesBuilder attributes = Attributes.builder();
      for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
        if (keysAndValues[i + 1] != null) {
          attributes.put(keysAndValues[i], keysAndValues[i + 1]);
        }
      }
      span.addEvent(name, attributes.build());
    }

    @Override
    public void error(String kind, String message) {
      span.setAttribute(ERROR_KIND, kind);
      span.setAttribute(ERROR_TYPE, kind);
      span.setStatus(StatusCode.ERROR, message == null ? "" : message);
    }

    @Override
    public void end() {
      span.end();
    }

    @Override
    public String traceId() {
      return span.getSpanContext().getTraceId();
    }

    @Override
    public void inject(BiConsumer<String, String> headers) {
      propagator.inject(Context.root().with(span), headers, SETTER);
    }

    @Override
    public boolean recording() {
      return true;
    }

    @Override
    public <T> T within(Supplier<T> work) {
      try (Scope ignored = Context.current().with(span).makeCurrent()) {
        return work.get();
      }
    }
  }
}
