package dev.fanin.definition;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a dependent source fills in once the sources it refers to are ok: its URL, the headers and
 * the body text that hold references, as the definition wrote them.
 *
 * @param url the URL with its references (percent-encoded into their place when filled)
 * @param headers header name to value, for the values that hold references
 * @param body the encoded body with its references, or null when the body has none
 * @param jsonBody whether the body is JSON (values are escaped as JSON string content)
 * @param references every reference, in order of appearance
 */
public record SourceTemplate(String url, Map<String, String> headers, String body, boolean jsonBody,
    List<Reference> references) {

  /** The reference that names many values (the source is expanded over its array), or null. */
  public Reference expansion() {
    return references.stream().filter(Reference::expands).findFirst().orElse(null);
  }

  /** The ids of the sources this one waits for. */
  public Set<String> waitsFor() {
    return references.stream().map(Reference::sourceId).collect(java.util.stream.Collectors.toCollection(
        java.util.LinkedHashSet::new));
  }
}
