package dev.fanin.definition;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Checks a definition's references between sources before anything runs: each names a source of
 * the definition, whose answer can hold the value (not a text or HEAD source), no chain of them
 * loops back, and none is deeper than {@code aggregate.maxDependencyDepth}.
 */
final class References {
  private References() {}

  /**
   * The URL with each reference replaced by a stand-in value, for the usual URL checks; a reference
   * before the path (in the scheme or the host) is an error: a value may not choose where a request goes.
   */
  static String checkable(String url, String at, List<FieldError> errors) {
    int pathStart = Placeholders.pathStart(url);
    Matcher m = Reference.PATTERN.matcher(url);
    while (m.find()) {
      if (m.start() < pathStart) {
        errors.add(new FieldError(at, "has " + m.group() + " before its path: a value from another source may "
            + "stand only in the path or the query, never in the scheme or the host"));
        break;
      }
    }
    try {
      return Placeholders.substituteUrl(url, Reference.PATTERN, name -> "x", DefinitionParser.MAX_URL_LENGTH);
    } catch (Placeholders.TooLong e) {
      return url;
    }
  }

  /** What the source fills in before it runs, or null when it refers to no other source. */
  static SourceTemplate template(String url, MultiMap headers, Buffer body, boolean jsonBody) {
    List<Reference> refs = new ArrayList<>();
    if (url != null) {
      refs.addAll(Reference.in(url));
    }
    Map<String, String> templated = new LinkedHashMap<>();
    if (headers != null) {
      for (Map.Entry<String, String> h : headers.entries()) {
        if (Reference.any(h.getValue())) {
          templated.put(h.getKey(), h.getValue());
          refs.addAll(Reference.in(h.getValue()));
        }
      }
    }
    String bodyText = null;
    if (body != null) {
      String text = body.toString();
      if (Reference.any(text)) {
        bodyText = text;
        refs.addAll(Reference.in(text));
      }
    }
    if (refs.isEmpty()) {
      return null;
    }
    return new SourceTemplate(url, Map.copyOf(templated), bodyText, jsonBody, List.copyOf(refs));
  }

  /** Every reference names a source that can hold the value; no loops; no chain too deep. */
  static void checkGraph(List<SourceSpec> sources, int maxDepth, List<FieldError> errors) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      index.put(sources.get(i).id(), i);
    }
    boolean known = true;
    for (int i = 0; i < sources.size(); i++) {
      SourceTemplate t = sources.get(i).template();
      if (t == null) {
        continue;
      }
      for (Reference ref : t.references()) {
        String at = "/sources/" + i + where(t, ref);
        Integer target = index.get(ref.sourceId());
        if (target == null) {
          errors.add(new FieldError(at, ref + " refers to source \"" + ref.sourceId() + "\", which the definition "
              + "does not have"));
          known = false;
        } else if (target == i) {
          errors.add(new FieldError(at, ref + " refers to this source itself"));
          known = false;
        } else if (sources.get(target).format() == SourceFormat.TEXT) {
          errors.add(new FieldError(at, ref + " points into source \"" + ref.sourceId() + "\", whose format is "
              + "text: its data is a string, not JSON a pointer can reach into"));
        } else if (sources.get(target).method() == HttpMethod.HEAD) {
          errors.add(new FieldError(at, ref + " points into source \"" + ref.sourceId() + "\", a HEAD request: "
              + "it has no data"));
        }
      }
    }
    if (!known) {
      return;
    }
    for (int i = 0; i < sources.size(); i++) {
      SourceTemplate t = sources.get(i).template();
      Reference many = t == null ? null : t.expansion();
      if (many == null) {
        continue;
      }
      for (Reference ref : t.references()) {
        if (ref.expands() && (!ref.sourceId().equals(many.sourceId()) || !ref.pointer().equals(many.pointer()))) {
          errors.add(new FieldError("/sources/" + i + where(t, ref), ref + " names the elements of another list "
              + "than " + many + ": a source expands over one list"));
        }
      }
      for (int j = 0; j < sources.size(); j++) {
        SourceTemplate other = sources.get(j).template();
        if (other == null) {
          continue;
        }
        for (Reference ref : other.references()) {
          if (ref.sourceId().equals(sources.get(i).id())) {
            errors.add(new FieldError("/sources/" + j + where(other, ref), ref + " refers to source \""
                + ref.sourceId() + "\", which is expanded into many requests: it has no one result to point into"));
          }
        }
      }
    }
    if (!errors.isEmpty()) {
      return;
    }
    int[] depth = new int[sources.size()];
    int[] state = new int[sources.size()]; // 0 new, 1 on the path, 2 done
    for (int i = 0; i < sources.size(); i++) {
      List<String> path = new ArrayList<>();
      if (state[i] == 0 && !visit(i, sources, index, state, depth, path, errors)) {
        return; // one loop reported is enough: every source on it would repeat it
      }
    }
    for (int i = 0; i < sources.size(); i++) {
      if (depth[i] > maxDepth) {
        errors.add(new FieldError("/sources/" + i, "waits for a chain of " + depth[i] + " sources, one after "
            + "another; at most aggregate.maxDependencyDepth (" + maxDepth + ") are allowed"));
      }
    }
  }

  /** Depth-first: a source's depth is one more than the deepest source it waits for. False on a loop. */
  private static boolean visit(int i, List<SourceSpec> sources, Map<String, Integer> index, int[] state,
      int[] depth, List<String> path, List<FieldError> errors) {
    state[i] = 1;
    path.add(sources.get(i).id());
    SourceTemplate t = sources.get(i).template();
    int deepest = 0;
    if (t != null) {
      for (Reference ref : t.references()) {
        int target = index.get(ref.sourceId());
        if (state[target] == 1) {
          List<String> loop = new ArrayList<>(path.subList(path.indexOf(ref.sourceId()), path.size()));
          loop.add(ref.sourceId());
          errors.add(new FieldError("/sources/" + i + where(t, ref), ref + " closes a loop: "
              + String.join(" → ", loop) + "; no source could ever start"));
          return false;
        }
        if (state[target] == 0 && !visit(target, sources, index, state, depth, path, errors)) {
          return false;
        }
        deepest = Math.max(deepest, depth[target] + 1);
      }
    }
    depth[i] = deepest;
    state[i] = 2;
    path.remove(path.size() - 1);
    return true;
  }

  /** Where in the source a reference is written: its URL, a header or its body. */
  private static String where(SourceTemplate t, Reference ref) {
    String text = ref.toString();
    if (t.url() != null && t.url().contains(text)) {
      return "/url";
    }
    for (Map.Entry<String, String> h : t.headers().entrySet()) {
      if (h.getValue().contains(text)) {
        return "/headers/" + DefinitionParser.pointerEscape(h.getKey());
      }
    }
    return "/body";
  }
}
