package dev.fanin.feeds;

import dev.fanin.definition.Placeholders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.definition.FieldError;
import dev.fanin.definition.InvalidDefinitionException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Expansion never builds more than a definition may hold, and a feed that could is refused at PUT. */
class FeedExpansionTest {
  static JsonObject feedWithHeader(String value) {
    return new JsonObject().put("sources", new JsonArray().add(new JsonObject().put("id", "a")
        .put("url", "http://x.example/").put("headers", new JsonObject().put("X-Big", value))));
  }

  @Test
  void aParametersLongestValueComesFromASimplePatternOrTheLimit() {
    assertEquals(12, FeedExpansion.maxLength(new ParamSpec("s", Pattern.compile("[A-Za-z0-9.-]{1,12}"), "A")));
    assertEquals(3, FeedExpansion.maxLength(new ParamSpec("s", Pattern.compile("\\d{3}"), "123")));
    assertEquals(1024, FeedExpansion.maxLength(new ParamSpec("s", Pattern.compile("[a-z]+"), "a")));
    assertEquals(1024, FeedExpansion.maxLength(new ParamSpec("s", Pattern.compile("a{1,5}|b{1,5}"), "a")));
    assertEquals(1024, FeedExpansion.maxLength(new ParamSpec("s", null, "a")));
  }

  @Test
  void theWorstCaseIsCheckedAtPutNamingTheField() {
    String many = "{p}".repeat(2700);
    List<FieldError> errors = new ArrayList<>();
    FeedExpansion.checkWorstCase(feedWithHeader(many), Map.of("p", new ParamSpec("p", null, "x")), errors);
    assertEquals(1, errors.size());
    assertEquals("/sources/0/headers/X-Big", errors.get(0).pointer());
    errors.clear();
    FeedExpansion.checkWorstCase(feedWithHeader("{p}-{p}"), Map.of("p", new ParamSpec("p", null, "x")), errors);
    assertTrue(errors.isEmpty(), errors.toString());
    FeedExpansion.checkWorstCase(feedWithHeader("{s}".repeat(600)),
        Map.of("s", new ParamSpec("s", Pattern.compile("[A-Z]{1,12}"), "A")), errors);
    assertTrue(errors.isEmpty(), "600 × 12 fits in 8192: " + errors);
  }

  @Test
  void expansionStopsAsSoonAsAFieldPassesItsLimit() {
    String value = "v".repeat(1024);
    InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class,
        () -> FeedExpansion.substitute(feedWithHeader("{p}".repeat(100)), Map.of("p", value)));
    assertEquals("/sources/0/headers/X-Big", e.errors().get(0).pointer());
    assertThrows(Placeholders.TooLong.class, () -> Placeholders.substitute("{p}".repeat(100_000), Map.of("p", value), 8192));
  }
}
