package dev.fanin.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * When to send a second, identical request while the first has not answered: after a fixed time
 * ({@code {"afterMs": 150}}) or after the origin's recent latency at a percentile
 * ({@code {"after": "p95"}}). Set by a source, or by an operator rule for an origin.
 *
 * @param afterMs the fixed delay, or 0
 * @param percentile the percentile of the origin's recent latencies (50 to 99), or 0
 */
public record HedgeSpec(int afterMs, int percentile) {
  public static final int MAX_AFTER_MS = 600_000;

  /** What a hedge object holds, checked; throws IllegalArgumentException naming the field. */
  public static HedgeSpec of(Object value) {
    if (!(value instanceof JsonObject json)) {
      throw new Invalid("", "must be an object such as {\"afterMs\": 150} or {\"after\": \"p95\"}");
    }
    for (String name : json.fieldNames()) {
      if (!Set.of("afterMs", "after").contains(name)) {
        throw new Invalid(name, "is not a known field (afterMs or after)");
      }
    }
    Object after = json.getValue("after");
    Object afterMs = json.getValue("afterMs");
    if ((after == null) == (afterMs == null)) {
      throw new Invalid(afterMs == null ? "" : "after", "needs exactly one of afterMs and after");
    }
    if (afterMs != null) {
      if (!(afterMs instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1
          || n.doubleValue() > MAX_AFTER_MS) {
        throw new Invalid("afterMs", "must be an integer from 1 to " + MAX_AFTER_MS);
      }
      return new HedgeSpec(n.intValue(), 0);
    }
    if (!(after instanceof String s) || !s.matches("p[5-9][0-9]")) {
      throw new Invalid("after", "must be a percentile of the origin's recent latency, from \"p50\" to \"p99\"");
    }
    return new HedgeSpec(0, Integer.parseInt(s.substring(1)));
  }

  /** As configuration shows it. */
  public JsonObject toJson() {
    return afterMs > 0 ? new JsonObject().put("afterMs", afterMs) : new JsonObject().put("after", "p" + percentile);
  }

  /** A hedge object that is not valid: {@code field} ("" for the object itself) and why. */
  public static final class Invalid extends IllegalArgumentException {
    private final String field;

    Invalid(String field, String message) {
      super(message);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }
}
