package dev.fanin.config;

import dev.fanin.json.JsonSyntax;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import io.vertx.core.json.JsonArray;

/**
 * Builds a {@link FaninConfig} from the built-in defaults, a JSON file and FANIN_* environment
 * variables, in that order of precedence (later wins).
 */
public final class ConfigLoader {
  private static final String DEFAULTS = "/fanin-defaults.json";
  private static final String ENV_PREFIX = "FANIN_";
  /**
   * FANIN_* variables that are read by the start script (bin/fanin), not by a config key. Every
   * other FANIN_* variable must name a key, so that a misspelt one stops the start instead of being
   * ignored. This is the one list of exceptions; README.md and docs/operations.md name its members.
   */
  public static final Set<String> START_SCRIPT_VARIABLES = Set.of("FANIN_JAVA_OPTS");

  private ConfigLoader() {}

  /** Loads and validates; throws {@link ConfigException} naming the first bad key. */
  public static FaninConfig load(Path file, Map<String, String> env) {
    return merge(file == null ? null : readFile(file), env);
  }

  /**
   * Overlays the config file's content (null: no file) on the defaults, then the environment, and
   * validates. The one merge both the start and a live change ({@link ConfigWatcher}) go through.
   */
  static FaninConfig merge(JsonObject fileContent, Map<String, String> env) {
    JsonObject merged = defaults();
    if (fileContent != null) {
      overlay(merged, fileContent, "");
    }
    refuseUnknownVariables(merged, env);
    applyEnv(merged, env);
    return ConfigReader.read(merged);
  }

  /** Validates a configuration given as JSON, overlaid on the defaults (for tests and embedding). */
  public static FaninConfig fromJson(JsonObject overrides) {
    JsonObject merged = defaults();
    overlay(merged, overrides, "");
    return ConfigReader.read(merged);
  }

  /** The environment variable that overrides a key: http.port becomes FANIN_HTTP_PORT. */
  public static String envName(String key) {
    StringBuilder out = new StringBuilder(ENV_PREFIX);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.') {
        out.append('_');
      } else if (Character.isUpperCase(c)) {
        out.append('_').append(c);
      } else {
        out.append(Character.toUpperCase(c));
      }
    }
    return out.toString();
  }

  static JsonObject defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULTS);
      }
      return new JsonObject(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject readFile(Path file) {
    Buffer content;
    try {
      content = Buffer.buffer(Files.readAllBytes(file));
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    return parseFile(file, content);
  }

  /** The config file's content as a JSON object; a {@link ConfigException} when it is not one. */
  static JsonObject parseFile(Path file, Buffer content) {
    try {
      if (Json.decodeValue(content) instanceof JsonObject json) {
        return json;
      }
      throw new ConfigException("--config", file + " is not a JSON object");
    } catch (DecodeException e) {
      throw new ConfigException("--config", JsonSyntax.describe(file + " is not valid JSON", e, null));
    }
  }

  /** Why the config file could not be read, in the words the start uses. */
  static ConfigException unreadable(Path file, IOException e) {
    return e instanceof NoSuchFileException
        ? new ConfigException("--config", "file not found: " + file)
        : new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
  }

  /** Copies every key of {@code from} into {@code into}, refusing keys the defaults don't know. */
  private static void overlay(JsonObject into, JsonObject from, String prefix) {
    for (Map.Entry<String, Object> e : from) {
      String key = prefix + e.getKey();
      if (!into.containsKey(e.getKey())) {
        throw new ConfigException(key, "unknown key");
      }
      Object current = into.getValue(e.getKey());
      if (current instanceof JsonObject section) {
        if (!(e.getValue() instanceof JsonObject)) {
          throw new ConfigException(key, "must be an object");
        }
        overlay(section, (JsonObject) e.getValue(), key + ".");
      } else {
        into.put(e.getKey(), e.getValue());
      }
    }
  }

  /** Refuses the first (by name) FANIN_* variable that is neither a key's nor the start script's. */
  private static void refuseUnknownVariables(JsonObject config, Map<String, String> env) {
    Set<String> known = new TreeSet<>(START_SCRIPT_VARIABLES);
    addVariableNames(config, "", known);
    env.keySet().stream()
        .filter(name -> name.startsWith(ENV_PREFIX) && !known.contains(name))
        .sorted()
        .findFirst()
        .ifPresent(name -> {
          String closest = closest(name, known);
          throw new ConfigException(name, "unknown environment variable" + (closest != null
              ? "; did you mean " + closest + "?"
              : " (FANIN_* variables set config keys: http.port is FANIN_HTTP_PORT)"));
        });
  }

  private static void addVariableNames(JsonObject section, String prefix, Set<String> names) {
    for (String name : section.fieldNames()) {
      if (section.getValue(name) instanceof JsonObject nested) {
        addVariableNames(nested, prefix + name + ".", names);
      } else {
        names.add(envName(prefix + name));
      }
    }
  }

  /**
   * The known name nearest to a misspelt one, if it is within two edits (three for names of 30
   * characters or more, where a dropped _MS is a likely slip); null when none is that close.
   */
  static String closest(String name, Collection<String> known) {
    int limit = Math.max(2, name.length() / 10);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = editDistance(name, candidate);
      if (d <= limit && d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Levenshtein distance: insertions, deletions and substitutions of one character each. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static void applyEnv(JsonObject config, Map<String, String> env) {
    applyEnv(config, env, "");
  }

  private static void applyEnv(JsonObject section, Map<String, String> env, String prefix) {
    for (String name : section.fieldNames()) {
      String key = prefix + name;
      Object value = section.getValue(name);
      if (value instanceof JsonObject nested) {
        applyEnv(nested, env, key + ".");
        continue;
      }
      String raw = env.get(envName(key));
      if (raw != null) {
        section.put(name, parseEnv(key, raw.trim(), value));
      }
    }
  }

  private static Object parseEnv(String key, String raw, Object like) {
    if (like instanceof JsonArray) {
      if (raw.startsWith("[")) {
        try {
          return new JsonArray(raw);
        } catch (DecodeException e) {
          throw new ConfigException(key, "is not a JSON array (" + envName(key) + ")");
        }
      }
      JsonArray list = new JsonArray();
      for (String item : raw.split(",")) {
        if (!item.isBlank()) {
          list.add(item.trim());
        }
      }
      return list;
    }
    if (like instanceof Boolean) {
      String v = raw.toLowerCase(Locale.ROOT);
      if (v.equals("true") || v.equals("false")) {
        return Boolean.valueOf(v);
      }
      throw new ConfigException(key, "must be true or false (" + envName(key) + "=" + raw + ")");
    }
    if (like instanceof Number) {
      try {
        return Long.parseLong(raw);
      } catch (NumberFormatException e) {
        throw new ConfigException(key, "must be an integer (" + envName(key) + "=" + raw + ")");
      }
    }
    return raw;
  }
}
