package dev.fanin.demo;

import static dev.fanin.testing.FaninHarness.definition;
import static dev.fanin.testing.FaninHarness.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.FaninExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The demo as a newcomer uses it: the shipped examples on whatever port fanin listens on, with
 * private networks refused (the default), and flaky's breaker apart from the rest of the demo.
 */
class DemoUpstreamTest {
  @RegisterExtension
  static final FaninExtension fixture = FaninExtension.withConfig(new JsonObject()
      .put("upstream", new JsonObject().put("allowPrivateNetworks", false))
      .put("breaker", new JsonObject().put("maxFailures", 2)))
      .upstreams(0);

  private static JsonObject example(String name) throws Exception {
    return new JsonObject(Files.readString(Path.of("conf", "examples", name)));
  }

  @Test
  void theShippedExamplesWorkOnAnyPort() throws Exception {
    assertTrue(fixture.fanin().fanin.port() != 8080);
    JsonObject markets = fixture.fanin().aggregate(example("markets.json")).bodyAsJsonObject();
    assertEquals(true, markets.getBoolean("complete"), markets.encode());
    assertEquals("BTC", markets.getJsonObject("results").getJsonObject("btc").getJsonObject("data").getString("symbol"));
    JsonObject timeline = fixture.fanin().aggregate(example("timeline.json")).bodyAsJsonObject();
    assertEquals(true, timeline.getBoolean("complete"), timeline.encode());
    assertEquals(10, timeline.getJsonArray("items").size());
  }

  @Test
  void theShippedFeedsPointAtTheDemoByName() throws Exception {
    for (String feed : List.of("quotes.json", "headlines.json")) {
      String text = Files.readString(Path.of("conf", "feeds", feed));
      assertTrue(text.contains(".demo.localhost/") && !text.contains("127.0.0.1"), feed);
    }
  }

  @Test
  void flakyOpensItsOwnBreakerAndTheRestOfTheDemoStaysUp() {
    JsonArray sources = new JsonArray();
    for (int i = 0; i < 12; i++) {
      sources.add(source("f" + i, "http://flaky.demo.localhost/?i=" + i));
    }
    // flaky fails two times in three at random, and a success resets the breaker's count: a round of 12 sees
    // 5 failures in a row most of the time; a few rounds make it certain enough
    for (int round = 0; round < 8 && !"OPEN".equals(flakyBreaker()); round++) {
      fixture.fanin().aggregate(new JsonObject().put("sources", sources).put("concurrency", 1));
    }
    assertEquals("OPEN", flakyBreaker());
    JsonObject quote = fixture.fanin().aggregate(definition(source("q", "http://quotes.demo.localhost/ETH")))
        .bodyAsJsonObject().getJsonObject("results").getJsonObject("q");
    assertEquals("ok", quote.getString("status"), quote.encode());
  }

  String flakyBreaker() {
    return fixture.fanin().fanin.breakers().forOrigin("http://flaky.demo.localhost:80").state().name();
  }

  @Test
  void aServiceAnswersOnlyOnItsOwnName() {
    JsonObject result = fixture.fanin().aggregate(definition(source("x", "http://quotes.demo.localhost/")))
        .bodyAsJsonObject().getJsonObject("results").getJsonObject("x");
    assertEquals(404, result.getInteger("httpStatus"), result.encode());
    result = fixture.fanin().aggregate(definition(source("x", "http://news.demo.localhost/v1/feeds")))
        .bodyAsJsonObject().getJsonObject("results").getJsonObject("x");
    assertEquals(404, result.getInteger("httpStatus"), result.encode());
  }

  @Test
  void rssKeepsItsItemsAndAddsOneAMinute() {
    List<String> now = guids(DemoUpstream.rssDocument("tech", 29_000_000));
    List<String> next = guids(DemoUpstream.rssDocument("tech", 29_000_001));
    assertEquals(5, now.size());
    List<String> added = new ArrayList<>(next);
    added.removeAll(now);
    assertEquals(List.of("tech-29000001"), added);
  }

  private static List<String> guids(String xml) {
    Matcher m = Pattern.compile("<guid>([^<]+)</guid>").matcher(xml);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
