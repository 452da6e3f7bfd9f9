package dev.fanin.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The API's contract, src/main/resources/openapi.json: the one description of every route, read
 * from the classpath once (when this class is first used) and served as it is.
 */
public final class OpenApiDocument {
  public static final String RESOURCE = "/openapi.json";
  private static final byte[] BYTES = load();

  private OpenApiDocument() {}

  /** The document's bytes (a copy: each answer writes its own). */
  public static byte[] bytes() {
    return BYTES.clone();
  }

  private static byte[] load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
