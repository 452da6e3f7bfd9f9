package dev.fanin.tracing;

import dev.fanin.config.FaninConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.VertxBuilder;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;

/** Builds the OpenTelemetry SDK that tracing.* asks for, and hands it to Vert.x. */
public final class TracingSetup {
  private TracingSetup() {}

  /**
   * The SDK for tracing.*, or null when tracing.enabled is false: W3C Trace Context propagation,
   * spans batched to the OTLP endpoint (http/protobuf) when one is set, and each span printed to the
   * log (java.util.logging) when tracing.console. Close it at exit to send the last batch.
   */
  public static OpenTelemetrySdk sdk(FaninConfig.Tracing config) {
    if (!config.enabled()) {
      return null;
    }
    SdkTracerProviderBuilder tracers = SdkTracerProvider.builder().setResource(Resource.getDefault()
        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), config.serviceName()))));
    if (config.otlpEndpoint() != null) {
      tracers.addSpanProcessor(BatchSpanProcessor.builder(
          OtlpHttpSpanExporter.builder().setEndpoint(config.otlpEndpoint()).build()).build());
    }
    if (config.console()) {
      tracers.addSpanProcessor(SimpleSpanProcessor.create(LoggingSpanExporter.create()));
    }
    return OpenTelemetrySdk.builder()
        .setTracerProvider(tracers.build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  /**
   * Vert.x traces through this OpenTelemetry: a server span per HTTP request (continuing the
   * client's traceparent) and spans for event-bus messages that carry a trace. Without this call
   * Vert.x has no tracer at all.
   */
  public static VertxBuilder install(VertxBuilder builder, OpenTelemetry openTelemetry) {
    return builder.withTracer(new OpenTelemetryTracingFactory(openTelemetry));
  }
}
