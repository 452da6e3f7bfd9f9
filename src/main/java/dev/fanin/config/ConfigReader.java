package dev.fanin.config;

import io.vertx.core.json.JsonObject;
import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads merged configuration JSON into typed records, checking each value's type and range. */
final class ConfigReader {
  private final JsonObject root;

  private ConfigReader(JsonObject root) {
    this.root = root;
  }

  static FaninConfig read(JsonObject root) {
    ConfigReader r = new ConfigReader(root);
    FaninConfig.Aggregate aggregate =
        new FaninConfig.Aggregate(
            r.integer("aggregate.maxSources", 1, 100_000),
            r.integer("aggregate.defaultDeadlineMs", 1, 3_600_000),
            r.integer("aggregate.maxDeadlineMs", 1, 3_600_000),
            r.integer("aggregate.defaultConcurrency", 1, 100_000),
            r.integer("aggregate.maxConcurrency", 1, 100_000),
            r.longValue("aggregate.maxAggregateBytes", 1, Long.MAX_VALUE),
            r.integer("aggregate.maxInFlight", 1, 1_000_000),
            r.longValue("aggregate.maxProcessBytes", 0, Long.MAX_VALUE / 4),
            r.integer("aggregate.maxDependencyDepth", 1, 32),
            r.integer("aggregate.maxExpansion", 1, 100_000));
    r.notAbove("aggregate.defaultDeadlineMs", aggregate.defaultDeadlineMs(),
        "aggregate.maxDeadlineMs", aggregate.maxDeadlineMs());
    r.notAbove("aggregate.defaultConcurrency", aggregate.defaultConcurrency(),
        "aggregate.maxConcurrency", aggregate.maxConcurrency());
    FaninConfig.Source source =
        new FaninConfig.Source(
            r.integer("source.defaultTimeoutMs", 1, 3_600_000),
            r.integer("source.maxTimeoutMs", 1, 3_600_000),
            r.integer("source.defaultRetries", 0, 100),
            r.integer("source.maxRetries", 0, 100),
            r.longValue("source.maxBodyBytes", 1, Integer.MAX_VALUE));
    r.notAbove("source.defaultTimeoutMs", source.defaultTimeoutMs(),
        "source.maxTimeoutMs", source.maxTimeoutMs());
    r.notAbove("source.defaultRetries", source.defaultRetries(),
        "source.maxRetries", source.maxRetries());
    FaninConfig.Retry retry =
        new FaninConfig.Retry(
            r.integer("retry.initialBackoffMs", 1, 600_000),
            r.integer("retry.maxBackoffMs", 1, 600_000));
    r.notAbove("retry.initialBackoffMs", retry.initialBackoffMs(),
        "retry.maxBackoffMs", retry.maxBackoffMs());
    FaninConfig.ClientBudget clientBudget = ConfigLists.clientBudget("security.clientBudget",
        r.object("security.clientBudget"), FaninConfig.ClientBudget.DEFAULT);
    return new FaninConfig(
        new FaninConfig.Http(
            r.string("http.host"),
            r.integer("http.port", 0, 65_535),
            r.integer("http.instances", 0, 256),
            r.integer("http.maxBodyBytes", 1, Integer.MAX_VALUE),
            r.integer("http.maxHeaderBytes", 1024, 1_048_576),
            r.integer("http.shutdownGraceMs", 0, 600_000),
            r.integer("http.idleTimeoutSeconds", 1, 86_400),
            r.integer("http.requestHeadTimeoutMs", 100, 600_000),
            r.integer("http.maxHeaders", 1, 10_000),
            r.integer("http.writeStallMs", 100, 3_600_000),
            r.integer("http.warmupMs", 0, 600_000),
            new FaninConfig.Cors(ConfigLists.origins("http.cors.allowOrigins", r.list("http.cors.allowOrigins")))),
        aggregate,
        source,
        retry,
        new FaninConfig.Breaker(
            r.integer("breaker.maxFailures", 1, 1_000_000),
            r.integer("breaker.resetTimeoutMs", 1, 86_400_000),
            r.integer("breaker.rollingWindowMs", 1_000, 86_400_000),
            r.integer("breaker.maxOrigins", 1, 10_000_000),
            r.integer("breaker.minTimeoutMs", 0, 3_600_000)),
        new FaninConfig.Client(
            r.integer("client.connectTimeoutMs", 1, 600_000),
            r.integer("client.maxConnections", 1, 1_000_000),
            r.integer("client.maxConnectionsPerOrigin", 1, 100_000),
            r.integer("client.maxWaitQueue", 1, 10_000_000),
            r.integer("client.keepAliveSeconds", 1, 86_400)),
        new FaninConfig.Demo(r.bool("demo.enabled"), r.integer("demo.port", 0, 65_535)),
        new FaninConfig.Feeds(
            r.string("feeds.dataDir"),
            r.string("feeds.confDir"),
            r.integer("feeds.maxFeeds", 1, 10_000_000),
            r.integer("feeds.minScheduleMs", 1, 86_400_000),
            r.integer("feeds.maxParams", 0, 1000),
            r.integer("feeds.maxSubscribers", 1, 1_000_000),
            r.integer("feeds.maxSubscribersPerFeed", 1, 1_000_000)),
        new FaninConfig.Upstream(
            r.bool("upstream.allowPrivateNetworks"),
            ConfigLists.hostPatterns("upstream.privateHosts", r.list("upstream.privateHosts")),
            ConfigLists.schemes("upstream.schemes", r.list("upstream.schemes")),
            ConfigLists.hostPatterns("upstream.allowHosts", r.list("upstream.allowHosts")),
            ConfigLists.hostPatterns("upstream.denyHosts", r.list("upstream.denyHosts")),
            ConfigLists.ports("upstream.allowPorts", r.list("upstream.allowPorts")),
            ConfigLists.ports("upstream.denyPorts", r.list("upstream.denyPorts")),
            r.integer("upstream.maxRedirects", 0, 20),
            ConfigLists.originRules("upstream.origins", r.list("upstream.origins")),
            r.bool("upstream.adaptive"),
            r.integer("upstream.hedgeBudgetPercent", 0, 100)),
        new FaninConfig.Security(
            ConfigLists.apiKeys("security.apiKeys", r.list("security.apiKeys"), clientBudget),
            r.bool("security.allowAnonymous"),
            r.integer("security.requestsPerSecondPerKey", 0, 1_000_000),
            r.integer("security.burstPerKey", 1, 10_000_000),
            clientBudget),
        new FaninConfig.Log(
            r.oneOf("log.level", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF"),
            r.oneOf("log.format", "json", "plain")),
        new FaninConfig.Metrics(r.integer("metrics.maxOrigins", 1, 100_000)),
        new FaninConfig.Cache(
            r.bool("cache.enabled"),
            r.longValue("cache.maxBytes", 0, Long.MAX_VALUE),
            r.longValue("cache.defaultTtlMs", 0, 86_400_000L * 365),
            r.longValue("cache.defaultStaleIfErrorMs", 0, 86_400_000L * 365),
            r.integer("cache.clientSharePercent", 1, 100),
            ConfigLists.headerNames("cache.credentialHeaders", r.list("cache.credentialHeaders"))),
        new FaninConfig.Cluster(
            r.bool("cluster.enabled"),
            r.string("cluster.name"),
            r.string("cluster.host"),
            r.integer("cluster.port", 1, 65_535),
            r.optionalString("cluster.publicHost"),
            ConfigLists.members("cluster.members", r.list("cluster.members")),
            r.oneOf("cluster.discovery", "tcp", "kubernetes"),
            r.optionalString("cluster.kubernetesNamespace"),
            r.optionalString("cluster.kubernetesService"),
            r.integer("cluster.busPort", 0, 65_535),
            r.integer("cluster.lockRetryMs", 10, 600_000)),
        new FaninConfig.Batch(r.bool("batch.allowPrivateNetworks")),
        new FaninConfig.Tracing(
            r.bool("tracing.enabled"),
            r.otlpEndpoint("tracing.otlpEndpoint"),
            r.bool("tracing.console"),
            r.string("tracing.serviceName")));
  }

  /** An http(s) URL of an OTLP collector's traces endpoint, or null when empty. */
  private String otlpEndpoint(String key) {
    String url = optionalString(key);
    if (url.isEmpty()) {
      return null;
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new ConfigException(key, "must be an http:// or https:// URL (e.g. http://localhost:4318/v1/traces), got "
          + show(url));
    }
    return url;
  }

  /** A string that may be empty (meaning: not set). */
  private String optionalString(String key) {
    Object v = value(key);
    if (v instanceof String s) {
      return s.trim();
    }
    throw new ConfigException(key, "must be a string, got " + show(v));
  }


  private Object value(String key) {
    String[] parts = key.split("\\.");
    JsonObject section = root;
    for (int i = 0; i < parts.length - 1; i++) {
      section = section.getJsonObject(parts[i]);
    }
    return section.getValue(parts[parts.length - 1]);
  }

  private JsonObject object(String key) {
    Object v = value(key);
    if (v instanceof JsonObject o) {
      return o;
    }
    throw new ConfigException(key, "must be an object, got " + show(v));
  }

  private int integer(String key, int min, int max) {
    return (int) longValue(key, min, max);
  }

  private long longValue(String key, long min, long max) {
    Object v = value(key);
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && !(v instanceof Double d && d.isInfinite())) {
      long l = n.longValue();
      if (l >= min && l <= max) {
        return l;
      }
    }
    throw new ConfigException(key, "must be an integer from " + min + " to " + max + ", got " + show(v));
  }

  private boolean bool(String key) {
    Object v = value(key);
    if (v instanceof Boolean b) {
      return b;
    }
    throw new ConfigException(key, "must be true or false, got " + show(v));
  }

  private String string(String key) {
    Object v = value(key);
    if (v instanceof String s && !s.isBlank()) {
      return s;
    }
    throw new ConfigException(key, "must be a non-empty string, got " + show(v));
  }

  private List<Object> list(String key) {
    Object v = value(key);
    if (v instanceof JsonArray array) {
      List<Object> items = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        items.add(array.getValue(i));
      }
      return items;
    }
    throw new ConfigException(key, "must be a list, got " + show(v));
  }






  private String oneOf(String key, String... allowed) {
    Object v = value(key);
    if (v instanceof String s) {
      for (String a : allowed) {
        if (a.equalsIgnoreCase(s)) {
          return a;
        }
      }
    }
    throw new ConfigException(key, "must be one of " + String.join(", ", allowed) + ", got " + show(v));
  }

  private void notAbove(String key, long value, String maxKey, long max) {
    if (value > max) {
      throw new ConfigException(key, "must not exceed " + maxKey + " (" + max + "), got " + value);
    }
  }

  private static String show(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }
}
