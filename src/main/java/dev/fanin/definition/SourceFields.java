package dev.fanin.definition;

import dev.fanin.config.FaninConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import io.vertx.core.json.Json;
import io.vertx.core.json.pointer.JsonPointer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.function.Supplier;

/**
 * Reads the fields of one source into typed values, each problem with its JSON Pointer: the id,
 * URL, method, headers, format and projection (the part of a definition with the most rules).
 */
final class SourceFields {
  private SourceFields() {}

  /** Header names the source marks as credentials, lower case; none when absent. */
  static Set<String> secretHeaders(Object value, String at, List<FieldError> errors) {
    if (value == null) {
      return Set.of();
    }
    if (!(value instanceof JsonArray names) || names.size() > DefinitionParser.MAX_HEADERS) {
      errors.add(new FieldError(at, "must be an array of at most " + DefinitionParser.MAX_HEADERS + " header names"));
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      if (!(names.getValue(i) instanceof String name) || !DefinitionParser.TOKEN.matcher(name).matches()) {
        errors.add(new FieldError(at + "/" + i, "must be a header name"));
      } else {
        out.add(name.toLowerCase(Locale.ROOT));
      }
    }
    return Set.copyOf(out);
  }


  static SourceFormat format(Object value, String at, List<FieldError> errors) {
    if (value == null) {
      return SourceFormat.AUTO;
    }
    if (value instanceof String s) {
      for (SourceFormat f : SourceFormat.values()) {
        if (f.name().equalsIgnoreCase(s)) {
          return f;
        }
      }
    }
    errors.add(new FieldError(at, "must be one of auto, json, text, feed"));
    return SourceFormat.AUTO;
  }


  static Projection projection(JsonObject json, String at, SourceFormat format,
      List<FieldError> errors) {
    Object select = json.getValue("select");
    Object fields = json.getValue("fields");
    if (select == null && fields == null) {
      return Projection.NONE;
    }
    if (format == SourceFormat.TEXT || format == SourceFormat.FEED) {
      errors.add(new FieldError(at + (select != null ? "/select" : "/fields"),
          "applies to JSON answers only, not with format " + format.name().toLowerCase(Locale.ROOT)));
      return Projection.NONE;
    }
    JsonPointer selectPointer = null;
    if (select != null) {
      selectPointer = pointer(select, at + "/select", errors);
    }
    Map<String, String> fieldMap = null;
    Map<String, JsonPointer> fieldPointers = null;
    if (fields != null) {
      if (!(fields instanceof JsonObject obj) || obj.isEmpty() || obj.size() > DefinitionParser.MAX_FIELDS) {
        errors.add(new FieldError(at + "/fields",
            "must be an object of 1 to " + DefinitionParser.MAX_FIELDS + " names to JSON Pointers"));
      } else {
        fieldMap = new LinkedHashMap<>();
        fieldPointers = new LinkedHashMap<>();
        for (String name : obj.fieldNames()) {
          JsonPointer p =
              pointer(obj.getValue(name), at + "/fields/" + DefinitionParser.pointerEscape(name), errors);
          if (p != null) {
            fieldMap.put(name, (String) obj.getValue(name));
            fieldPointers.put(name, p);
          }
        }
      }
    }
    return new Projection(select instanceof String s ? s : null, selectPointer,
        fieldMap == null ? null : Collections.unmodifiableMap(fieldMap),
        fieldPointers == null ? null : Collections.unmodifiableMap(fieldPointers));
  }


  static JsonPointer pointer(Object value, String at,
      List<FieldError> errors) {
    if (value instanceof String s && s.length() <= 1024 && (s.isEmpty() || s.startsWith("/"))) {
      try {
        return JsonPointer.from(s);
      } catch (IllegalArgumentException e) {
        // reported below
      }
    }
    errors.add(new FieldError(at, "must be a JSON Pointer (RFC 6901) such as \"/data/amount\""));
    return null;
  }


  static String id(Object value, String at, List<FieldError> errors) {
    if (value == null) {
      errors.add(new FieldError(at, "is required"));
    } else if (!(value instanceof String s) || !DefinitionParser.ID.matcher(s).matches()) {
      errors.add(new FieldError(at, "must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' or '-'"));
    } else {
      return s;
    }
    return null;
  }


  static URI url(Object value, String at, List<FieldError> errors) {
    if (value == null) {
      errors.add(new FieldError(at, "is required"));
      return null;
    }
    if (!(value instanceof String s)) {
      errors.add(new FieldError(at, "must be a string"));
      return null;
    }
    if (s.length() > DefinitionParser.MAX_URL_LENGTH) {
      errors.add(new FieldError(at, "is longer than " + DefinitionParser.MAX_URL_LENGTH + " characters"));
      return null;
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      errors.add(new FieldError(at, "is not a valid URL: " + e.getReason()));
      return null;
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !uri.isAbsolute()) {
      errors.add(new FieldError(at, "must be an absolute http or https URL"));
    } else if (!scheme.equals("http") && !scheme.equals("https")) {
      errors.add(new FieldError(at, "has scheme \"" + scheme + "\"; only http and https are allowed"));
    } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
      errors.add(new FieldError(at, "must name a valid host"));
    } else if (uri.getRawUserInfo() != null) {
      errors.add(new FieldError(at, "must not carry user info; send credentials in headers"));
    } else {
      return uri;
    }
    return null;
  }


  static HttpMethod method(Object value, String at, List<FieldError> errors) {
    if (value == null) {
      return HttpMethod.GET;
    }
    if (value instanceof String s && DefinitionParser.TOKEN.matcher(s).matches()) {
      HttpMethod m = HttpMethod.valueOf(s.toUpperCase(Locale.ROOT));
      if (DefinitionParser.METHODS.contains(m)) {
        return m;
      }
    }
    errors.add(new FieldError(at, "must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"));
    return null;
  }


  static MultiMap headers(Object value, String at, List<FieldError> errors) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (value == null) {
      return headers;
    }
    if (!(value instanceof JsonObject json)) {
      errors.add(new FieldError(at, "must be an object of header names to string values"));
      return headers;
    }
    if (json.size() > DefinitionParser.MAX_HEADERS) {
      errors.add(new FieldError(at, "has " + json.size() + " headers; at most " + DefinitionParser.MAX_HEADERS + " are allowed"));
      return headers;
    }
    for (Map.Entry<String, Object> e : json) {
      String name = e.getKey();
      String where = at + "/" + DefinitionParser.pointerEscape(name);
      if (!DefinitionParser.TOKEN.matcher(name).matches()) {
        errors.add(new FieldError(where, "is not a valid header name"));
      } else if (DefinitionParser.RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        errors.add(new FieldError(where, "cannot be set: fanin manages this header"));
      } else if (!(e.getValue() instanceof String v)) {
        errors.add(new FieldError(where, "must be a string"));
      } else if (v.length() > DefinitionParser.MAX_HEADER_BYTES) {
        errors.add(new FieldError(where, "is longer than " + DefinitionParser.MAX_HEADER_BYTES + " characters"));
      } else if (!validHeaderValue(v)) {
        errors.add(new FieldError(where, "must not contain CR, LF, NUL or other control characters"));
      } else {
        headers.add(name, v);
      }
    }
    return headers;
  }


  static boolean validHeaderValue(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        return false;
      }
    }
    return true;
  }
}
