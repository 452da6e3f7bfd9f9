package dev.fanin.config;

import io.vertx.core.json.JsonObject;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.pointer.JsonPointer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the list-valued configuration keys into typed lists, each entry checked, errors naming the key. */
final class ConfigLists {
  private ConfigLists() {}

  static final Set<String> SCOPES = Set.of("aggregate", "feeds:read", "feeds:write", "feeds:admin");



  /** The serialised origin (RFC 6454) of an http(s) URL without path, query or user info, else null. */
  static String origin(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
        || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return null;
    }
    int port = uri.getPort();
    if (port == 0 || port > 65_535) {
      return null;
    }
    boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }

  /** Cluster members: "host" or "host:port" each, as Hazelcast's TCP-IP join takes them. */
  static List<String> members(String key, List<Object> items) {
    List<String> out = new ArrayList<>();
    for (Object item : items) {
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
    return List.copyOf(out);
  }
  /**
   * A client budget: each of {@link FaninConfig.ClientBudget#FIELDS} from {@code json} when present
   * (checked), else from {@code base}. 0 means no limit.
   */
  static FaninConfig.ClientBudget clientBudget(String at, JsonObject json, FaninConfig.ClientBudget base) {
    return new FaninConfig.ClientBudget(
        budgetNumber(json, "upstreamPerSecond", at, base.upstreamPerSecond(), false),
        (int) budgetNumber(json, "upstreamBurst", at, base.upstreamBurst(), true),
        (int) budgetNumber(json, "maxUpstreamInFlight", at, base.maxUpstreamInFlight(), true),
        (int) budgetNumber(json, "maxScheduledFeeds", at, base.maxScheduledFeeds(), true),
        budgetNumber(json, "maxScheduledPerSecond", at, base.maxScheduledPerSecond(), false));
  }

  private static double budgetNumber(JsonObject json, String field, String at, double dflt, boolean integer) {
    Object v = json.getValue(field);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1_000_000_000
        || (integer && n.doubleValue() != Math.rint(n.doubleValue()))) {
      throw new ConfigException(at + "." + field, "must be " + (integer ? "an integer" : "a number")
          + " from 0 (no limit) to 1000000000, got " + show(v));
    }
    return n.doubleValue();
  }

  static List<FaninConfig.ApiKey> apiKeys(String key, List<Object> items, FaninConfig.ClientBudget defaults) {
    List<FaninConfig.ApiKey> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String at = key + "[" + i + "]";
      Object item = items.get(i);
      if (!(item instanceof JsonObject k)) {
        throw new ConfigException(at, "must be an object {\"id\", \"sha256\", \"scopes\"}");
      }
      for (String field : k.fieldNames()) {
        if (!Set.of("id", "sha256", "scopes").contains(field) && !FaninConfig.ClientBudget.FIELDS.contains(field)) {
          throw new ConfigException(at + "." + field, "unknown key; a key has id, sha256, scopes and "
              + FaninConfig.ClientBudget.FIELDS);
        }
      }
      if (!(k.getValue("id") instanceof String id) || !id.matches("[A-Za-z0-9_.-]{1,64}") || !ids.add(id)) {
        throw new ConfigException(at + ".id", "must be a unique name of 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' or '-'");
      }
      if (!(k.getValue("sha256") instanceof String hex) || !hex.matches("[0-9a-fA-F]{64}")) {
        throw new ConfigException(at + ".sha256", "must be the SHA-256 of the key as 64 hex digits (never the key itself)");
      }
      Set<String> scopes = new HashSet<>();
      if (!(k.getValue("scopes") instanceof JsonArray list) || list.isEmpty()) {
        throw new ConfigException(at + ".scopes", "must list one or more of " + SCOPES);
      }
      for (Object scope : list) {
        if (!(scope instanceof String sc) || !SCOPES.contains(sc)) {
          throw new ConfigException(at + ".scopes", "must list only " + SCOPES + ", got " + show(scope));
        }
        scopes.add(sc);
      }
      out.add(new FaninConfig.ApiKey(id, HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)), Set.copyOf(scopes),
          clientBudget(at, k, defaults)));
    }
    return List.copyOf(out);
  }
  /**
   * "*" or origins as a browser sends them in Origin: http or https, a host, an optional port, nothing
   * else. Kept in that serialised form (lower case, no default port) so that a header can be compared
   * as it comes.
   */
  static List<String> origins(String key, List<Object> items) {
    Set<String> out = new LinkedHashSet<>();
    for (Object o : items) {
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
    return List.copyOf(out);
  }
  static List<String> schemes(String key, List<Object> items) {
    List<String> out = new ArrayList<>();
    for (Object o : items) {
      if (!(o instanceof String s) || !(s.equalsIgnoreCase("http") || s.equalsIgnoreCase("https"))) {
        throw new ConfigException(key, "may contain only \"http\" and \"https\", got " + show(o));
      }
      out.add(s.toLowerCase(Locale.ROOT));
    }
    if (out.isEmpty()) {
      throw new ConfigException(key, "must allow at least one scheme");
    }
    return List.copyOf(out);
  }
  static List<String> hostPatterns(String key, List<Object> items) {
    List<String> out = new ArrayList<>();
    for (Object o : items) {
      if (!(o instanceof String s) || !s.matches("(\\*\\.)?[A-Za-z0-9_.:\\[\\]-]+")) {
        throw new ConfigException(key, "must hold host names, IP addresses or *.domain patterns, got " + show(o));
      }
      out.add(s.toLowerCase(Locale.ROOT));
    }
    return List.copyOf(out);
  }
  /** HTTP header names (tokens), compared case-insensitively. */
  static List<String> headerNames(String key, List<Object> items) {
    List<String> out = new ArrayList<>();
    for (Object o : items) {
      if (!(o instanceof String s) || !s.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}")) {
        throw new ConfigException(key, "must hold HTTP header names, got " + show(o));
      }
      out.add(s.toLowerCase(Locale.ROOT));
    }
    return List.copyOf(out);
  }
  static List<Integer> ports(String key, List<Object> items) {
    List<Integer> out = new ArrayList<>();
    for (Object o : items) {
      Object v = o instanceof String s && s.matches("[0-9]{1,5}") ? Integer.valueOf(s) : o;
      if (!(v instanceof Number n) || n.intValue() < 1 || n.intValue() > 65_535 || n.doubleValue() != n.intValue()) {
        throw new ConfigException(key, "must hold port numbers from 1 to 65535, got " + show(o));
      }
      out.add(n.intValue());
    }
    return List.copyOf(out);
  }

  private static final Set<String> RULE_FIELDS = Set.of("match", "ratePerSecond", "burst",
      "perDay", "maxConcurrency", "softLimitPointer", "hedge");
  private static final Pattern MATCH = Pattern.compile(
      "(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?");

  /** upstream.origins: rules per origin, each field checked, the first matching rule applies. */
  static List<FaninConfig.OriginRule> originRules(String key, List<Object> items) {
    List<FaninConfig.OriginRule> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String at = key + "[" + i + "]";
      if (!(items.get(i) instanceof JsonObject rule)) {
        throw new ConfigException(at, "must be an object such as {\"match\": \"api.example.com\", \"ratePerSecond\": 5}");
      }
      for (String field : rule.fieldNames()) {
        if (!RULE_FIELDS.contains(field)) {
          throw new ConfigException(at + "." + field, "unknown key; a rule has " + RULE_FIELDS);
        }
      }
      if (!(rule.getValue("match") instanceof String m) || !MATCH.matcher(m.toLowerCase(Locale.ROOT)).matches()
          || (m.contains(":") && !validPort(m.substring(m.lastIndexOf(':') + 1)))) {
        throw new ConfigException(at + ".match", "must be a host (api.example.com), *.domain or host:port, got "
            + show(rule.getValue("match")));
      }
      double rate = number(rule, "ratePerSecond", at, 0, 1_000_000);
      if (rule.containsKey("ratePerSecond") && rate <= 0) {
        throw new ConfigException(at + ".ratePerSecond", "must be above 0, got " + show(rule.getValue("ratePerSecond")));
      }
      long burst = (long) number(rule, "burst", at, 1, 1_000_000);
      if (rule.containsKey("burst") && !rule.containsKey("ratePerSecond")) {
        throw new ConfigException(at + ".burst", "needs a ratePerSecond: a burst is how many requests the rate lets go at once");
      }
      long perDay = (long) number(rule, "perDay", at, 1, 1_000_000_000);
      long concurrency = (long) number(rule, "maxConcurrency", at, 1, 100_000);
      Object pointer = rule.getValue("softLimitPointer");
      if (pointer != null && !(pointer instanceof String p && p.startsWith("/") && p.length() <= 1024 && validPointer(p))) {
        throw new ConfigException(at + ".softLimitPointer", "must be a JSON Pointer such as \"/Note\", got " + show(pointer));
      }
      HedgeSpec hedge = null;
      if (rule.containsKey("hedge")) {
        try {
          hedge = HedgeSpec.of(rule.getValue("hedge"));
        } catch (HedgeSpec.Invalid e) {
          throw new ConfigException(at + ".hedge" + (e.field().isEmpty() ? "" : "." + e.field()), e.getMessage());
        }
      }
      int effectiveBurst = rule.containsKey("burst") ? (int) burst : (int) Math.max(1, Math.ceil(rate));
      out.add(new FaninConfig.OriginRule(m.toLowerCase(Locale.ROOT), rate, effectiveBurst, perDay, (int) concurrency,
          (String) pointer, hedge));
    }
    return List.copyOf(out);
  }

  /** A number field of a rule within bounds; 0 when absent. */
  private static double number(JsonObject rule, String field, String at, double min, double max) {
    Object v = rule.getValue(field);
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max
        || (!field.equals("ratePerSecond") && n.doubleValue() != Math.rint(n.doubleValue()))) {
      throw new ConfigException(at + "." + field, "must be " + (field.equals("ratePerSecond") ? "a number" : "an integer")
          + " from " + (min == 0 ? "above 0" : String.valueOf((long) min)) + " to " + (long) max + ", got " + show(v));
    }
    return n.doubleValue();
  }

  private static boolean validPointer(String pointer) {
    try {
      JsonPointer.from(pointer);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean validPort(String port) {
    try {
      int p = Integer.parseInt(port);
      return p >= 1 && p <= 65_535;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String show(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }
}
