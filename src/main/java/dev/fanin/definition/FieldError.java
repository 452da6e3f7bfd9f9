package dev.fanin.definition;

import io.vertx.core.json.JsonObject;

/** What is wrong with one field of a request, located by JSON Pointer (RFC 6901). */
public record FieldError(String pointer, String detail) {
  public JsonObject toJson() {
    return new JsonObject().put("pointer", pointer).put("detail", detail);
  }
}
