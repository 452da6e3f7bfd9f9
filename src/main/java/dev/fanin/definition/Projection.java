package dev.fanin.definition;

import io.vertx.core.json.pointer.JsonPointer;
import java.util.Map;

/**
 * What part of a JSON answer becomes the data: {@code select} picks one value by JSON Pointer
 * (RFC 6901), then {@code fields} projects named values by pointer. Either may be null.
 */
public record Projection(String select, JsonPointer selectPointer, Map<String, String> fields,
    Map<String, JsonPointer> fieldPointers) {

  public static final Projection NONE = new Projection(null, null, null, null);

  public boolean isNone() {
    return selectPointer == null && fieldPointers == null;
  }
}
