package dev.fanin.feeds;

import dev.fanin.definition.Placeholders;

import dev.fanin.definition.DefinitionParser;
import dev.fanin.definition.FieldError;
import dev.fanin.definition.InvalidDefinitionException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts parameter values into a feed's sources without ever building more than a definition may
 * hold: a URL or header passing its limit stops the expansion at once. At PUT, a feed whose worst
 * case (every placeholder at its parameter's longest value) cannot fit is refused, naming the field.
 */
final class FeedExpansion {
  /** The most characters the strings of one source's body may hold after substitution. */
  static final int MAX_BODY_CHARS = 1 << 20;
  /** A pattern that is one character class with a bounded repeat, such as [A-Z]{1,12}. */
  private static final Pattern BOUNDED = Pattern.compile(
      "\\^?(?:\\[(?:[^\\]\\\\]|\\\\.)+\\]|\\\\[wdsWDS]|\\.|[A-Za-z0-9])\\{(\\d{1,4})(?:,(\\d{1,4}))?\\}\\$?");

  private FeedExpansion() {}

  /** The longest value a parameter accepts: what its pattern allows when it says, else the limit. */
  static int maxLength(ParamSpec param) {
    if (param.pattern() != null) {
      Matcher m = BOUNDED.matcher(param.pattern().pattern());
      if (m.matches()) {
        int max = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(1));
        return Math.min(max, FeedDefinitionParser.MAX_VALUE_LENGTH);
      }
    }
    return FeedDefinitionParser.MAX_VALUE_LENGTH;
  }

  /** Adds an error for every URL, header and body that could pass its limit with some values. */
  static void checkWorstCase(JsonObject feed, Map<String, ParamSpec> params, List<FieldError> errors) {
    if (params.isEmpty() || !(feed.getValue("sources") instanceof JsonArray sources)) {
      return;
    }
    Map<String, Integer> longest = new HashMap<>();
    params.values().forEach(p -> longest.put(p.name(), maxLength(p)));
    for (int i = 0; i < sources.size(); i++) {
      if (!(sources.getValue(i) instanceof JsonObject source)) {
        continue;
      }
      String at = "/sources/" + i;
      if (source.getValue("url") instanceof String url) {
        check(at + "/url", Placeholders.worstCase(url, longest), DefinitionParser.MAX_URL_LENGTH, errors);
      }
      if (source.getValue("headers") instanceof JsonObject headers) {
        for (String name : headers.fieldNames()) {
          if (headers.getValue(name) instanceof String v) {
            check(at + "/headers/" + name, Placeholders.worstCase(v, longest), DefinitionParser.MAX_HEADER_BYTES, errors);
          }
        }
      }
      if (source.containsKey("body")) {
        check(at + "/body", bodyWorstCase(source.getValue("body"), longest), MAX_BODY_CHARS, errors);
      }
    }
  }

  private static void check(String at, long worst, int limit, List<FieldError> errors) {
    if (worst > limit) {
      errors.add(new FieldError(at, "could grow to " + worst + " characters with every parameter at its longest "
          + "(" + FeedDefinitionParser.MAX_VALUE_LENGTH + " characters, or what its pattern allows); at most "
          + limit + " are allowed: use fewer placeholders or give the parameters a pattern such as [a-z]{1,20}"));
    }
  }

  private static long bodyWorstCase(Object value, Map<String, Integer> longest) {
    if (value instanceof String s) {
      return Placeholders.worstCase(s, longest);
    }
    long total = 0;
    if (value instanceof JsonObject obj) {
      for (Map.Entry<String, Object> e : obj) {
        total += bodyWorstCase(e.getValue(), longest);
      }
    } else if (value instanceof JsonArray arr) {
      for (Object o : arr) {
        total += bodyWorstCase(o, longest);
      }
    }
    return total;
  }

  /** The definition without params and schedule, with every placeholder replaced. */
  static JsonObject substitute(JsonObject feed, Map<String, String> values) {
    JsonObject def = feed.copy();
    def.remove("params");
    def.remove("schedule");
    if (values.isEmpty() || !(def.getValue("sources") instanceof JsonArray sources)) {
      return def;
    }
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      if (!(sources.getValue(i) instanceof JsonObject source)) {
        continue;
      }
      String at = "/sources/" + i;
      if (source.getValue("url") instanceof String url) {
        try {
          source.put("url", Placeholders.substituteUrl(url, values, DefinitionParser.MAX_URL_LENGTH));
        } catch (Placeholders.TooLong e) {
          errors.add(tooLong(at + "/url", DefinitionParser.MAX_URL_LENGTH));
        }
      }
      if (source.getValue("headers") instanceof JsonObject headers) {
        for (String name : headers.fieldNames()) {
          if (headers.getValue(name) instanceof String v) {
            try {
              headers.put(name, Placeholders.substitute(v, values, DefinitionParser.MAX_HEADER_BYTES));
            } catch (Placeholders.TooLong e) {
              errors.add(tooLong(at + "/headers/" + name, DefinitionParser.MAX_HEADER_BYTES));
            }
          }
        }
      }
      if (source.containsKey("body")) {
        try {
          source.put("body", substituteValue(source.getValue("body"), values, new int[] {MAX_BODY_CHARS}));
        } catch (Placeholders.TooLong e) {
          errors.add(tooLong(at + "/body", MAX_BODY_CHARS));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidDefinitionException(errors);
    }
    return def;
  }

  private static FieldError tooLong(String at, int limit) {
    return new FieldError(at, "would be longer than " + limit + " characters with these parameter values");
  }

  /** @param left characters the body's strings may still take, shared by all of them */
  private static Object substituteValue(Object value, Map<String, String> values, int[] left) {
    if (value instanceof String s) {
      String out = Placeholders.substitute(s, values, left[0]);
      left[0] -= out.length();
      return out;
    }
    if (value instanceof JsonObject obj) {
      JsonObject out = new JsonObject();
      obj.forEach(e -> out.put(e.getKey(), substituteValue(e.getValue(), values, left)));
      return out;
    }
    if (value instanceof JsonArray arr) {
      JsonArray out = new JsonArray();
      arr.forEach(v -> out.add(substituteValue(v, values, left)));
      return out;
    }
    return value;
  }
}
