package dev.fanin.definition;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** Reads a definition's {@code complete}: a known policy, and a count its required sources can reach. */
final class CompletionFields {
  private CompletionFields() {}

  /** The policy, {@link CompletionSpec#ALL} when the definition sets none (or it is invalid: errors say why). */
  static CompletionSpec completion(Object value, List<SourceSpec> sources, List<FieldError> errors) {
    if (value == null) {
      return CompletionSpec.ALL;
    }
    if (!(value instanceof JsonObject json)) {
      errors.add(new FieldError("/complete", "must be an object such as {\"when\": \"any\", \"count\": 2}"));
      return CompletionSpec.ALL;
    }
    for (String name : json.fieldNames()) {
      if (!Set.of("when", "count").contains(name)) {
        errors.add(new FieldError("/complete/" + DefinitionParser.pointerEscape(name), "is not a known field"));
      }
    }
    Object when = json.getValue("when");
    Object count = json.getValue("count");
    long required = sources.stream().filter(s -> !s.optional()).count();
    if (when == null) {
      errors.add(new FieldError("/complete/when", "is required: all, any or first"));
      return CompletionSpec.ALL;
    }
    switch (String.valueOf(when)) {
      case "all" -> {
        if (count != null) {
          errors.add(new FieldError("/complete/count", "applies to \"any\" only"));
        }
        return CompletionSpec.ALL;
      }
      case "first" -> {
        if (count != null && !(count instanceof Number n && n.doubleValue() == 1)) {
          errors.add(new FieldError("/complete/count", "must be 1 or absent with \"first\""));
        } else if (required == 0 && !sources.isEmpty()) {
          errors.add(new FieldError("/complete", "needs a required source: optional sources never complete it"));
        }
        return new CompletionSpec(CompletionSpec.When.FIRST, 1);
      }
      case "any" -> {
        if (count == null) {
          errors.add(new FieldError("/complete/count", "is required with \"any\": how many sources must be ok"));
        } else if (!(count instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
            || n.doubleValue() < 1) {
          errors.add(new FieldError("/complete/count", "must be an integer of at least 1"));
        } else if (!sources.isEmpty() && n.doubleValue() > required) {
          errors.add(new FieldError("/complete/count", "is " + n.intValue() + ", but the definition has only "
              + required + " required source" + (required == 1 ? "" : "s") + " (optional sources never count)"));
        } else {
          return new CompletionSpec(CompletionSpec.When.ANY, n.intValue());
        }
        return CompletionSpec.ALL;
      }
      default -> {
        errors.add(new FieldError("/complete/when", "must be all, any or first"));
        return CompletionSpec.ALL;
      }
    }
  }
}
