package dev.fanin.feeds;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A named, validated feed: its definition as given (with params and schedule), its parameters, its
 * schedule (null when not polled) and its entity tag.
 *
 * @param readOnly loaded from the operator's feeds folder; the API cannot change it
 * @param upstreamPerRun the most upstream requests one run may send: each source once, plus its
 *     retries (redirect hops are not counted)
 */
public record Feed(
    String name,
    JsonObject definition,
    Map<String, ParamSpec> params,
    Schedule schedule,
    boolean readOnly,
    String etag,
    int upstreamPerRun) {

  /** The upstream requests a second its schedule may make (0 when not scheduled). */
  public double upstreamPerSecond() {
    return schedule == null ? 0 : upstreamPerRun * 1000.0 / schedule.everyMs();
  }

  /** The JSON shown by GET /v1/feeds/{name}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("readOnly", readOnly)
        .put("etag", etag)
        .put("definition", definition);
  }

  /** The short form shown by the list. */
  public JsonObject summaryJson() {
    JsonObject json = new JsonObject().put("name", name).put("readOnly", readOnly).put("etag", etag)
        .put("sources", definition.getJsonArray("sources").size());
    if (schedule != null) {
      json.put("schedule", new JsonObject().put("everyMs", schedule.everyMs()));
    }
    return json;
  }
}
