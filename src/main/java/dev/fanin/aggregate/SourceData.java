package dev.fanin.aggregate;

import io.vertx.core.buffer.Buffer;

/** A source's upstream body as it appears in its result: JSON (validated, kept as bytes) or text. */
public sealed interface SourceData {
  /** Number of bytes this body holds in memory. */
  int size();

  /** A validated UTF-8 JSON value, spliced into the aggregate without being parsed into objects. */
  record Json(Buffer utf8) implements SourceData {
    @Override
    public int size() {
      return utf8.length();
    }
  }

  /** A body that is not JSON, decoded as text. */
  record Text(String text) implements SourceData {
    @Override
    public int size() {
      return text.length() * 2;
    }
  }
}
