package dev.fanin.definition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.fanin.json.JsonSyntax;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    JsonParser parser = null;
    try {
      parser = FACTORY.createParser(body.getBytes());
      if (parser.nextToken() == null) {
        throw malformed("empty: expected a JSON object");
      }
      Object value = read(parser);
      if (parser.nextToken() != null) {
        throw malformed(JsonSyntax.at("malformed JSON", parser.currentTokenLocation(),
            "unexpected data after the JSON value"));
      }
      return value;
    } catch (IOException e) {
      throw malformed(JsonSyntax.describe("malformed JSON", e, parser));
    } finally {
      closeQuietly(parser);
    }
  }

  /** The value at the parser's current token, as the maps and lists a JsonObject wraps. */
  private static Object read(JsonParser parser) throws IOException {
    switch (parser.currentToken()) {
      case START_OBJECT -> {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          parser.nextToken();
          object.put(key, read(parser));
        }
        return object;
      }
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(parser));
        }
        return array;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return parser.getNumberValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      default -> {
        // VALUE_NULL; the parser throws for anything that is not JSON before it gets here
        return null;
      }
    }
  }

  private static InvalidDefinitionException malformed(String detail) {
    return new InvalidDefinitionException(List.of(new FieldError("", detail)));
  }

  private static void closeQuietly(JsonParser parser) {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException e) {
        // a parser over a byte array has nothing to release
      }
    }
  }
}
