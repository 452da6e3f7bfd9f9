package dev.fanin.tracing;

import static dev.fanin.testing.Eventually.eventually;
import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.fanin.aggregate.Aggregator;
import dev.fanin.bus.BusIntake;
import dev.fanin.testing.FakeUpstream;
import dev.fanin.testing.FaninHarness;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Traces of real aggregations through a real fanin whose Vertx has the OpenTelemetry tracer (as Main
 * builds it), exported to memory: the span tree, the traceparent continued from the client and
 * passed to the upstream, and the trace id in the aggregation's log line.
 */
class TracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";
  private static final AttributeKey<String> SOURCE = AttributeKey.stringKey("fanin.source.id");
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("fanin.attempt");

  static final InMemorySpanExporter spans = InMemorySpanExporter.create();
  static OpenTelemetrySdk sdk;
  static Vertx vertx;
  static FakeUpstream upstream;
  static FaninHarness fanin;

  @BeforeAll
  static void start() {
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    vertx = TracingSetup.install(Vertx.builder(), sdk).build();
    upstream = new FakeUpstream(vertx).start();
    fanin = new FaninHarness(vertx, new JsonObject(), Tracing.of(sdk));
  }

  @AfterAll
  static void stop() {
    fanin.stop();
    upstream.stop();
    vertx.close().await();
    sdk.close();
  }

  @BeforeEach
  void reset() {
    spans.reset();
    upstream.resetCounters();
  }

  @Test
  void anAggregationWithARetryAndACacheHitMakesOneTreeThatTheUpstreamJoins() {
    String flakyUrl = upstream.url("status=503&failFirst=1&key=" + UUID.randomUUID());
    String cachedUrl = upstream.url("cc=max-age%3D60&c=" + UUID.randomUUID());
    JsonObject first = definition(source("flaky", flakyUrl).put("retries", 1), source("cached", cachedUrl))
        .put("deadlineMs", 10_000);
    HttpResponse<Buffer> answer = aggregate(first, "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01");
    assertEquals(200, answer.statusCode(), answer.bodyAsString());

    // the client's traceparent is continued by Vert.x's server span
    SpanData server = awaitSpan(s -> s.getKind() == SpanKind.SERVER && s.getParentSpanId().equals(CLIENT_SPAN_ID));
    assertEquals(TRACE_ID, server.getTraceId());
    SpanData aggregation = awaitSpan(s -> s.getName().equals("aggregation") && s.getTraceId().equals(TRACE_ID));
    assertEquals(server.getSpanId(), aggregation.getParentSpanId());
    assertEquals(2L, aggregation.getAttributes().get(AttributeKey.longKey("fanin.sources")));

    // one client span per attempt, children of the aggregation's
    assertTrue(eventually(5_000, () -> attempts(aggregation).size() == 3), () -> "attempts: " + attempts(aggregation));
    List<SpanData> flaky = attempts(aggregation).stream().filter(s -> "flaky".equals(s.getAttributes().get(SOURCE)))
        .sorted(Comparator.comparing(s -> s.getAttributes().get(ATTEMPT))).toList();
    assertEquals(2, flaky.size());
    assertEquals(1L, flaky.get(0).getAttributes().get(ATTEMPT));
    assertEquals(503L, flaky.get(0).getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertEquals(2L, flaky.get(1).getAttributes().get(ATTEMPT));
    assertEquals(200L, flaky.get(1).getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertEquals("closed", flaky.get(1).getAttributes().get(AttributeKey.stringKey("fanin.breaker.state")));
    assertEquals("http://127.0.0.1:" + upstream.port(), flaky.get(0).getAttributes().get(AttributeKey.stringKey("fanin.origin")));
    assertNotNull(flaky.get(0).getAttributes().get(AttributeKey.longKey("fanin.pacing.wait_ms")));
    SpanData cachedMiss = attempts(aggregation).stream().filter(s -> "cached".equals(s.getAttributes().get(SOURCE)))
        .findFirst().orElseThrow();
    assertEquals("miss", cachedMiss.getAttributes().get(AttributeKey.stringKey("fanin.cache")));

    // every upstream request carried its attempt's traceparent, and the upstream's server spans joined
    List<FakeUpstream.Recorded> sent = upstream.recorded("/x");
    assertEquals(3, sent.size());
    for (FakeUpstream.Recorded r : sent) {
      String traceparent = r.headers().get("traceparent");
      assertNotNull(traceparent, r.uri());
      String[] parts = traceparent.split("-");
      assertEquals(TRACE_ID, parts[1]);
      assertTrue(attempts(aggregation).stream().anyMatch(a -> a.getSpanId().equals(parts[2])), traceparent);
    }
    assertTrue(eventually(5_000, () -> spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.SERVER
        && attempts(aggregation).stream().anyMatch(a -> a.getSpanId().equals(s.getParentSpanId()))).count() == 3));

    // the same cacheable source again: a cache hit, with no attempt of its own
    HttpResponse<Buffer> again = aggregate(definition(source("cached", cachedUrl)), null);
    assertEquals(200, again.statusCode(), again.bodyAsString());
    SpanData second = awaitSpan(s -> s.getName().equals("aggregation") && !s.getTraceId().equals(TRACE_ID));
    assertEquals(List.of(), attempts(second));
    EventData event = second.getEvents().stream().filter(e -> e.getName().equals("source")).findFirst().orElseThrow();
    assertEquals("hit", event.getAttributes().get(AttributeKey.stringKey("fanin.cache")));
    assertEquals("cached", event.getAttributes().get(SOURCE));
    assertEquals(3, upstream.recorded("/x").size());
  }

  @Test
  void attemptsSentFromAnotherEventLoopAreNumberedAndParentedLikeTheOthers() {
    FaninHarness twoLoops = new FaninHarness(vertx, new JsonObject().put("http", new JsonObject().put("instances", 2)),
        Tracing.of(sdk));
    try {
      // 16 sources: spread over both loops' clients (FetchPipeline.SPREAD_MIN_SOURCES)
      JsonObject definition = FaninHarness.sources(upstream, 16, "lanes=" + UUID.randomUUID());
      definition.getJsonArray("sources").getJsonObject(5).put("url",
          upstream.url("status=503&failFirst=1&key=" + UUID.randomUUID())).put("retries", 1);
      HttpResponse<Buffer> answer = twoLoops.aggregate(definition.put("deadlineMs", 10_000));
      assertEquals(200, answer.statusCode(), answer.bodyAsString());
      SpanData aggregation = awaitSpan(s -> s.getName().equals("aggregation"));
      assertTrue(eventually(5_000, () -> attempts(aggregation).size() == 17), () -> "attempts: " + attempts(aggregation));
      List<Long> retried = attempts(aggregation).stream().filter(a -> "s5".equals(a.getAttributes().get(SOURCE)))
          .map(a -> a.getAttributes().get(ATTEMPT)).sorted().toList();
      assertEquals(List.of(1L, 2L), retried);
    } finally {
      twoLoops.stop();
    }
  }

  @Test
  void theAggregationLogLineCarriesTheTraceId() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger(Aggregator.class);
    Level level = logger.getLevel();
    logger.setLevel(Level.INFO); // the test config keeps the line quiet
    logger.addAppender(logs);
    try {
      aggregate(definition(source("a", upstream.url("n=" + UUID.randomUUID()))), "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01");
      assertTrue(eventually(5_000, () -> !logs.list.isEmpty()));
      ILoggingEvent line = logs.list.get(0);
      assertTrue(line.getKeyValuePairs().stream().anyMatch(kv -> kv.key.equals("traceId") && TRACE_ID.equals(kv.value)),
          String.valueOf(line.getKeyValuePairs()));
    } finally {
      logger.detachAppender(logs);
      logger.setLevel(level);
    }
  }

  @Test
  void anAggregationAskedForOverTheEventBusContinuesTheSendersTraceOrStartsOne() {
    JsonObject definition = definition(source("a", upstream.url("bus=" + UUID.randomUUID())));
    vertx.eventBus().request(BusIntake.AGGREGATE, definition,
        new DeliveryOptions().addHeader("traceparent", "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01")).await();
    SpanData continued = awaitSpan(s -> s.getName().equals("aggregation") && s.getTraceId().equals(TRACE_ID));
    assertEquals(SpanKind.INTERNAL, continued.getKind());
    assertEquals(1, attempts(continued).size());

    spans.reset();
    vertx.eventBus().request(BusIntake.AGGREGATE, definition).await();
    SpanData root = awaitSpan(s -> s.getName().equals("aggregation"));
    assertEquals(SpanKind.SERVER, root.getKind(), "without a trace to continue the aggregation is the server span");
    assertFalse(root.getParentSpanContext().isValid());
  }

  @Test
  void aScheduledPollIsTheRootOfItsTrace() {
    JsonObject feed = definition(source("a", upstream.url("poll=" + UUID.randomUUID())))
        .put("schedule", new JsonObject().put("everyMs", 1_000));
    HttpResponse<Buffer> created = fanin.client.request(HttpMethod.PUT, "/v1/feeds/traced")
        .putHeader("Content-Type", "application/json").sendBuffer(feed.toBuffer()).await();
    assertTrue(created.statusCode() / 100 == 2, created.bodyAsString());
    try {
      SpanData poll = awaitSpan(s -> s.getName().equals("feed.poll"));
      assertEquals(SpanKind.SERVER, poll.getKind());
      assertEquals("traced", poll.getAttributes().get(AttributeKey.stringKey("fanin.feed")));
      SpanData aggregation = awaitSpan(s -> s.getName().equals("aggregation") && s.getParentSpanId().equals(poll.getSpanId()));
      assertEquals("traced", aggregation.getAttributes().get(AttributeKey.stringKey("fanin.feed")));
      assertEquals(1, attempts(aggregation).size());
    } finally {
      fanin.client.request(HttpMethod.DELETE, "/v1/feeds/traced").send().await();
    }
  }

  @Test
  void withTracingOffNothingIsPropagatedUpstream() {
    Vertx plain = Vertx.vertx();
    FakeUpstream other = new FakeUpstream(plain).start();
    FaninHarness off = new FaninHarness(plain, new JsonObject());
    try {
      HttpResponse<Buffer> answer = off.client.request(HttpMethod.POST, "/v1/aggregate")
          .putHeader("Content-Type", "application/json")
          .putHeader("traceparent", "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01")
          .sendBuffer(definition(source("a", other.url("off=1"))).toBuffer()).await();
      assertEquals(200, answer.statusCode(), answer.bodyAsString());
      assertEquals(1, other.recorded("/x").size());
      assertNull(other.recorded("/x").get(0).headers().get("traceparent"));
    } finally {
      off.stop();
      other.stop();
      plain.close().await();
    }
  }

  private static HttpResponse<Buffer> aggregate(JsonObject definition, String traceparent) {
    var request = fanin.client.request(HttpMethod.POST, "/v1/aggregate").putHeader("Content-Type", "application/json");
    if (traceparent != null) {
      request.putHeader("traceparent", traceparent);
    }
    return request.sendBuffer(definition.toBuffer()).await();
  }

  private static List<SpanData> attempts(SpanData aggregation) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.CLIENT && s.getParentSpanId().equals(aggregation.getSpanId())).toList();
  }

  private static SpanData awaitSpan(java.util.function.Predicate<SpanData> which) {
    assertTrue(eventually(5_000, () -> spans.getFinishedSpanItems().stream().anyMatch(which)),
        () -> "no such span among " + spans.getFinishedSpanItems());
    return spans.getFinishedSpanItems().stream().filter(which).findFirst().orElseThrow();
  }
}
