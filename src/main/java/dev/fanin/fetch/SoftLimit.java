package dev.fanin.fetch;

import dev.fanin.config.FaninConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import java.util.Locale;

/**
 * A limit an upstream reports in a successful answer's body (Alpha Vantage answers 200 with a
 * {@code Note} or {@code Information} field when its limit is hit): a rule's softLimitPointer names
 * where, and a JSON answer with a value there counts as a throttle. Only answers up to
 * {@link #MAX_BYTES} are looked into: a limit notice is short, and real data is not parsed twice.
 */
final class SoftLimit {
  static final int MAX_BYTES = 64 * 1024;
  /** How much of the value is quoted in the source's message. */
  private static final int QUOTE_CHARS = 200;

  private SoftLimit() {}

  /** The value at the rule's pointer, quoted for a message, or null when the answer is no soft limit. */
  static String find(FaninConfig.OriginRule rule, FetchResponse response) {
    if (rule == null || rule.softLimitPointer() == null || !response.isSuccess() || response.body() == null
        || response.body().length() == 0 || response.body().length() > MAX_BYTES) {
      return null;
    }
    String type = response.headers().get("Content-Type");
    if (type != null && !type.toLowerCase(Locale.ROOT).contains("json")) {
      return null;
    }
    Object document;
    try {
      document = Json.decodeValue(response.body());
    } catch (DecodeException e) {
      return null;
    }
    if (!(document instanceof JsonObject) && !(document instanceof JsonArray)) {
      return null;
    }
    Object value = JsonPointer.from(rule.softLimitPointer()).queryJson(document);
    if (value == null) {
      return null;
    }
    String text = value instanceof String s ? s : Json.encode(value);
    return text.length() > QUOTE_CHARS ? text.substring(0, QUOTE_CHARS) + "…" : text;
  }
}
