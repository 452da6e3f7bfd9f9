package dev.fanin.http;

import dev.fanin.definition.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** An RFC 9457 problem detail: the body of every error answer. */
public record Problem(int status, String type, String title, String detail, List<FieldError> errors) {
  static final String TYPE_BASE = "urn:fanin:problem:";

  public static Problem of(int status, String slug, String title, String detail) {
    return new Problem(status, TYPE_BASE + slug, title, detail, List.of());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(e -> list.add(e.toJson()));
      json.put("errors", list);
    }
    return json;
  }
}
