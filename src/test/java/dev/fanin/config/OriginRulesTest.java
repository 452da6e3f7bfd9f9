package dev.fanin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** upstream.origins: each rule's fields checked and named when wrong, and which origins a rule matches. */
class OriginRulesTest {
  private static List<FaninConfig.OriginRule> load(JsonObject... rules) {
    JsonArray list = new JsonArray();
    for (JsonObject rule : rules) {
      list.add(rule);
    }
    return ConfigLoader.fromJson(new JsonObject().put("upstream", new JsonObject().put("origins", list)))
        .upstream().origins();
  }

  /** The key the rule's error names. */
  private static String refused(JsonObject rule) {
    return assertThrows(ConfigException.class, () -> load(rule), rule.encode()).key();
  }

  private static JsonObject match(Object match) {
    return new JsonObject().put("match", match);
  }

  private static FaninConfig.OriginRule rule(String match) {
    return new FaninConfig.OriginRule(match, 0, 1, 0, 0, null);
  }

  // ---- validation ----

  @Test
  void noRulesByDefault() {
    assertEquals(List.of(), ConfigLoader.fromJson(new JsonObject()).upstream().origins());
  }

  @Test
  void aFullRuleIsRead() {
    FaninConfig.OriginRule rule = load(match("API.Example.com").put("ratePerSecond", 5).put("burst", 2)
        .put("perDay", 500).put("maxConcurrency", 4).put("softLimitPointer", "/Note")).get(0);
    assertEquals(new FaninConfig.OriginRule("api.example.com", 5, 2, 500, 4, "/Note"), rule);
  }

  @Test
  void onlyMatchIsRequired() {
    assertEquals(new FaninConfig.OriginRule("api.example.com", 0, 1, 0, 0, null),
        load(match("api.example.com")).get(0));
  }

  @Test
  void theBurstDefaultsToTheRateRoundedUp() {
    assertEquals(3, load(match("a.example.com").put("ratePerSecond", 2.5)).get(0).burst());
    assertEquals(1, load(match("a.example.com").put("ratePerSecond", 0.2)).get(0).burst());
    assertEquals(0.2, load(match("a.example.com").put("ratePerSecond", 0.2)).get(0).ratePerSecond());
  }

  @Test
  void goodMatches() {
    for (String m : List.of("localhost", "api.example.com", "*.example.com", "api.example.com:8443", "10.0.0.1:1",
        "*.example.com:65535", "xn--bcher-kva.example")) {
      assertEquals(m, load(match(m)).get(0).match());
    }
  }

  @Test
  void badMatchesAreRefused() {
    for (Object m : List.of("", "*", "*.", "*example.com", "**.example.com", "*.*.example.com", "api.*.com",
        "https://api.example.com", "api.example.com/v1", "api example.com", "api..example.com", ".example.com",
        "-api.example.com", "api.example.com:", "api.example.com:0", "api.example.com:65536",
        "api.example.com:123456", ":80", "api.example.com:80:80", "[::1]:80", 5)) {
      assertEquals("upstream.origins[0].match", refused(match(m)), String.valueOf(m));
    }
    assertEquals("upstream.origins[0].match", refused(new JsonObject().put("ratePerSecond", 5)));
  }

  @Test
  void ratePerSecondMustBeAPositiveNumber() {
    for (Object rate : List.of(0, -1, 0.0, "5", 1_000_001, true)) {
      assertEquals("upstream.origins[0].ratePerSecond", refused(match("a.example.com").put("ratePerSecond", rate)),
          String.valueOf(rate));
    }
    assertEquals(1_000_000, load(match("a.example.com").put("ratePerSecond", 1_000_000)).get(0).ratePerSecond());
  }

  @Test
  void burstMustBeAnIntegerOfAtLeastOneAndNeedsARate() {
    for (Object burst : List.of(0, -2, 1.5, "3", 1_000_001)) {
      assertEquals("upstream.origins[0].burst",
          refused(match("a.example.com").put("ratePerSecond", 5).put("burst", burst)), String.valueOf(burst));
    }
    assertEquals("upstream.origins[0].burst", refused(match("a.example.com").put("burst", 5)));
    assertEquals(1, load(match("a.example.com").put("ratePerSecond", 5).put("burst", 1.0)).get(0).burst());
  }

  @Test
  void perDayAndMaxConcurrencyMustBeIntegersOfAtLeastOne() {
    for (Object n : List.of(0, -1, 2.5, "10")) {
      assertEquals("upstream.origins[0].perDay", refused(match("a.example.com").put("perDay", n)), String.valueOf(n));
      assertEquals("upstream.origins[0].maxConcurrency", refused(match("a.example.com").put("maxConcurrency", n)),
          String.valueOf(n));
    }
    assertEquals(1, load(match("a.example.com").put("perDay", 1).put("maxConcurrency", 1)).get(0).maxConcurrency());
  }

  @Test
  void softLimitPointerMustBeAJsonPointer() {
    for (Object p : List.of("Note", "", "#/Note", 5, new JsonArray().add("/Note"), "/" + "a".repeat(1024))) {
      assertEquals("upstream.origins[0].softLimitPointer",
          refused(match("a.example.com").put("softLimitPointer", p)), String.valueOf(p));
    }
    assertEquals("/meta/limit",
        load(match("a.example.com").put("softLimitPointer", "/meta/limit")).get(0).softLimitPointer());
  }

  @Test
  void unknownKeysAreRefused() {
    assertEquals("upstream.origins[0].rate", refused(match("a.example.com").put("rate", 5)));
    assertEquals("upstream.origins[0].RatePerSecond", refused(match("a.example.com").put("RatePerSecond", 5)));
  }

  @Test
  void aRuleMustBeAnObject() {
    JsonObject config = new JsonObject().put("upstream", new JsonObject()
        .put("origins", new JsonArray().add("api.example.com")));
    assertEquals("upstream.origins[0]", assertThrows(ConfigException.class, () -> ConfigLoader.fromJson(config)).key());
  }

  @Test
  void theErrorNamesTheRuleByItsIndex() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load(match("a.example.com"), match("b.example.com").put("ratePerSecond", 0)));
    assertEquals("upstream.origins[1].ratePerSecond", e.key());
    assertTrue(e.getMessage().startsWith("upstream.origins[1].ratePerSecond: "), e.getMessage());
  }

  @Test
  void theEnvironmentVariableTakesTheListAsJson() {
    List<FaninConfig.OriginRule> rules = ConfigLoader.load(null, Map.of("FANIN_UPSTREAM_ORIGINS",
        "[{\"match\": \"api.example.com\", \"ratePerSecond\": 5, \"perDay\": 500}, {\"match\": \"*.example.org\"}]"))
        .upstream().origins();
    assertEquals(List.of(new FaninConfig.OriginRule("api.example.com", 5, 5, 500, 0, null),
        new FaninConfig.OriginRule("*.example.org", 0, 1, 0, 0, null)), rules);
  }

  @Test
  void aBadRuleInTheEnvironmentVariableIsNamedToo() {
    assertEquals("upstream.origins[0].ratePerSecond", assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
        Map.of("FANIN_UPSTREAM_ORIGINS", "[{\"match\": \"api.example.com\", \"ratePerSecond\": -5}]"))).key());
    assertEquals("upstream.origins", assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
        Map.of("FANIN_UPSTREAM_ORIGINS", "[{\"match\": "))).key());
    assertEquals("upstream.origins[0]", assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
        Map.of("FANIN_UPSTREAM_ORIGINS", "api.example.com"))).key(), "a plain list of hosts is no list of rules");
  }

  // ---- matching ----

  @Test
  void aHostMatchesThatHostOnAnyPort() {
    FaninConfig.OriginRule rule = rule("api.example.com");
    assertTrue(rule.matches("api.example.com", 443));
    assertTrue(rule.matches("api.example.com", 8080));
    assertFalse(rule.matches("www.api.example.com", 443));
    assertFalse(rule.matches("example.com", 443));
    assertFalse(rule.matches("api.example.com.evil.net", 443));
    assertFalse(rule.matches("xapi.example.com", 443));
  }

  @Test
  void aWildcardMatchesSubdomainsButNotTheBareDomain() {
    FaninConfig.OriginRule rule = rule("*.example.com");
    assertTrue(rule.matches("api.example.com", 443));
    assertTrue(rule.matches("a.b.example.com", 80));
    assertFalse(rule.matches("example.com", 443));
    assertFalse(rule.matches("badexample.com", 443));
    assertFalse(rule.matches("api.example.com.evil.net", 443));
  }

  @Test
  void aHostWithAPortMatchesOnlyThatPort() {
    FaninConfig.OriginRule rule = rule("api.example.com:8443");
    assertTrue(rule.matches("api.example.com", 8443));
    assertFalse(rule.matches("api.example.com", 443));
    assertFalse(rule.matches("other.example.com", 8443));
    FaninConfig.OriginRule wildcard = rule("*.example.com:443");
    assertTrue(wildcard.matches("api.example.com", 443));
    assertFalse(wildcard.matches("api.example.com", 80));
  }

  @Test
  void theFirstMatchingRuleApplies() {
    List<FaninConfig.OriginRule> rules = load(match("api.example.com:8443").put("ratePerSecond", 1),
        match("api.example.com").put("ratePerSecond", 2), match("*.example.com").put("ratePerSecond", 3));
    assertSame(rules.get(0), FaninConfig.OriginRule.first(rules, "api.example.com", 8443));
    assertSame(rules.get(1), FaninConfig.OriginRule.first(rules, "api.example.com", 443));
    assertSame(rules.get(2), FaninConfig.OriginRule.first(rules, "www.example.com", 443));
    assertNull(FaninConfig.OriginRule.first(rules, "example.com", 443));
    assertNull(FaninConfig.OriginRule.first(List.of(), "api.example.com", 443));
    List<FaninConfig.OriginRule> wildcardFirst = List.of(rules.get(2), rules.get(1));
    assertSame(rules.get(2), FaninConfig.OriginRule.first(wildcardFirst, "api.example.com", 443));
  }

  @Test
  void aRuleMayHedgeItsOriginAndABadHedgeNamesItsKey() {
    assertEquals(new HedgeSpec(150, 0),
        load(match("a.example.com").put("hedge", new JsonObject().put("afterMs", 150))).get(0).hedge());
    assertEquals(new HedgeSpec(0, 95),
        load(match("a.example.com").put("hedge", new JsonObject().put("after", "p95"))).get(0).hedge());
    assertEquals("upstream.origins[0].hedge.afterMs",
        refused(match("a.example.com").put("hedge", new JsonObject().put("afterMs", 0))));
    assertEquals("upstream.origins[0].hedge",
        refused(match("a.example.com").put("hedge", new JsonObject())));
    assertEquals("upstream.origins[0].hedge",
        refused(match("a.example.com").put("hedge", "fast")));
  }
}
