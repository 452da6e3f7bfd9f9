package dev.fanin.aggregate;

import dev.fanin.definition.Projection;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.vertx.core.json.JsonArray;

/**
 * Applies select and fields (RFC 6901 pointers) to a JSON answer. A pointer that matches nothing
 * gives null and a note, not an error: many quote APIs leave fields out now and then.
 */
final class Projections {
  private Projections() {}

  static Decoded apply(Projection projection, SourceData.Json data) {
    Object value = Json.decodeValue(data.utf8());
    List<String> notes = new ArrayList<>();
    if (projection.selectPointer() != null) {
      value = query(projection.selectPointer(), value);
      if (value == null) {
        notes.add("select " + projection.select() + " matched nothing");
      }
    }
    if (projection.fieldPointers() != null) {
      JsonObject fields = new JsonObject();
      for (Map.Entry<String, JsonPointer> f : projection.fieldPointers().entrySet()) {
        Object v = value == null ? null : query(f.getValue(), value);
        if (v == null) {
          notes.add("field " + f.getKey() + ": " + projection.fields().get(f.getKey()) + " matched nothing");
        }
        fields.put(f.getKey(), v);
      }
      value = fields;
    }
    return new Decoded(new SourceData.Json(Buffer.buffer(Json.encode(value))), List.copyOf(notes), List.of());
  }

  private static Object query(JsonPointer pointer, Object root) {
    return pointer.queryJson(wrap(root));
  }

  /** Decoded JSON holds plain maps and lists; a pointer walks JsonObject and JsonArray. */
  @SuppressWarnings("unchecked")
  private static Object wrap(Object value) {
    if (value instanceof Map<?, ?> map) {
      return new JsonObject((Map<String, Object>) map);
    }
    if (value instanceof List<?> list) {
      return new JsonArray((List<Object>) list);
    }
    return value;
  }
}
