package dev.fanin.definition;

import dev.fanin.config.FaninConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a definition once, at the edge, into an {@link AggregationSpec}. Collects every
 * problem with its JSON Pointer instead of stopping at the first.
 */
public final class DefinitionParser {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Set<String> DEFINITION_FIELDS =
      Set.of("sources", "deadlineMs", "concurrency", "merge");
  private static final Set<String> SOURCE_FIELDS = Set.of("id", "url", "method", "headers", "body",
      "timeoutMs", "retries", "optional", "format", "select", "fields", "cache");
  static final int MAX_FIELDS = 64;
  static final int MAX_MERGE_LIMIT = 10_000;
  private static final Set<HttpMethod> METHODS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
          HttpMethod.DELETE, HttpMethod.OPTIONS);
  private static final Set<HttpMethod> WITH_BODY =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);
  /** Headers that frame the message or address the connection: fanin sets them itself. */
  private static final Set<String> RESERVED_HEADERS =
      Set.of("host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade",
          "te", "trailer", "proxy-connection", "expect");
  static final int MAX_HEADERS = 64;
  public static final int MAX_HEADER_BYTES = 8192;
  public static final int MAX_URL_LENGTH = 8192;

  private final java.util.function.Supplier<FaninConfig> config;

  public DefinitionParser(FaninConfig config) {
    this(() -> config);
  }

  /** Reads limits and defaults from the running configuration at each parse. */
  public DefinitionParser(java.util.function.Supplier<FaninConfig> config) {
    this.config = config;
  }

  /** Parses a request body; throws {@link InvalidDefinitionException} on any problem. */
  public AggregationSpec parse(Buffer body) {
    return parse(StrictJson.parseObject(body));
  }

  /** Validates an already decoded definition. */
  public AggregationSpec parse(JsonObject json) {
    FaninConfig.Aggregate aggregateLimits = config.get().aggregate();
    List<FieldError> errors = new ArrayList<>();
    unknownFields(json, DEFINITION_FIELDS, "", errors);
    int deadline = integer(json, "deadlineMs", "", aggregateLimits.defaultDeadlineMs(), 1,
        aggregateLimits.maxDeadlineMs(), errors);
    int concurrency = integer(json, "concurrency", "", aggregateLimits.defaultConcurrency(), 1,
        aggregateLimits.maxConcurrency(), errors);
    MergeSpec merge = merge(json.getValue("merge"), errors);
    List<SourceSpec> sources = sources(json.getValue("sources"), aggregateLimits, errors);
    if (!errors.isEmpty()) {
      throw new InvalidDefinitionException(errors);
    }
    return new AggregationSpec(List.copyOf(sources), deadline, concurrency, merge, false);
  }

  private List<SourceSpec> sources(Object value, FaninConfig.Aggregate aggregateLimits,
      List<FieldError> errors) {
    FaninConfig.Source sourceLimits = config.get().source();
    if (value == null) {
      errors.add(new FieldError("/sources", "is required: a non-empty array of sources"));
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      errors.add(new FieldError("/sources", "must be an array of sources"));
      return List.of();
    }
    if (array.isEmpty()) {
      errors.add(new FieldError("/sources", "must contain at least one source"));
      return List.of();
    }
    if (array.size() > aggregateLimits.maxSources()) {
      errors.add(new FieldError("/sources",
          "has " + array.size() + " sources; at most " + aggregateLimits.maxSources() + " are allowed"));
      return List.of();
    }
    List<SourceSpec> sources = new ArrayList<>(array.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "/sources/" + i;
      Object item = array.getValue(i);
      if (!(item instanceof JsonObject source)) {
        errors.add(new FieldError(at, "must be an object"));
        continue;
      }
      SourceSpec spec = source(source, at, sourceLimits, errors);
      if (spec != null && !ids.add(spec.id())) {
        errors.add(new FieldError(at + "/id", "duplicates the id \"" + spec.id() + "\" of an earlier source"));
      }
      if (spec != null) {
        sources.add(spec);
      }
    }
    return sources;
  }

  private SourceSpec source(JsonObject json, String at, FaninConfig.Source sourceLimits,
      List<FieldError> errors) {
    int before = errors.size();
    unknownFields(json, SOURCE_FIELDS, at, errors);
    String id = id(json.getValue("id"), at + "/id", errors);
    URI url = url(json.getValue("url"), at + "/url", errors);
    HttpMethod method = method(json.getValue("method"), at + "/method", errors);
    MultiMap headers = headers(json.getValue("headers"), at + "/headers", errors);
    int timeout = integer(json, "timeoutMs", at, sourceLimits.defaultTimeoutMs(), 1,
        sourceLimits.maxTimeoutMs(), errors);
    int retries = integer(json, "retries", at, sourceLimits.defaultRetries(), 0,
        sourceLimits.maxRetries(), errors);
    boolean optional = bool(json, "optional", at, errors);
    SourceFormat format = format(json.getValue("format"), at + "/format", errors);
    Projection projection = projection(json, at, format, errors);
    CacheSpec cache = cache(json.getValue("cache"), at + "/cache", errors);
    Buffer body = null;
    String contentType = null;
    if (json.containsKey("body")) {
      Object raw = json.getValue("body");
      if (method != null && !WITH_BODY.contains(method)) {
        errors.add(new FieldError(at + "/body", "is allowed only with POST, PUT or PATCH"));
      } else if (raw instanceof String s) {
        body = Buffer.buffer(s);
        contentType = "text/plain; charset=utf-8";
      } else {
        body = Buffer.buffer(io.vertx.core.json.Json.encode(raw));
        contentType = "application/json";
      }
    }
    if (errors.size() > before) {
      return null;
    }
    return new SourceSpec(id, url, method, headers, body, contentType, timeout, retries, optional,
        format, projection, cache);
  }

  private static SourceFormat format(Object value, String at, List<FieldError> errors) {
    if (value == null) {
      return SourceFormat.AUTO;
    }
    if (value instanceof String s) {
      for (SourceFormat f : SourceFormat.values()) {
        if (f.name().equalsIgnoreCase(s)) {
          return f;
        }
      }
    }
    errors.add(new FieldError(at, "must be one of auto, json, text, feed"));
    return SourceFormat.AUTO;
  }

  private static Projection projection(JsonObject json, String at, SourceFormat format,
      List<FieldError> errors) {
    Object select = json.getValue("select");
    Object fields = json.getValue("fields");
    if (select == null && fields == null) {
      return Projection.NONE;
    }
    if (format == SourceFormat.TEXT || format == SourceFormat.FEED) {
      errors.add(new FieldError(at + (select != null ? "/select" : "/fields"),
          "applies to JSON answers only, not with format " + format.name().toLowerCase(Locale.ROOT)));
      return Projection.NONE;
    }
    io.vertx.core.json.pointer.JsonPointer selectPointer = null;
    if (select != null) {
      selectPointer = pointer(select, at + "/select", errors);
    }
    Map<String, String> fieldMap = null;
    Map<String, io.vertx.core.json.pointer.JsonPointer> fieldPointers = null;
    if (fields != null) {
      if (!(fields instanceof JsonObject obj) || obj.isEmpty() || obj.size() > MAX_FIELDS) {
        errors.add(new FieldError(at + "/fields",
            "must be an object of 1 to " + MAX_FIELDS + " names to JSON Pointers"));
      } else {
        fieldMap = new java.util.LinkedHashMap<>();
        fieldPointers = new java.util.LinkedHashMap<>();
        for (String name : obj.fieldNames()) {
          io.vertx.core.json.pointer.JsonPointer p =
              pointer(obj.getValue(name), at + "/fields/" + pointerEscape(name), errors);
          if (p != null) {
            fieldMap.put(name, (String) obj.getValue(name));
            fieldPointers.put(name, p);
          }
        }
      }
    }
    return new Projection(select instanceof String s ? s : null, selectPointer,
        fieldMap == null ? null : java.util.Collections.unmodifiableMap(fieldMap),
        fieldPointers == null ? null : java.util.Collections.unmodifiableMap(fieldPointers));
  }

  private static io.vertx.core.json.pointer.JsonPointer pointer(Object value, String at,
      List<FieldError> errors) {
    if (value instanceof String s && s.length() <= 1024 && (s.isEmpty() || s.startsWith("/"))) {
      try {
        return io.vertx.core.json.pointer.JsonPointer.from(s);
      } catch (IllegalArgumentException e) {
        // reported below
      }
    }
    errors.add(new FieldError(at, "must be a JSON Pointer (RFC 6901) such as \"/data/amount\""));
    return null;
  }

  private CacheSpec cache(Object value, String at, List<FieldError> errors) {
    FaninConfig.Cache defaults = config.get().cache();
    if (value == null || Boolean.TRUE.equals(value)) {
      return new CacheSpec(defaults.enabled(), defaults.defaultTtlMs(), defaults.defaultStaleIfErrorMs());
    }
    if (Boolean.FALSE.equals(value)) {
      return new CacheSpec(false, 0, 0);
    }
    if (!(value instanceof JsonObject json)) {
      errors.add(new FieldError(at, "must be false or an object {\"ttlMs\", \"staleIfErrorMs\"}"));
      return null;
    }
    unknownFields(json, Set.of("ttlMs", "staleIfErrorMs"), at, errors);
    int day = 86_400_000;
    long ttl = integer(json, "ttlMs", at, (int) Math.min(day, defaults.defaultTtlMs()), 0, day, errors);
    long stale = integer(json, "staleIfErrorMs", at, (int) Math.min(day, defaults.defaultStaleIfErrorMs()), 0, day, errors);
    return new CacheSpec(defaults.enabled(), ttl, stale);
  }

  private static MergeSpec merge(Object value, List<FieldError> errors) {
    if (value == null) {
      return MergeSpec.NONE;
    }
    if (!(value instanceof JsonObject json)) {
      errors.add(new FieldError("/merge", "must be an object such as {\"items\": true, \"limit\": 50}"));
      return MergeSpec.NONE;
    }
    unknownFields(json, Set.of("items", "limit"), "/merge", errors);
    boolean items = bool(json, "items", "/merge", errors);
    int limit = integer(json, "limit", "/merge", 50, 1, MAX_MERGE_LIMIT, errors);
    return new MergeSpec(items, limit);
  }

  private static String id(Object value, String at, List<FieldError> errors) {
    if (value == null) {
      errors.add(new FieldError(at, "is required"));
    } else if (!(value instanceof String s) || !ID.matcher(s).matches()) {
      errors.add(new FieldError(at, "must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' or '-'"));
    } else {
      return s;
    }
    return null;
  }

  private static URI url(Object value, String at, List<FieldError> errors) {
    if (value == null) {
      errors.add(new FieldError(at, "is required"));
      return null;
    }
    if (!(value instanceof String s)) {
      errors.add(new FieldError(at, "must be a string"));
      return null;
    }
    if (s.length() > MAX_URL_LENGTH) {
      errors.add(new FieldError(at, "is longer than " + MAX_URL_LENGTH + " characters"));
      return null;
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      errors.add(new FieldError(at, "is not a valid URL: " + e.getReason()));
      return null;
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !uri.isAbsolute()) {
      errors.add(new FieldError(at, "must be an absolute http or https URL"));
    } else if (!scheme.equals("http") && !scheme.equals("https")) {
      errors.add(new FieldError(at, "has scheme \"" + scheme + "\"; only http and https are allowed"));
    } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
      errors.add(new FieldError(at, "must name a valid host"));
    } else if (uri.getRawUserInfo() != null) {
      errors.add(new FieldError(at, "must not carry user info; send credentials in headers"));
    } else {
      return uri;
    }
    return null;
  }

  private static HttpMethod method(Object value, String at, List<FieldError> errors) {
    if (value == null) {
      return HttpMethod.GET;
    }
    if (value instanceof String s && TOKEN.matcher(s).matches()) {
      HttpMethod m = HttpMethod.valueOf(s.toUpperCase(Locale.ROOT));
      if (METHODS.contains(m)) {
        return m;
      }
    }
    errors.add(new FieldError(at, "must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"));
    return null;
  }

  private static MultiMap headers(Object value, String at, List<FieldError> errors) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (value == null) {
      return headers;
    }
    if (!(value instanceof JsonObject json)) {
      errors.add(new FieldError(at, "must be an object of header names to string values"));
      return headers;
    }
    if (json.size() > MAX_HEADERS) {
      errors.add(new FieldError(at, "has " + json.size() + " headers; at most " + MAX_HEADERS + " are allowed"));
      return headers;
    }
    for (Map.Entry<String, Object> e : json) {
      String name = e.getKey();
      String where = at + "/" + pointerEscape(name);
      if (!TOKEN.matcher(name).matches()) {
        errors.add(new FieldError(where, "is not a valid header name"));
      } else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        errors.add(new FieldError(where, "cannot be set: fanin manages this header"));
      } else if (!(e.getValue() instanceof String v)) {
        errors.add(new FieldError(where, "must be a string"));
      } else if (v.length() > MAX_HEADER_BYTES) {
        errors.add(new FieldError(where, "is longer than " + MAX_HEADER_BYTES + " characters"));
      } else if (!validHeaderValue(v)) {
        errors.add(new FieldError(where, "must not contain CR, LF, NUL or other control characters"));
      } else {
        headers.add(name, v);
      }
    }
    return headers;
  }

  private static boolean validHeaderValue(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        return false;
      }
    }
    return true;
  }

  private static int integer(JsonObject json, String field, String at, int dflt, int min, int max,
      List<FieldError> errors) {
    Object value = json.getValue(field);
    if (value == null) {
      return dflt;
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && d >= min && d <= max) {
        return (int) d;
      }
    }
    errors.add(new FieldError(at + "/" + field, "must be an integer from " + min + " to " + max));
    return dflt;
  }

  private static boolean bool(JsonObject json, String field, String at, List<FieldError> errors) {
    Object value = json.getValue(field);
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    errors.add(new FieldError(at + "/" + field, "must be true or false"));
    return false;
  }

  private static void unknownFields(JsonObject json, Set<String> known, String at,
      List<FieldError> errors) {
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        errors.add(new FieldError(at + "/" + pointerEscape(name), "is not a known field"));
      }
    }
  }

  /** Escapes a key for use in a JSON Pointer (RFC 6901): ~ as ~0, / as ~1. */
  static String pointerEscape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
