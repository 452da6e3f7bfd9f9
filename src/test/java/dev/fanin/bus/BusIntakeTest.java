package dev.fanin.bus;

import static dev.fanin.testing.Eventually.eventually;
import static dev.fanin.testing.ScriptedFetcher.answer;
import static dev.fanin.testing.ScriptedFetcher.failing;
import static dev.fanin.testing.ScriptedFetcher.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.aggregate.Aggregator;
import dev.fanin.aggregate.FeedParserDecoder;
import dev.fanin.aggregate.LoadShedder;
import dev.fanin.aggregate.ResultDecoder;
import dev.fanin.cache.Coalescer;
import dev.fanin.cache.ResponseCache;
import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.feeds.FeedDefinitionParser;
import dev.fanin.feeds.FeedRuns;
import dev.fanin.feeds.FeedAddresses;
import dev.fanin.fetch.ClientBudgets;
import dev.fanin.fetch.BreakerRegistry;
import dev.fanin.fetch.ErrorKind;
import dev.fanin.fetch.FetchResponse;
import dev.fanin.fetch.HostResolver;
import dev.fanin.fetch.Lanes;
import dev.fanin.fetch.OriginGates;
import dev.fanin.fetch.ProcessBytes;
import dev.fanin.metrics.FaninMetrics;
import dev.fanin.pipeline.FetchPipeline;
import dev.fanin.policy.DemoHosts;
import dev.fanin.policy.UpstreamPolicy;
import dev.fanin.testing.Gates;
import dev.fanin.testing.Fetches;
import dev.fanin.testing.ScriptedFetcher;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fanin.aggregate address, through the event bus of a Vert.x in the test, over a real
 * aggregator whose HTTP layer is scripted by path: /ok, /fail (500), /slow (timeout), /held.
 */
@ExtendWith(VertxExtension.class)
class BusIntakeTest {
  Vertx vertx;
  Context loop;
  final Queue<Promise<FetchResponse>> held = ScriptedFetcher.promises();
  final ScriptedFetcher http = new ScriptedFetcher(r -> switch (r.url().getPath()) {
    case "/ok" -> answer(200, "{\"n\":1}", "Content-Type", "application/json").apply(r);
    case "/fail" -> status(500).apply(r);
    case "/slow" -> failing(ErrorKind.TIMEOUT).apply(r);
    case "/held" -> ScriptedFetcher.held(held).apply(r);
    default -> failing(ErrorKind.CONNECT).apply(r);
  });

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.loop = vertx.getOrCreateContext();
    // one aggregation at a time, so that a second one is shed
    FaninConfig config = ConfigLoader.fromJson(new JsonObject()
        .put("upstream", new JsonObject().put("allowPrivateNetworks", true))
        .put("aggregate", new JsonObject().put("maxInFlight", 1)));
    FaninMetrics metrics = FaninMetrics.standalone();
    FetchPipeline pipeline = new FetchPipeline(vertx, http, new BreakerRegistry(vertx, config.breaker(), metrics),
        config::retry, new UpstreamPolicy(config.upstream(), DemoHosts.off()), metrics, new ResponseCache(1 << 20),
        new Coalescer(vertx), new Lanes(), Gates.fixed(vertx, 100, 100), new ClientBudgets(vertx, config::security, metrics),
        List::of,
        new HostResolver(vertx), new dev.fanin.fetch.Hedges(config::upstream, metrics));
    Aggregator aggregator = new Aggregator(vertx, pipeline, () -> config, new LoadShedder(), metrics,
        new ResultDecoder(vertx.createSharedWorkerExecutor("test-decode", 1), new FeedParserDecoder(1 << 20)),
        new ProcessBytes(1 << 28), () -> { });
    DefinitionParser definitions = new DefinitionParser(config);
    BusIntake intake = new BusIntake(vertx.eventBus(), aggregator, definitions,
        new FeedRuns(vertx.eventBus(), new FeedDefinitionParser(definitions, config.feeds())), "node-1");
    Fetches.run(loop, () -> intake.register().completion());
  }

  static JsonObject definition(String... paths) {
    JsonArray sources = new JsonArray();
    for (int i = 0; i < paths.length; i++) {
      sources.add(new JsonObject().put("id", "s" + i).put("url", "http://127.0.0.1:9" + paths[i]));
    }
    return new JsonObject().put("sources", sources);
  }

  Message<Object> ask(Object body, DeliveryOptions options) {
    return vertx.eventBus().request(BusIntake.AGGREGATE, body, options).await();
  }

  Message<Object> ask(Object body) {
    return ask(body, new DeliveryOptions());
  }

  ReplyException refused(Object body) {
    try {
      Object reply = ask(body).body();
      throw new AssertionError("answered " + reply);
    } catch (ReplyException e) {
      return e;
    }
  }

  @Test
  void aDefinitionIsAggregatedAndTheReplyIsTheDocumentNamingTheNode() {
    Message<Object> reply = ask(definition("/ok", "/ok?b"));
    JsonObject document = assertInstanceOf(JsonObject.class, reply.body());
    assertEquals(true, document.getBoolean("complete"));
    assertEquals(1, document.getJsonObject("results").getJsonObject("s1").getJsonObject("data").getInteger("n"));
    assertEquals("node-1", reply.headers().get("fanin-node"));
  }

  @Test
  void whatIsNotAValidDefinitionFails400InTheSendersTerms() {
    ReplyException notObject = refused("sources, please");
    assertEquals(400, notObject.failureCode());
    assertTrue(notObject.getMessage().contains("must be a JSON object"), notObject.getMessage());
    ReplyException empty = refused(new JsonObject().put("sources", new JsonArray()));
    assertEquals(400, empty.failureCode());
    assertTrue(empty.getMessage().contains("/sources"), empty.getMessage());
    assertEquals(0, http.calls());
  }

  @Test
  void aFailedRequiredSourceFails502NamingItAndOnlyTimeoutsFail504() {
    ReplyException failed = refused(definition("/ok", "/fail"));
    assertEquals(502, failed.failureCode());
    assertTrue(failed.getMessage().startsWith("1 of 2 sources failed: s1 (http: "), failed.getMessage());
    assertEquals(504, refused(definition("/ok", "/slow")).failureCode());
  }

  @Test
  void withAStreamToHeaderEachResultGoesThereAndTheReplyIsTheSummary() {
    List<JsonObject> streamed = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("test.stream", m -> streamed.add(m.body())).completion().await();
    Message<Object> reply = ask(definition("/ok", "/ok?b"),
        new DeliveryOptions().addHeader(BusIntake.STREAM_TO_HEADER, "test.stream"));
    JsonObject summary = assertInstanceOf(JsonObject.class, reply.body());
    assertEquals("summary", summary.getString("type"));
    assertEquals(2, summary.getInteger("ok"));
    assertTrue(eventually(5_000, () -> streamed.size() == 2), "streamed " + streamed);
    assertTrue(streamed.stream().allMatch(r -> r.getString("type").equals("result")), streamed.toString());
    assertTrue(streamed.stream().allMatch(r -> r.getJsonObject("timings").getJsonArray("attempts").size() == 1),
        "each streamed result carries its timings: " + streamed);
  }

  @Test
  void aNamedFeedIsResolvedThroughTheRegistryAndItsRefusalPassedOn() {
    vertx.eventBus().<JsonObject>consumer(FeedAddresses.GET, m -> {
      if (m.body().getString("name").equals("mine")) {
        m.reply(new JsonObject().put("definition", definition("/ok")).put("readOnly", false));
      } else {
        m.fail(404, "no feed named " + m.body().getString("name"));
      }
    }).completion().await();
    JsonObject document = (JsonObject) ask(new JsonObject().put("feed", "mine")).body();
    assertEquals("ok", document.getJsonObject("results").getJsonObject("s0").getString("status"));
    ReplyException unknown = refused(new JsonObject().put("feed", "nope"));
    assertEquals(404, unknown.failureCode());
    assertEquals("no feed named nope", unknown.getMessage());
    ReplyException notAName = refused(new JsonObject().put("feed", 5));
    assertEquals(400, notAName.failureCode());
    assertTrue(notAName.getMessage().contains("/feed"), notAName.getMessage());
  }

  @Test
  void theMessagesRequestIdTravelsWithItsSources() {
    ask(definition("/ok"), new DeliveryOptions().addHeader("x-request-id", "rid-7"));
    assertEquals("rid-7", http.last().context().requestId());
  }

  @Test
  void anAggregationBeyondTheProcesssBoundFails503() {
    var first = vertx.eventBus().request(BusIntake.AGGREGATE, definition("/held"));
    assertTrue(eventually(5_000, () -> held.size() == 1), "the first aggregation never reached its source");
    ReplyException shed = refused(definition("/ok"));
    assertEquals(503, shed.failureCode());
    Promise<FetchResponse> p = held.poll();
    Fetches.on(loop, () -> p.complete(new FetchResponse(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("1"))));
    assertEquals(true, ((JsonObject) first.await().body()).getBoolean("complete"));
  }
}
