package dev.fanin.feeds;

import dev.fanin.definition.Placeholders;

import dev.fanin.config.FaninConfig;
import dev.fanin.definition.AggregationSpec;
import dev.fanin.definition.DefinitionParser;
import dev.fanin.definition.FieldError;
import dev.fanin.definition.InvalidDefinitionException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates feed definitions (a definition as in /v1/aggregate plus params and schedule) and
 * resolves them with parameter values into an {@link AggregationSpec}.
 */
public final class FeedDefinitionParser {
  /**
   * A feed name. Not dots alone: "." and ".." vanish from a URL path when it is normalised, and
   * "..." would be stored as a hidden file.
   */
  public static final Pattern NAME = Pattern.compile("(?!\\.+$)[A-Za-z0-9_.-]{1,64}");
  public static final String NAME_RULE =
      "a feed name must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' or '-', and not only dots";
  static final int MAX_VALUE_LENGTH = 1024;
  private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");
  private static final Set<String> PARAM_FIELDS = Set.of("pattern", "default");
  private static final Set<String> SCHEDULE_FIELDS = Set.of("everyMs");
  private static final String SAMPLE = "p";

  private final DefinitionParser definitions;
  private final FaninConfig.Feeds config;

  public FeedDefinitionParser(DefinitionParser definitions, FaninConfig.Feeds config) {
    this.definitions = definitions;
    this.config = config;
  }

  /** Validates a feed; throws {@link InvalidDefinitionException} with every problem found. */
  public Feed parse(String name, JsonObject json, boolean readOnly) {
    List<FieldError> errors = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(new FieldError("/name", NAME_RULE));
    }
    Map<String, ParamSpec> params = params(json.getValue("params"), errors);
    Schedule schedule = schedule(json.getValue("schedule"), params, errors);
    checkUrlPlaceholders(json.getValue("sources"), params, errors);
    FeedExpansion.checkWorstCase(json, params, errors);
    Map<String, String> sample = new HashMap<>();
    params.values().forEach(p -> sample.put(p.name(), p.defaultValue() != null ? p.defaultValue() : SAMPLE));
    int upstreamPerRun = 0;
    try {
      AggregationSpec spec = definitions.parse(FeedExpansion.substitute(json, sample));
      for (var source : spec.sources()) {
        upstreamPerRun += 1 + source.retries();
      }
    } catch (InvalidDefinitionException e) {
      errors.addAll(e.errors());
    }
    if (!errors.isEmpty()) {
      throw new InvalidDefinitionException(errors);
    }
    return new Feed(name, json.copy(), Map.copyOf(params), schedule, readOnly, etag(json), upstreamPerRun);
  }

  /** The aggregation a feed stands for with these parameter values (defaults fill the gaps). */
  public AggregationSpec resolve(Feed feed, Map<String, String> given) {
    List<FieldError> errors = new ArrayList<>();
    for (String name : given.keySet()) {
      if (!feed.params().containsKey(name)) {
        errors.add(new FieldError("/params/" + name, "is not a parameter of feed " + feed.name()));
      }
    }
    Map<String, String> values = new HashMap<>();
    for (ParamSpec param : feed.params().values()) {
      String value = given.getOrDefault(param.name(), param.defaultValue());
      String at = "/params/" + param.name();
      if (value == null) {
        errors.add(new FieldError(at, "is required"));
      } else if (value.length() > MAX_VALUE_LENGTH) {
        errors.add(new FieldError(at, "is longer than " + MAX_VALUE_LENGTH + " characters"));
      } else if (param.pattern() != null && !param.pattern().matcher(value).matches()) {
        errors.add(new FieldError(at, "does not match the pattern " + param.pattern().pattern()));
      } else {
        values.put(param.name(), value);
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidDefinitionException(errors);
    }
    // operator feeds are configuration: the upstream policy lets them reach private networks
    return definitions.parse(FeedExpansion.substitute(feed.definition(), values)).withTrusted(feed.readOnly());
  }

  private Map<String, ParamSpec> params(Object value, List<FieldError> errors) {
    Map<String, ParamSpec> params = new LinkedHashMap<>();
    if (value == null) {
      return params;
    }
    if (!(value instanceof JsonObject json)) {
      errors.add(new FieldError("/params", "must be an object of parameter names to {pattern, default}"));
      return params;
    }
    if (json.size() > config.maxParams()) {
      errors.add(new FieldError("/params", "declares " + json.size() + " parameters; at most "
          + config.maxParams() + " are allowed"));
      return params;
    }
    for (String name : json.fieldNames()) {
      String at = "/params/" + name.replace("~", "~0").replace("/", "~1");
      if (!PARAM_NAME.matcher(name).matches()) {
        errors.add(new FieldError(at, "a parameter name must be a letter or '_' then up to 31 letters, digits or '_'"));
        continue;
      }
      if (!(json.getValue(name) instanceof JsonObject spec)) {
        errors.add(new FieldError(at, "must be an object with optional pattern and default"));
        continue;
      }
      for (String field : spec.fieldNames()) {
        if (!PARAM_FIELDS.contains(field)) {
          errors.add(new FieldError(at + "/" + field, "is not a known field"));
        }
      }
      Pattern pattern = null;
      Object rawPattern = spec.getValue("pattern");
      if (rawPattern != null) {
        if (!(rawPattern instanceof String s) || s.length() > 256) {
          errors.add(new FieldError(at + "/pattern", "must be a regular expression of at most 256 characters"));
        } else {
          try {
            pattern = Pattern.compile(s);
          } catch (PatternSyntaxException e) {
            errors.add(new FieldError(at + "/pattern", "is not a valid regular expression: " + e.getDescription()));
          }
        }
      }
      Object rawDefault = spec.getValue("default");
      String dflt = null;
      if (rawDefault != null) {
        if (!(rawDefault instanceof String s) || s.length() > MAX_VALUE_LENGTH) {
          errors.add(new FieldError(at + "/default", "must be a string of at most " + MAX_VALUE_LENGTH + " characters"));
        } else if (pattern != null && !pattern.matcher(s).matches()) {
          errors.add(new FieldError(at + "/default", "does not match the parameter's pattern"));
        } else {
          dflt = s;
        }
      }
      params.put(name, new ParamSpec(name, pattern, dflt));
    }
    return params;
  }

  private Schedule schedule(Object value, Map<String, ParamSpec> params, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject json)) {
      errors.add(new FieldError("/schedule", "must be an object such as {\"everyMs\": 60000}"));
      return null;
    }
    for (String field : json.fieldNames()) {
      if (!SCHEDULE_FIELDS.contains(field)) {
        errors.add(new FieldError("/schedule/" + field, "is not a known field"));
      }
    }
    Object every = json.getValue("everyMs");
    long min = config.minScheduleMs();
    if (!(every instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
        || n.longValue() < min || n.longValue() > 86_400_000L) {
      errors.add(new FieldError("/schedule/everyMs", "must be an integer from " + min + " to 86400000"));
      return null;
    }
    for (ParamSpec p : params.values()) {
      if (p.required()) {
        errors.add(new FieldError("/params/" + p.name() + "/default",
            "is required: a scheduled feed runs with its parameters' defaults"));
      }
    }
    return new Schedule(n.longValue());
  }

  private static void checkUrlPlaceholders(Object sources, Map<String, ParamSpec> params,
      List<FieldError> errors) {
    if (!(sources instanceof JsonArray list)) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject source) || !(source.getValue("url") instanceof String url)) {
        continue;
      }
      int pathStart = Placeholders.pathStart(url);
      Matcher m = Placeholders.PLACEHOLDER.matcher(url);
      while (m.find()) {
        String at = "/sources/" + i + "/url";
        if (!params.containsKey(m.group(1))) {
          errors.add(new FieldError(at, "uses {" + m.group(1) + "}, which is not a declared parameter"));
        } else if (m.start() < pathStart) {
          errors.add(new FieldError(at, "parameters may stand only in the path, query or fragment, not in the scheme or host"));
        }
      }
    }
  }

  static String etag(JsonObject definition) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(definition.encode().getBytes(StandardCharsets.UTF_8));
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
