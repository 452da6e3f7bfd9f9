package dev.fanin.definition;

import dev.fanin.config.FaninConfig;
import dev.fanin.config.HedgeSpec;
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
import io.vertx.core.json.Json;
import io.vertx.core.json.pointer.JsonPointer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.function.Supplier;

/**
 * Validates a definition once, at the edge, into an {@link AggregationSpec}. Collects every
 * problem with its JSON Pointer instead of stopping at the first.
 */
public final class DefinitionParser {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Set<String> DEFINITION_FIELDS =
      Set.of("sources", "deadlineMs", "concurrency", "merge", "rate", "complete");
  private static final Set<String> SOURCE_FIELDS = Set.of("id", "url", "method", "headers", "body",
      "timeoutMs", "retries", "optional", "format", "select", "fields", "cache", "secretHeaders",
      "keepBodyOnRedirect", "hedge");
  static final int MAX_FIELDS = 64;
  static final int MAX_MERGE_LIMIT = 10_000;
  static final Set<HttpMethod> METHODS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
          HttpMethod.DELETE, HttpMethod.OPTIONS);
  private static final Set<HttpMethod> WITH_BODY =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);
  /** Headers that frame the message or address the connection: fanin sets them itself. */
  static final Set<String> RESERVED_HEADERS =
      Set.of("host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade",
          "te", "trailer", "proxy-connection", "expect");
  static final int MAX_HEADERS = 64;
  public static final int MAX_HEADER_BYTES = 8192;
  public static final int MAX_URL_LENGTH = 8192;

  private final Supplier<FaninConfig> config;

  public DefinitionParser(FaninConfig config) {
    this(() -> config);
  }

  /** Reads limits and defaults from the running configuration at each parse. */
  public DefinitionParser(Supplier<FaninConfig> config) {
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
    RateSpec rate = RateFields.rate(json.getValue("rate"), sources, config.get().upstream().origins(), errors);
    CompletionSpec complete = CompletionFields.completion(json.getValue("complete"), sources, errors);
    if (errors.isEmpty()) {
      References.checkGraph(sources, aggregateLimits.maxDependencyDepth(), errors);
      if (complete.early() && sources.stream().anyMatch(s -> s.template() != null && s.template().expansion() != null)) {
        errors.add(new FieldError("/complete", "cannot be used with a source expanded over a list ([*]): "
            + "how many requests such a source makes is known only once its list is in"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidDefinitionException(errors);
    }
    return new AggregationSpec(List.copyOf(sources), deadline, concurrency, merge, false, rate, complete);
  }

  /**
   * One GET source from an id and a URL alone (a line of {@code run --urls}), with every default a
   * definition's source gets. Throws {@link InvalidDefinitionException} whose pointers are "id" and
   * "url".
   */
  public SourceSpec source(String id, String url) {
    List<FieldError> errors = new ArrayList<>();
    String checkedId = SourceFields.id(id, "id", errors);
    URI checkedUrl = SourceFields.url(url, "url", errors);
    if (!errors.isEmpty()) {
      throw new InvalidDefinitionException(errors);
    }
    FaninConfig.Source sourceLimits = config.get().source();
    return new SourceSpec(checkedId, checkedUrl, HttpMethod.GET, MultiMap.caseInsensitiveMultiMap(), null, null,
        sourceLimits.defaultTimeoutMs(), sourceLimits.defaultRetries(), false, SourceFormat.AUTO, Projection.NONE,
        cache(null, "cache", errors), Set.of(), false, null, null);
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
    String id = SourceFields.id(json.getValue("id"), at + "/id", errors);
    Object rawUrl = json.getValue("url");
    boolean urlRefers = rawUrl instanceof String s && Reference.any(s);
    URI url = SourceFields.url(urlRefers ? References.checkable((String) rawUrl, at + "/url", errors) : rawUrl,
        at + "/url", errors);
    HttpMethod method = SourceFields.method(json.getValue("method"), at + "/method", errors);
    MultiMap headers = SourceFields.headers(json.getValue("headers"), at + "/headers", errors);
    int timeout = integer(json, "timeoutMs", at, sourceLimits.defaultTimeoutMs(), 1,
        sourceLimits.maxTimeoutMs(), errors);
    int retries = integer(json, "retries", at, sourceLimits.defaultRetries(), 0,
        sourceLimits.maxRetries(), errors);
    boolean optional = bool(json, "optional", at, errors);
    SourceFormat format = SourceFields.format(json.getValue("format"), at + "/format", errors);
    Projection projection = SourceFields.projection(json, at, format, errors);
    CacheSpec cache = cache(json.getValue("cache"), at + "/cache", errors);
    Set<String> secretHeaders = SourceFields.secretHeaders(json.getValue("secretHeaders"), at + "/secretHeaders", errors);
    boolean keepBodyOnRedirect = bool(json, "keepBodyOnRedirect", at, errors);
    HedgeSpec hedge = null;
    if (json.containsKey("hedge")) {
      try {
        hedge = HedgeSpec.of(json.getValue("hedge"));
        if (method != null && method != HttpMethod.GET && method != HttpMethod.HEAD) {
          errors.add(new FieldError(at + "/hedge", "applies to GET and HEAD only: a second "
              + method.name() + " could act twice"));
        }
      } catch (HedgeSpec.Invalid e) {
        errors.add(new FieldError(at + "/hedge" + (e.field().isEmpty() ? "" : "/" + e.field()), e.getMessage()));
      }
    }
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
        body = Buffer.buffer(Json.encode(raw));
        contentType = "application/json";
      }
    }
    if (errors.size() > before) {
      return null;
    }
    SourceTemplate template = References.template(urlRefers ? (String) rawUrl : null, headers, body,
        "application/json".equals(contentType));
    return new SourceSpec(id, url, method, headers, body, contentType, timeout, retries, optional,
        format, projection, cache, secretHeaders, keepBodyOnRedirect, hedge, template);
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
