package dev.fanin.config;

import io.vertx.core.json.JsonObject;

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
            r.longValue("aggregate.maxProcessBytes", 0, Long.MAX_VALUE / 4));
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
            new FaninConfig.Cors(r.origins("http.cors.allowOrigins"))),
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
            r.hostPatterns("upstream.privateHosts"),
            r.schemes("upstream.schemes"),
            r.hostPatterns("upstream.allowHosts"),
            r.hostPatterns("upstream.denyHosts"),
            r.ports("upstream.allowPorts"),
            r.ports("upstream.denyPorts"),
            r.integer("upstream.maxRedirects", 0, 20)),
        new FaninConfig.Security(
            r.apiKeys("security.apiKeys"),
            r.bool("security.allowAnonymous"),
            r.integer("security.requestsPerSecondPerKey", 0, 1_000_000),
            r.integer("security.burstPerKey", 1, 10_000_000)),
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
            r.headerNames("cache.credentialHeaders")),
        new FaninConfig.Cluster(
            r.bool("cluster.enabled"),
            r.string("cluster.name"),
            r.string("cluster.host"),
            r.integer("cluster.port", 1, 65_535),
            r.optionalString("cluster.publicHost"),
            r.members("cluster.members"),
            r.oneOf("cluster.discovery", "tcp", "kubernetes"),
            r.optionalString("cluster.kubernetesNamespace"),
            r.optionalString("cluster.kubernetesService"),
            r.integer("cluster.busPort", 0, 65_535),
            r.integer("cluster.lockRetryMs", 10, 600_000)));
  }

  /** A string that may be empty (meaning: not set). */
  private String optionalString(String key) {
    Object v = value(key);
    if (v instanceof String s) {
      return s.trim();
    }
    throw new ConfigException(key, "must be a string, got " + show(v));
  }

  /** Cluster members: "host" or "host:port" each, as Hazelcast's TCP-IP join takes them. */
  private java.util.List<String> members(String key) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Object item : list(key)) {
      if (!(item instanceof String s) || s.isBlank() || !s.trim().matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
        throw new ConfigException(key, "must be a list of host or host:port strings, got " + show(item));
      }
      String member = s.trim();
      int colon = member.lastIndexOf(':');
      if (colon > 0 && !member.endsWith("]") && member.indexOf(':') == colon) {
        String port = member.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
          throw new ConfigException(key, "bad port in member " + show(item));
        }
      }
      out.add(member);
    }
    return java.util.List.copyOf(out);
  }

  private Object value(String key) {
    String[] parts = key.split("\\.");
    JsonObject section = root;
    for (int i = 0; i < parts.length - 1; i++) {
      section = section.getJsonObject(parts[i]);
    }
    return section.getValue(parts[parts.length - 1]);
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

  private java.util.List<Object> list(String key) {
    Object v = value(key);
    if (v instanceof io.vertx.core.json.JsonArray array) {
      java.util.List<Object> items = new java.util.ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        items.add(array.getValue(i));
      }
      return items;
    }
    throw new ConfigException(key, "must be a list, got " + show(v));
  }

  static final java.util.Set<String> SCOPES = java.util.Set.of("aggregate", "feeds:read", "feeds:write");

  private java.util.List<FaninConfig.ApiKey> apiKeys(String key) {
    java.util.List<FaninConfig.ApiKey> out = new java.util.ArrayList<>();
    java.util.Set<String> ids = new java.util.HashSet<>();
    java.util.List<Object> items = list(key);
    for (int i = 0; i < items.size(); i++) {
      String at = key + "[" + i + "]";
      Object item = items.get(i);
      if (!(item instanceof io.vertx.core.json.JsonObject k)) {
        throw new ConfigException(at, "must be an object {\"id\", \"sha256\", \"scopes\"}");
      }
      for (String field : k.fieldNames()) {
        if (!java.util.Set.of("id", "sha256", "scopes").contains(field)) {
          throw new ConfigException(at + "." + field, "unknown key");
        }
      }
      if (!(k.getValue("id") instanceof String id) || !id.matches("[A-Za-z0-9_.-]{1,64}") || !ids.add(id)) {
        throw new ConfigException(at + ".id", "must be a unique name of 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' or '-'");
      }
      if (!(k.getValue("sha256") instanceof String hex) || !hex.matches("[0-9a-fA-F]{64}")) {
        throw new ConfigException(at + ".sha256", "must be the SHA-256 of the key as 64 hex digits (never the key itself)");
      }
      java.util.Set<String> scopes = new java.util.HashSet<>();
      if (!(k.getValue("scopes") instanceof io.vertx.core.json.JsonArray list) || list.isEmpty()) {
        throw new ConfigException(at + ".scopes", "must list one or more of " + SCOPES);
      }
      for (Object scope : list) {
        if (!(scope instanceof String sc) || !SCOPES.contains(sc)) {
          throw new ConfigException(at + ".scopes", "must list only " + SCOPES + ", got " + show(scope));
        }
        scopes.add(sc);
      }
      out.add(new FaninConfig.ApiKey(id, java.util.HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT)), java.util.Set.copyOf(scopes)));
    }
    return java.util.List.copyOf(out);
  }

  /**
   * "*" or origins as a browser sends them in Origin: http or https, a host, an optional port, nothing
   * else. Kept in that serialised form (lower case, no default port) so that a header can be compared
   * as it comes.
   */
  private java.util.List<String> origins(String key) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (Object o : list(key)) {
      if (o instanceof String s && s.trim().equals("*")) {
        out.add("*");
        continue;
      }
      String origin = o instanceof String s ? origin(s.trim()) : null;
      if (origin == null) {
        throw new ConfigException(key, "must hold \"*\" or origins such as https://app.example.com "
            + "(http or https, a host and an optional port; no path), got " + show(o));
      }
      out.add(origin);
    }
    return java.util.List.copyOf(out);
  }

  /** The serialised origin (RFC 6454) of an http(s) URL without path, query or user info, else null. */
  private static String origin(String text) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(text);
    } catch (java.net.URISyntaxException e) {
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
        || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return null;
    }
    int port = uri.getPort();
    if (port == 0 || port > 65_535) {
      return null;
    }
    boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }

  private java.util.List<String> schemes(String key) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Object o : list(key)) {
      if (!(o instanceof String s) || !(s.equalsIgnoreCase("http") || s.equalsIgnoreCase("https"))) {
        throw new ConfigException(key, "may contain only \"http\" and \"https\", got " + show(o));
      }
      out.add(s.toLowerCase(java.util.Locale.ROOT));
    }
    if (out.isEmpty()) {
      throw new ConfigException(key, "must allow at least one scheme");
    }
    return java.util.List.copyOf(out);
  }

  private java.util.List<String> hostPatterns(String key) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Object o : list(key)) {
      if (!(o instanceof String s) || !s.matches("(\\*\\.)?[A-Za-z0-9_.:\\[\\]-]+")) {
        throw new ConfigException(key, "must hold host names, IP addresses or *.domain patterns, got " + show(o));
      }
      out.add(s.toLowerCase(java.util.Locale.ROOT));
    }
    return java.util.List.copyOf(out);
  }

  /** HTTP header names (tokens), compared case-insensitively. */
  private java.util.List<String> headerNames(String key) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Object o : list(key)) {
      if (!(o instanceof String s) || !s.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}")) {
        throw new ConfigException(key, "must hold HTTP header names, got " + show(o));
      }
      out.add(s.toLowerCase(java.util.Locale.ROOT));
    }
    return java.util.List.copyOf(out);
  }

  private java.util.List<Integer> ports(String key) {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (Object o : list(key)) {
      Object v = o instanceof String s && s.matches("[0-9]{1,5}") ? Integer.valueOf(s) : o;
      if (!(v instanceof Number n) || n.intValue() < 1 || n.intValue() > 65_535 || n.doubleValue() != n.intValue()) {
        throw new ConfigException(key, "must hold port numbers from 1 to 65535, got " + show(o));
      }
      out.add(n.intValue());
    }
    return java.util.List.copyOf(out);
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
