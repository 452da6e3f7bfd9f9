package dev.fanin.feeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.config.ConfigLoader;
import dev.fanin.config.FaninConfig;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.definition.FieldError;
import dev.fanin.definition.InvalidDefinitionException;
import dev.fanin.definition.SourceSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Feed validation (definition + params + schedule) and resolution with parameter values. */
class FeedDefinitionParserTest {
  static final String URL = "http://127.0.0.1:9/x";
  static final FaninConfig CONFIG = ConfigLoader.fromJson(new JsonObject()
      .put("feeds", new JsonObject().put("minScheduleMs", 100).put("maxParams", 3)));
  final FeedDefinitionParser parser = new FeedDefinitionParser(new DefinitionParser(CONFIG), CONFIG.feeds());

  static JsonObject feed(String url) {
    return new JsonObject().put("sources", new JsonArray().add(new JsonObject().put("id", "a").put("url", url)));
  }

  static JsonObject quoteFeed() {
    return new JsonObject()
        .put("params", new JsonObject()
            .put("symbol", new JsonObject().put("pattern", "[A-Z]{1,8}"))
            .put("currency", new JsonObject().put("default", "usd")))
        .put("sources", new JsonArray().add(new JsonObject()
            .put("id", "quote").put("method", "POST")
            .put("url", "http://127.0.0.1:9/quote/{symbol}?in={currency}")
            .put("headers", new JsonObject().put("X-Symbol", "{symbol}").put("X-Other", "{other}"))
            .put("body", new JsonObject().put("symbol", "{symbol}").put("n", 1)
                .put("list", new JsonArray().add("{currency}").add(true))
                .put("{symbol}", "key stays"))));
  }

  List<String> pointers(Runnable parse) {
    InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, parse::run);
    return e.errors().stream().map(FieldError::pointer).toList();
  }

  List<String> parseErrors(String name, JsonObject json) {
    return pointers(() -> parser.parse(name, json, false));
  }

  @Test
  void aValidFeedKeepsItsDefinitionParamsAndSchedule() {
    JsonObject json = quoteFeed();
    Feed feed = parser.parse("quotes", json, true);
    assertEquals("quotes", feed.name());
    assertTrue(feed.readOnly());
    assertEquals(json, feed.definition());
    assertEquals(List.of("currency", "symbol"), feed.params().keySet().stream().sorted().toList());
    assertTrue(feed.params().get("symbol").required());
    assertEquals("usd", feed.params().get("currency").defaultValue());
    assertNull(feed.schedule());
    assertTrue(feed.etag().matches("\"[0-9a-f]{24}\""), feed.etag());

    Feed scheduled = parser.parse("s", feed(URL).put("schedule", new JsonObject().put("everyMs", 100)), false);
    assertEquals(new Schedule(100), scheduled.schedule());
  }

  @Test
  void theEtagIsAHashOfTheDefinition() {
    String a = parser.parse("a", feed(URL), false).etag();
    assertEquals(a, parser.parse("other-name", feed(URL), true).etag());
    assertNotEquals(a, parser.parse("a", feed(URL + "?v=2"), false).etag());
    assertNotEquals(a, parser.parse("a", feed(URL).put("deadlineMs", 1000), false).etag());
  }

  @Test
  void namesAreOneTo64SafeCharacters() {
    for (String ok : List.of("a", "A.b_c-9", "x".repeat(64), ".a", "a..", "-.", "._")) {
      parser.parse(ok, feed(URL), false);
    }
    for (String bad : new String[] {"", "x".repeat(65), "a b", "a/b", "ü", "a\n", null}) {
      assertEquals(List.of("/name"), parseErrors(bad, feed(URL)), "name " + bad);
    }
  }

  @Test
  void namesOfOnlyDotsAreRefused() {
    // "." and ".." vanish from a normalised URL path; "..." would be stored as a hidden file
    for (String dots : List.of(".", "..", "...", ".".repeat(64))) {
      InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
          () -> parser.parse(dots, feed(URL), false), dots);
      assertEquals(List.of(new FieldError("/name", FeedDefinitionParser.NAME_RULE)), e.errors(), dots);
      assertTrue(e.errors().get(0).detail().contains("not only dots"), e.errors().toString());
    }
  }

  static Stream<Arguments> badFeeds() {
    JsonObject p = new JsonObject().put("a", new JsonObject());
    return Stream.of(
        Arguments.of(feed(URL).put("params", "symbol"), "/params"),
        Arguments.of(feed(URL).put("params", new JsonObject().put("1x", new JsonObject())), "/params/1x"),
        Arguments.of(feed(URL).put("params", new JsonObject().put("a-b", new JsonObject())), "/params/a-b"),
        Arguments.of(feed(URL).put("params", new JsonObject().put("x".repeat(33), new JsonObject())), "/params/" + "x".repeat(33)),
        Arguments.of(feed(URL).put("params", new JsonObject().put("a", "BTC")), "/params/a"),
        Arguments.of(feed(URL).put("params", new JsonObject().put("a", new JsonObject().put("dflt", "x"))), "/params/a/dflt"),
        Arguments.of(feed(URL).put("params", new JsonObject().put("a", new JsonObject().put("pattern", "[a-"))), "/params/a/pattern"),
        Arguments.of(feed(URL).put("params", new JsonObject().put("a", new JsonObject().put("pattern", "a".repeat(257)))), "/params/a/pattern"),
        Arguments.of(feed(URL).put("params", new JsonObject().put("a", new JsonObject().put("pattern", 5))), "/params/a/pattern"),
        Arguments.of(feed(URL).put("params", new JsonObject().put("a", new JsonObject().put("default", 5))), "/params/a/default"),
        Arguments.of(feed(URL).put("params", new JsonObject().put("a", new JsonObject().put("default", "x".repeat(1025)))), "/params/a/default"),
        Arguments.of(feed(URL).put("params", new JsonObject().put("a", new JsonObject().put("pattern", "[A-Z]+").put("default", "btc"))), "/params/a/default"),
        Arguments.of(feed(URL).put("params", new JsonObject().put("a", new JsonObject()).put("b", new JsonObject())
            .put("c", new JsonObject()).put("d", new JsonObject())), "/params"),
        Arguments.of(feed(URL).put("schedule", 1000), "/schedule"),
        Arguments.of(feed(URL).put("schedule", new JsonObject()), "/schedule/everyMs"),
        Arguments.of(feed(URL).put("schedule", new JsonObject().put("everyMs", 99)), "/schedule/everyMs"),
        Arguments.of(feed(URL).put("schedule", new JsonObject().put("everyMs", 86_400_001)), "/schedule/everyMs"),
        Arguments.of(feed(URL).put("schedule", new JsonObject().put("everyMs", 150.5)), "/schedule/everyMs"),
        Arguments.of(feed(URL).put("schedule", new JsonObject().put("everyMs", "1000")), "/schedule/everyMs"),
        Arguments.of(feed(URL).put("schedule", new JsonObject().put("everyMs", 1000).put("jitter", 1)), "/schedule/jitter"),
        Arguments.of(feed(URL).put("schedule", new JsonObject().put("everyMs", 1000)).put("params", p), "/params/a/default"),
        Arguments.of(feed("http://127.0.0.1:9/x/{nope}"), "/sources/0/url"),
        Arguments.of(feed("http://{host}/x").put("params", new JsonObject().put("host", new JsonObject().put("default", "h"))), "/sources/0/url"),
        Arguments.of(feed("http://127.0.0.1:{port}/x").put("params", new JsonObject().put("port", new JsonObject().put("default", "9"))), "/sources/0/url"),
        Arguments.of(feed("http://api{a}.example/x").put("params", new JsonObject().put("a", new JsonObject().put("default", "1"))), "/sources/0/url"),
        Arguments.of(feed("{a}://127.0.0.1/x").put("params", new JsonObject().put("a", new JsonObject().put("default", "http"))), "/sources/0/url"),
        // the definition itself is validated exactly as /v1/aggregate validates it
        Arguments.of(new JsonObject().put("sources", new JsonArray()), "/sources"),
        Arguments.of(new JsonObject(), "/sources"),
        Arguments.of(feed(URL).put("sorces", 1), "/sorces"),
        Arguments.of(feed("ftp://127.0.0.1/{a}").put("params", p), "/sources/0/url"),
        Arguments.of(feed(URL).put("deadlineMs", 0), "/deadlineMs"));
  }

  @ParameterizedTest
  @MethodSource("badFeeds")
  void invalidFeedsNameTheFieldByPointer(JsonObject json, String pointer) {
    List<String> pointers = parseErrors("f", json);
    assertTrue(pointers.contains(pointer), "expected " + pointer + " in " + pointers + " for " + json.encode());
  }

  @Test
  void placeholdersAreCheckedWithTheirDefaultsOrASampleValue() {
    JsonObject header = new JsonObject().put("params", new JsonObject()
            .put("v", new JsonObject().put("default", "a\r\nX-Evil: 1")))
        .put("sources", new JsonArray().add(new JsonObject().put("id", "a").put("url", URL)
            .put("headers", new JsonObject().put("X-V", "{v}"))));
    assertEquals(List.of("/sources/0/headers/X-V"), parseErrors("f", header));
    // a required parameter in the path is checked with a sample value: the template is valid
    parser.parse("f", feed("http://127.0.0.1:9/x/{v}?q={v}#{v}")
        .put("params", new JsonObject().put("v", new JsonObject().put("pattern", "[0-9]+"))), false);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    JsonObject json = feed("http://127.0.0.1:9/x/{nope}")
        .put("params", new JsonObject().put("1x", new JsonObject()))
        .put("schedule", new JsonObject().put("everyMs", 1))
        .put("concurrency", 0);
    List<String> pointers = parseErrors("bad name", json);
    for (String p : List.of("/name", "/params/1x", "/schedule/everyMs", "/sources/0/url", "/concurrency")) {
      assertTrue(pointers.contains(p), p + " missing from " + pointers);
    }
  }

  @Test
  void resolveSubstitutesUrlHeadersAndBodyStringValues() {
    Feed feed = parser.parse("q", quoteFeed(), false);
    AggregationSpec spec = parser.resolve(feed, Map.of("symbol", "BTC"));
    SourceSpec source = spec.sources().get(0);
    assertEquals("http://127.0.0.1:9/quote/BTC?in=usd", source.url().toString());
    assertEquals("BTC", source.headers().get("X-Symbol"));
    assertEquals("{other}", source.headers().get("X-Other"), "an undeclared placeholder outside URLs stays");
    JsonObject body = new JsonObject(source.body());
    assertEquals(new JsonObject().put("symbol", "BTC").put("n", 1)
        .put("list", new JsonArray().add("usd").add(true)).put("{symbol}", "key stays"), body);

    SourceSpec eur = parser.resolve(feed, Map.of("symbol", "ETH", "currency", "e/r")).sources().get(0);
    assertEquals("http://127.0.0.1:9/quote/ETH?in=e%2Fr", eur.url().toString());
  }

  @Test
  void aValueCannotBreakOutOfItsJsonString() {
    Feed feed = parser.parse("q", quoteFeed().put("params", new JsonObject().put("symbol", new JsonObject())
        .put("currency", new JsonObject().put("default", "usd"))), false);
    String evil = "\", \"admin\": true, \"x\": \"";
    JsonObject body = new JsonObject(parser.resolve(feed, Map.of("symbol", evil)).sources().get(0).body());
    assertEquals(evil, body.getString("symbol"));
    assertFalse(body.containsKey("admin"));
  }

  @Test
  void resolveRefusesMissingUnknownAndMismatchedParameters() {
    Feed feed = parser.parse("q", quoteFeed(), false);
    assertEquals(List.of("/params/symbol"), pointers(() -> parser.resolve(feed, Map.of())));
    assertEquals(List.of("/params/symbol"), pointers(() -> parser.resolve(feed, Map.of("symbol", "btc"))));
    assertEquals(List.of("/params/symbol"), pointers(() -> parser.resolve(feed, Map.of("symbol", "BTC1"))),
        "the pattern must match the whole value");
    assertEquals(List.of("/params/symbol"), pointers(() -> parser.resolve(feed, Map.of("symbol", "xBTC"))));
    assertEquals(List.of("/params/zzz"), pointers(() -> parser.resolve(feed, Map.of("symbol", "BTC", "zzz", "1"))));
    List<String> both = pointers(() -> parser.resolve(feed, Map.of("zzz", "1")));
    assertTrue(both.containsAll(List.of("/params/zzz", "/params/symbol")), both.toString());
  }

  @Test
  void valuesAreAtMost1024Characters() {
    Feed feed = parser.parse("f", feed(URL + "?v={v}").put("params", new JsonObject().put("v", new JsonObject())), false);
    parser.resolve(feed, Map.of("v", "x".repeat(1024)));
    assertEquals(List.of("/params/v"), pointers(() -> parser.resolve(feed, Map.of("v", "x".repeat(1025)))));
  }

  @Test
  void aValueWithCrLfInAHeaderIsRefusedAtRunTime() {
    Feed feed = parser.parse("f", feed(URL).put("params", new JsonObject().put("v", new JsonObject())), false);
    JsonObject json = feed.definition().copy();
    json.getJsonArray("sources").getJsonObject(0).put("headers", new JsonObject().put("X-V", "pre-{v}"));
    Feed withHeader = parser.parse("f", json, false);
    assertEquals("pre-ok", parser.resolve(withHeader, Map.of("v", "ok")).sources().get(0).headers().get("X-V"));
    for (String evil : List.of("a\r\nX-Evil: 1", "a\nX-Evil: 1", "a\rb", "a\u0000b")) {
      assertEquals(List.of("/sources/0/headers/X-V"), pointers(() -> parser.resolve(withHeader, Map.of("v", evil))));
    }
  }
}
