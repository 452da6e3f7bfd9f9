package dev.fanin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanin.testing.ParserWords;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path file(String json) throws IOException {
    Path f = dir.resolve("fanin.json");
    Files.writeString(f, json, StandardCharsets.UTF_8);
    return f;
  }

  private static ConfigException fails(Runnable load) {
    return assertThrows(ConfigException.class, load::run);
  }

  @Test
  void defaultsLoadWithoutFileOrEnv() {
    FaninConfig c = ConfigLoader.load(null, Map.of());
    assertEquals("127.0.0.1", c.http().host());
    assertEquals(8080, c.http().port());
    assertEquals(10_000, c.aggregate().defaultDeadlineMs());
    assertEquals(120_000, c.aggregate().maxDeadlineMs());
    assertEquals(64, c.aggregate().defaultConcurrency());
    assertEquals(1000, c.aggregate().maxSources());
    assertEquals(5000, c.source().defaultTimeoutMs());
    assertEquals(5, c.source().maxRetries());
    assertEquals(100, c.retry().initialBackoffMs());
    assertEquals(5, c.breaker().maxFailures());
    assertEquals(2000, c.client().connectTimeoutMs());
    assertTrue(c.demo().enabled());
    assertEquals(c, ConfigLoader.fromJson(new JsonObject()));
  }

  @Test
  void fileOverridesDefaultsAndLeavesTheRest() throws IOException {
    Path f = file("{\"http\":{\"port\":9090},\"aggregate\":{\"maxSources\":10},\"demo\":{\"enabled\":false}}");
    FaninConfig c = ConfigLoader.load(f, Map.of());
    assertEquals(9090, c.http().port());
    assertEquals("127.0.0.1", c.http().host());
    assertEquals(10, c.aggregate().maxSources());
    assertEquals(10_000, c.aggregate().defaultDeadlineMs());
    assertFalse(c.demo().enabled());
  }

  @Test
  void fromJsonOverridesDefaults() {
    FaninConfig c = ConfigLoader.fromJson(new JsonObject()
        .put("source", new JsonObject().put("defaultRetries", 2).put("maxRetries", 3)));
    assertEquals(2, c.source().defaultRetries());
    assertEquals(3, c.source().maxRetries());
    assertEquals(5000, c.source().defaultTimeoutMs());
  }

  @Test
  void envOverridesDefaults() {
    FaninConfig c = ConfigLoader.load(null, Map.of(
        "FANIN_HTTP_PORT", "7070",
        "FANIN_AGGREGATE_DEFAULT_DEADLINE_MS", " 2500 ",
        "FANIN_DEMO_ENABLED", "false",
        "FANIN_HTTP_HOST", "0.0.0.0",
        "UNRELATED", "x"));
    assertEquals(7070, c.http().port());
    assertEquals(2500, c.aggregate().defaultDeadlineMs());
    assertFalse(c.demo().enabled());
    assertEquals("0.0.0.0", c.http().host());
  }

  @Test
  void tracingIsOffByDefaultAndItsKeysComeFromTheEnvironmentToo() {
    FaninConfig.Tracing off = ConfigLoader.load(null, Map.of()).tracing();
    assertEquals(new FaninConfig.Tracing(false, null, false, "fanin"), off);
    FaninConfig.Tracing on = ConfigLoader.load(null, Map.of(
        "FANIN_TRACING_ENABLED", "true",
        "FANIN_TRACING_OTLP_ENDPOINT", "http://collector:4318/v1/traces",
        "FANIN_TRACING_CONSOLE", "true",
        "FANIN_TRACING_SERVICE_NAME", "fanin-eu")).tracing();
    assertEquals(new FaninConfig.Tracing(true, "http://collector:4318/v1/traces", true, "fanin-eu"), on);
  }

  @Test
  void anOtlpEndpointMustBeAnHttpUrl() {
    ConfigException e = fails(() -> ConfigLoader.fromJson(new JsonObject()
        .put("tracing", new JsonObject().put("otlpEndpoint", "collector:4318"))));
    assertEquals("tracing.otlpEndpoint", e.key());
    assertTrue(e.getMessage().contains("http://localhost:4318/v1/traces"), e.getMessage());
  }

  @Test
  void aMisspeltVariableStopsTheStartNamingItAndTheNearestName() {
    ConfigException e = fails(() -> ConfigLoader.load(null, Map.of("FANIN_HTTP_PORTT", "1")));
    assertEquals("FANIN_HTTP_PORTT", e.key());
    assertEquals("FANIN_HTTP_PORTT: unknown environment variable; did you mean FANIN_HTTP_PORT?", e.getMessage());

    // a long name may be three edits away: the dropped _MS
    assertTrue(fails(() -> ConfigLoader.load(null, Map.of("FANIN_AGGREGATE_DEFAULT_DEADLINE", "5")))
        .getMessage().endsWith("did you mean FANIN_AGGREGATE_DEFAULT_DEADLINE_MS?"));
    // the start script's own variable is suggested too
    assertTrue(fails(() -> ConfigLoader.load(null, Map.of("FANIN_JAVA_OPT", "-Xmx1g")))
        .getMessage().endsWith("did you mean FANIN_JAVA_OPTS?"));
  }

  @Test
  void anUnknownVariableWithNothingCloseSaysHowNamesAreMade() {
    ConfigException e = fails(() -> ConfigLoader.load(null, Map.of("FANIN_COLOUR", "blue")));
    assertEquals("FANIN_COLOUR", e.key());
    assertFalse(e.getMessage().contains("did you mean"), e.getMessage());
    assertTrue(e.getMessage().contains("http.port is FANIN_HTTP_PORT"), e.getMessage());
    // a section is not a key
    assertEquals("FANIN_HTTP", fails(() -> ConfigLoader.load(null, Map.of("FANIN_HTTP", "x"))).key());
  }

  @Test
  void unknownVariablesAreReportedInNameOrderAndAlsoWithAConfigFile() throws IOException {
    Path f = file("{\"http\":{\"port\":9090}}");
    assertEquals("FANIN_A", fails(() -> ConfigLoader.load(f,
        Map.of("FANIN_Z", "1", "FANIN_A", "1", "FANIN_HTTP_PORT", "7070"))).key());
  }

  @Test
  void everyKeysVariableAndTheStartScriptsAreAccepted() {
    Map<String, String> env = new java.util.HashMap<>();
    // the value each key already has, so that only the names are under test
    putEveryKey(ConfigLoader.defaults(), "", env);
    env.put("FANIN_JAVA_OPTS", "-Xmx64m");
    env.put("NOT_FANIN_AT_ALL", "x");
    env.put("fanin_http_port", "x");
    assertEquals(ConfigLoader.load(null, Map.of()), ConfigLoader.load(null, env));
  }

  /** Every key's variable, nested sections included, with the value the key already has. */
  private static void putEveryKey(JsonObject section, String prefix, Map<String, String> env) {
    for (String key : section.fieldNames()) {
      Object value = section.getValue(key);
      if (value instanceof JsonObject nested) {
        putEveryKey(nested, prefix + key + ".", env);
      } else {
        env.put(ConfigLoader.envName(prefix + key), value instanceof io.vertx.core.json.JsonArray list
            ? list.encode() : String.valueOf(value));
      }
    }
  }

  @Test
  void editDistanceCountsSingleCharacterEdits() {
    assertEquals(0, ConfigLoader.editDistance("FANIN_HTTP_PORT", "FANIN_HTTP_PORT"));
    assertEquals(1, ConfigLoader.editDistance("FANIN_HTTP_PORTT", "FANIN_HTTP_PORT"));
    assertEquals(2, ConfigLoader.editDistance("FANIN_HTTP_PROT", "FANIN_HTTP_PORT"));
    assertEquals(3, ConfigLoader.editDistance("kitten", "sitting"));
    assertNull(ConfigLoader.closest("FANIN_HTTP_PRTOT", java.util.Set.of("FANIN_LOG_LEVEL")));
  }

  @Test
  void envBooleansAreCaseInsensitive() {
    assertTrue(ConfigLoader.load(null, Map.of("FANIN_DEMO_ENABLED", "TRUE")).demo().enabled());
    assertFalse(ConfigLoader.load(null, Map.of("FANIN_DEMO_ENABLED", "False")).demo().enabled());
  }

  @Test
  void envBeatsFile() throws IOException {
    Path f = file("{\"http\":{\"port\":9090,\"instances\":2}}");
    FaninConfig c = ConfigLoader.load(f, Map.of("FANIN_HTTP_PORT", "7070"));
    assertEquals(7070, c.http().port());
    assertEquals(2, c.http().instances());
  }

  @Test
  void envNameMapsDottedCamelCaseKeys() {
    assertEquals("FANIN_HTTP_PORT", ConfigLoader.envName("http.port"));
    assertEquals("FANIN_AGGREGATE_DEFAULT_DEADLINE_MS", ConfigLoader.envName("aggregate.defaultDeadlineMs"));
    assertEquals("FANIN_DEMO_ENABLED", ConfigLoader.envName("demo.enabled"));
    assertEquals("FANIN_CLIENT_MAX_CONNECTIONS_PER_ORIGIN",
        ConfigLoader.envName("client.maxConnectionsPerOrigin"));
  }

  @Test
  void badTypeNamesTheKey() {
    ConfigException e = fails(() -> ConfigLoader.fromJson(
        new JsonObject().put("http", new JsonObject().put("port", "eighty"))));
    assertEquals("http.port", e.key());
    assertTrue(e.getMessage().startsWith("http.port"), e.getMessage());

    assertEquals("demo.enabled", fails(() -> ConfigLoader.fromJson(
        new JsonObject().put("demo", new JsonObject().put("enabled", "yes")))).key());
    assertEquals("http.host", fails(() -> ConfigLoader.fromJson(
        new JsonObject().put("http", new JsonObject().put("host", 5)))).key());
    assertEquals("source.defaultTimeoutMs", fails(() -> ConfigLoader.fromJson(
        new JsonObject().put("source", new JsonObject().put("defaultTimeoutMs", 1.5)))).key());
  }

  @Test
  void sectionThatIsNotAnObjectNamesTheKey() {
    assertEquals("http", fails(() -> ConfigLoader.fromJson(new JsonObject().put("http", 5))).key());
  }

  @Test
  void outOfRangeNamesTheKey() {
    assertEquals("http.port", fails(() -> ConfigLoader.fromJson(
        new JsonObject().put("http", new JsonObject().put("port", 70_000)))).key());
    assertEquals("aggregate.maxSources", fails(() -> ConfigLoader.fromJson(
        new JsonObject().put("aggregate", new JsonObject().put("maxSources", 0)))).key());
    assertEquals("http.port", fails(() -> ConfigLoader.load(null,
        Map.of("FANIN_HTTP_PORT", "-1"))).key());
  }

  @Test
  void unknownKeyInFileNamesTheKey() throws IOException {
    Path f = file("{\"http\":{\"prot\":8081}}");
    ConfigException e = fails(() -> ConfigLoader.load(f, Map.of()));
    assertEquals("http.prot", e.key());

    Path top = file("{\"htttp\":{}}");
    assertEquals("htttp", fails(() -> ConfigLoader.load(top, Map.of())).key());
  }

  @Test
  void envNotAnIntegerNamesTheKey() {
    ConfigException e = fails(() -> ConfigLoader.load(null, Map.of("FANIN_HTTP_PORT", "80a")));
    assertEquals("http.port", e.key());
    assertTrue(e.getMessage().contains("FANIN_HTTP_PORT"), e.getMessage());

    assertEquals("demo.enabled",
        fails(() -> ConfigLoader.load(null, Map.of("FANIN_DEMO_ENABLED", "maybe"))).key());
  }

  @Test
  void defaultAboveMaximumNamesTheDefault() {
    ConfigException e = fails(() -> ConfigLoader.fromJson(new JsonObject().put("aggregate",
        new JsonObject().put("defaultConcurrency", 50).put("maxConcurrency", 10))));
    assertEquals("aggregate.defaultConcurrency", e.key());
    assertTrue(e.getMessage().contains("aggregate.maxConcurrency"), e.getMessage());

    assertEquals("aggregate.defaultDeadlineMs", fails(() -> ConfigLoader.load(null,
        Map.of("FANIN_AGGREGATE_DEFAULT_DEADLINE_MS", "200000"))).key());
    assertEquals("source.defaultRetries", fails(() -> ConfigLoader.fromJson(new JsonObject()
        .put("source", new JsonObject().put("defaultRetries", 3).put("maxRetries", 2)))).key());
  }

  @Test
  void missingFileIsReported() {
    Path missing = dir.resolve("nope.json");
    ConfigException e = fails(() -> ConfigLoader.load(missing, Map.of()));
    assertEquals("--config", e.key());
    assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
  }

  @Test
  void fileThatIsNotJsonIsReported() throws IOException {
    Path broken = file("{\"http\": {\"port\": ");
    ConfigException e = fails(() -> ConfigLoader.load(broken, Map.of()));
    assertEquals("--config", e.key());
    assertTrue(e.getMessage().endsWith("fanin.json is not valid JSON at line 1, column 19: "
        + "unexpected end of input: an object is not closed"), e.getMessage());
    ParserWords.assertNone(e.getMessage());

    Path array = file("[1, 2]");
    ConfigException notObject = fails(() -> ConfigLoader.load(array, Map.of()));
    assertEquals("--config", notObject.key());
    assertTrue(notObject.getMessage().endsWith("fanin.json is not a JSON object"), notObject.getMessage());
  }

  @Test
  void corsOriginsAreOriginsOrAStarKeptAsBrowsersSendThem() {
    assertEquals(List.of(), ConfigLoader.load(null, Map.of()).http().cors().allowOrigins());
    FaninConfig c = ConfigLoader.fromJson(new JsonObject().put("http", new JsonObject().put("cors", new JsonObject()
        .put("allowOrigins", new io.vertx.core.json.JsonArray().add("HTTPS://App.Example.com:443").add("http://localhost:3000")
            .add("http://[::1]:80").add(" https://app.example.com ")))));
    assertEquals(List.of("https://app.example.com", "http://localhost:3000", "http://[::1]"), c.http().cors().allowOrigins());
    FaninConfig env = ConfigLoader.load(null, Map.of("FANIN_HTTP_CORS_ALLOW_ORIGINS", "https://a.example.com, http://localhost:3000"));
    assertEquals(List.of("https://a.example.com", "http://localhost:3000"), env.http().cors().allowOrigins());
    assertEquals(List.of("*"), ConfigLoader.load(null, Map.of("FANIN_HTTP_CORS_ALLOW_ORIGINS", "*")).http().cors().allowOrigins());
    for (Object bad : List.of("https://app.example.com/", "https://app.example.com/app", "ftp://files.example.com",
        "app.example.com", "https://user@app.example.com", "https://app.example.com?x=1", "https://app.example.com#x",
        "https://", "https://app.example.com:0", "*.example.com", "", 42)) {
      ConfigException e = fails(() -> ConfigLoader.fromJson(new JsonObject().put("http", new JsonObject()
          .put("cors", new JsonObject().put("allowOrigins", new io.vertx.core.json.JsonArray().add(bad))))));
      assertEquals("http.cors.allowOrigins", e.key(), String.valueOf(bad));
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
    assertEquals("http.cors.allowOrigins", fails(() -> ConfigLoader.load(null,
        Map.of("FANIN_HTTP_CORS_ALLOW_ORIGINS", "https://app.example.com/path"))).key());
    assertEquals("http.cors.unknown", fails(() -> ConfigLoader.fromJson(new JsonObject().put("http", new JsonObject()
        .put("cors", new JsonObject().put("unknown", 1))))).key());
  }

  @Test
  void listsComeFromTheFileOrCommaSeparatedFromTheEnvironment() {
    FaninConfig c = ConfigLoader.load(null, Map.of("FANIN_UPSTREAM_DENY_PORTS", "25, 6379",
        "FANIN_UPSTREAM_ALLOW_HOSTS", "*.example.com,api.other.org"));
    assertEquals(java.util.List.of(25, 6379), c.upstream().denyPorts());
    assertEquals(java.util.List.of("*.example.com", "api.other.org"), c.upstream().allowHosts());
    assertEquals("upstream.denyPorts", fails(() -> ConfigLoader.load(null,
        Map.of("FANIN_UPSTREAM_DENY_PORTS", "25,smtp"))).key());
    assertEquals("upstream.schemes", fails(() -> ConfigLoader.load(null,
        Map.of("FANIN_UPSTREAM_SCHEMES", "ftp"))).key());
  }

  @Test
  void apiKeysAreHashesWithKnownScopes() {
    String hash = "a".repeat(64);
    FaninConfig c = ConfigLoader.load(null, Map.of("FANIN_SECURITY_API_KEYS",
        "[{\"id\":\"ops\",\"sha256\":\"" + hash + "\",\"scopes\":[\"aggregate\"]}]"));
    assertEquals("ops", c.security().apiKeys().get(0).id());
    assertEquals(java.util.Set.of("aggregate"), c.security().apiKeys().get(0).scopes());
    JsonObject plain = new JsonObject().put("id", "ops").put("sha256", "my-secret-key")
        .put("scopes", new io.vertx.core.json.JsonArray().add("aggregate"));
    ConfigException e = fails(() -> ConfigLoader.fromJson(new JsonObject().put("security",
        new JsonObject().put("apiKeys", new io.vertx.core.json.JsonArray().add(plain)))));
    assertEquals("security.apiKeys[0].sha256", e.key());
    JsonObject badScope = plain.copy().put("sha256", hash).put("scopes", new io.vertx.core.json.JsonArray().add("root"));
    assertEquals("security.apiKeys[0].scopes", fails(() -> ConfigLoader.fromJson(new JsonObject().put("security",
        new JsonObject().put("apiKeys", new io.vertx.core.json.JsonArray().add(badScope))))).key());
  }
}
