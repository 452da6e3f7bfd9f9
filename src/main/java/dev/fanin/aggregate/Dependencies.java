package dev.fanin.aggregate;

import dev.fanin.definition.DefinitionParser;
import dev.fanin.definition.Placeholders;
import dev.fanin.definition.Reference;
import dev.fanin.definition.SourceSpec;
import dev.fanin.definition.SourceTemplate;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which sources of an aggregation wait for others' results, and filling in their values once those
 * are in. A result others refer to is kept (and its JSON parsed once) until the aggregation ends;
 * nothing else is. Confined to the aggregation's event loop.
 */
final class Dependencies {
  /** Bodies of filled sources may grow to at most this many characters. */
  static final int MAX_BODY_CHARS = 1 << 20;

  private final int[] waiting;
  private final int maxExpansion;
  /** Requests that expanded sources may still add to the aggregation (aggregate.maxSources). */
  private int expansionRoom;
  private final Map<String, List<Integer>> dependents = new HashMap<>();
  private final Map<String, SourceResult> results = new HashMap<>();
  private final Map<String, Object> parsed = new HashMap<>();

  private Dependencies(int n, int maxExpansion, int expansionRoom) {
    this.waiting = new int[n];
    this.maxExpansion = maxExpansion;
    this.expansionRoom = expansionRoom;
  }

  /**
   * The dependencies of a definition's sources, or null when none refers to another.
   *
   * @param maxExpansion the most requests one source may expand into (aggregate.maxExpansion)
   * @param expansionRoom the requests all expansions may add (aggregate.maxSources less the sources)
   */
  static Dependencies of(List<SourceSpec> sources, int maxExpansion, int expansionRoom) {
    Dependencies d = null;
    for (int i = 0; i < sources.size(); i++) {
      SourceTemplate t = sources.get(i).template();
      if (t == null) {
        continue;
      }
      if (d == null) {
        d = new Dependencies(sources.size(), maxExpansion, expansionRoom);
      }
      for (String id : t.waitsFor()) {
        d.waiting[i]++;
        d.dependents.computeIfAbsent(id, k -> new ArrayList<>()).add(i);
      }
    }
    return d;
  }

  /** Whether source {@code i} waits for other sources before it may start. */
  boolean waits(int i) {
    return waiting[i] > 0;
  }

  /** A source has its result: the sources that now wait for nothing more. */
  List<Integer> done(SourceResult result) {
    List<Integer> waiters = dependents.get(result.id());
    if (waiters == null) {
      return List.of();
    }
    results.put(result.id(), result);
    List<Integer> ready = new ArrayList<>();
    for (int d : waiters) {
      if (--waiting[d] == 0) {
        ready.add(d);
      }
    }
    return ready;
  }

  /**
   * A dependent source ready to run (values filled in), or why it is skipped; for a source expanded
   * over a list, its requests instead (each ready, or skipped alone).
   */
  record Filled(SourceSpec source, String skipped, List<Filled> expanded) {
    Filled(SourceSpec source, String skipped) {
      this(source, skipped, null);
    }
  }

  Filled fill(SourceSpec source) {
    SourceTemplate t = source.template();
    Reference many = t.expansion();
    if (many == null) {
      return fill(source, source.id(), Map.of());
    }
    JsonArray list;
    try {
      Object value = JsonPointer.from(many.pointer()).queryJson(parsed(results.get(many.sourceId())));
      if (!(value instanceof JsonArray array)) {
        return skip(many, value == null ? "nothing is there in source \"" + many.sourceId() + "\"'s data"
            : "it is not a list in source \"" + many.sourceId() + "\"'s data");
      }
      list = array;
    } catch (DecodeException | IllegalArgumentException e) {
      return results.get(many.sourceId()).ok() ? skip(many, "source \"" + many.sourceId() + "\"'s data is not JSON")
          : skip(many, "source \"" + many.sourceId() + "\" failed (" + results.get(many.sourceId()).errorKind().wireName()
              + ")");
    }
    if (list.size() > maxExpansion) {
      return skip(many, "the list has " + list.size() + " values; a source expands into at most "
          + "aggregate.maxExpansion (" + maxExpansion + ") requests");
    }
    if (list.size() - 1 > expansionRoom) {
      return skip(many, "the list has " + list.size() + " values, which would take the aggregation past "
          + "aggregate.maxSources");
    }
    expansionRoom -= Math.max(0, list.size() - 1);
    List<Filled> requests = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object element = JsonPointer.from(many.each()).queryJson(list.getValue(i));
      String id = source.id() + "." + i;
      if (element == null || element instanceof JsonObject || element instanceof JsonArray) {
        requests.add(new Filled(source.filled(id, source.url(), source.headers(), source.body()),
            "waited for " + many + ": element " + i + " of the list has " + (element == null ? "nothing there"
                : "no single value there")));
      } else {
        requests.add(fill(source, id, Map.of(many.placeholder(), String.valueOf(element))));
      }
    }
    return new Filled(null, null, requests);
  }

  /** The source (under {@code id}) with its values filled in; {@code given} holds the expanded one. */
  private Filled fill(SourceSpec source, String id, Map<String, String> given) {
    SourceTemplate t = source.template();
    Map<String, String> values = new HashMap<>(given);
    for (Reference ref : t.references()) {
      if (ref.expands()) {
        continue;
      }
      SourceResult from = results.get(ref.sourceId());
      if (!from.ok()) {
        return skip(ref, "source \"" + ref.sourceId() + "\" failed (" + from.errorKind().wireName() + ")");
      }
      Object value;
      try {
        value = JsonPointer.from(ref.pointer()).queryJson(parsed(from));
      } catch (DecodeException | IllegalArgumentException e) {
        return skip(ref, "source \"" + ref.sourceId() + "\"'s data is not JSON");
      }
      if (value == null) {
        return skip(ref, "nothing is there in source \"" + ref.sourceId() + "\"'s data");
      }
      if (value instanceof JsonObject || value instanceof JsonArray || value instanceof Map || value instanceof List) {
        return skip(ref, "it is " + (value instanceof JsonArray || value instanceof List ? "an array" : "an object")
            + " in source \"" + ref.sourceId() + "\"'s data, not one value");
      }
      values.put(ref.placeholder(), String.valueOf(value));
    }
    try {
      URI url = t.url() == null ? source.url()
          : URI.create(Placeholders.substituteUrl(t.url(), Reference.PATTERN, values::get,
              DefinitionParser.MAX_URL_LENGTH));
      MultiMap headers = source.headers();
      if (!t.headers().isEmpty()) {
        headers = MultiMap.caseInsensitiveMultiMap().addAll(source.headers());
        for (Map.Entry<String, String> h : t.headers().entrySet()) {
          String filled = Placeholders.substitute(h.getValue(), Reference.PATTERN, values::get,
              DefinitionParser.MAX_HEADER_BYTES);
          if (filled.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            return new Filled(null, "waited for " + t.references() + ": the value for header " + h.getKey()
                + " holds control characters, which a header cannot carry");
          }
          headers.set(h.getKey(), filled);
        }
      }
      Buffer body = source.body();
      if (t.body() != null) {
        body = Buffer.buffer(Placeholders.substitute(t.body(), Reference.PATTERN,
            name -> values.get(name) == null ? null : t.jsonBody() ? jsonContent(values.get(name)) : values.get(name),
            MAX_BODY_CHARS));
      }
      return new Filled(source.filled(id, url, headers, body), null);
    } catch (Placeholders.TooLong e) {
      return new Filled(null, "waited for " + t.references() + ": with these values the request would be longer "
          + "than fanin allows");
    } catch (IllegalArgumentException e) {
      return new Filled(null, "waited for " + t.references() + ": with these values the URL is not valid");
    }
  }

  private static Filled skip(Reference ref, String why) {
    return new Filled(null, "waited for " + ref + ": " + why);
  }

  /** The referenced source's data, parsed once. */
  private Object parsed(SourceResult from) {
    return parsed.computeIfAbsent(from.id(), id -> {
      if (from.data() instanceof SourceData.Json json) {
        return Json.decodeValue(json.utf8());
      }
      throw new IllegalArgumentException("not JSON");
    });
  }

  /** A value as the content of a JSON string (escaped, without the quotes). */
  private static String jsonContent(String value) {
    String quoted = Json.encode(value);
    return quoted.substring(1, quoted.length() - 1);
  }
}
