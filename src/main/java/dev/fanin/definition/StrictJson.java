package dev.fanin.definition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Parses request bodies as strict JSON: no comments, no duplicate keys, bounded nesting, string
 * and number sizes. Vert.x's own decoder is lenient (comments, last duplicate wins).
 */
public final class StrictJson {
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(64)
                  .maxNumberLength(64)
                  .maxStringLength(16 * 1024 * 1024)
                  .build())
          .build();

  private StrictJson() {}

  /** Parses a JSON object, or throws {@link InvalidDefinitionException} saying where it broke. */
  @SuppressWarnings("unchecked")
  public static JsonObject parseObject(Buffer body) {
    Object value = parse(body);
    if (value instanceof JsonObject json) {
      return json;
    }
    if (value instanceof Map<?, ?> map) {
      return new JsonObject((Map<String, Object>) map);
    }
    throw new InvalidDefinitionException(
        List.of(new FieldError("", "the request body must be a JSON object")));
  }

  private static Object parse(Buffer body) {
    try {
      JsonParser parser = FACTORY.createParser(body.getBytes());
      return JacksonCodec.fromParser(parser, Object.class);
    } catch (DecodeException e) {
      throw new InvalidDefinitionException(List.of(new FieldError("", malformed(e))));
    } catch (IOException e) {
      throw new InvalidDefinitionException(List.of(new FieldError("", "malformed JSON")));
    }
  }

  private static String malformed(DecodeException e) {
    if (e.getCause() instanceof JsonProcessingException jpe) {
      JsonLocation at = jpe.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      return "malformed JSON" + where + ": " + firstLine(jpe.getOriginalMessage());
    }
    return "malformed JSON: " + firstLine(e.getMessage());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
