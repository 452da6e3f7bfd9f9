package dev.fanin.definition;

import java.util.List;

/** A definition that failed validation; carries every offending field. */
public final class InvalidDefinitionException extends RuntimeException {
  private final List<FieldError> errors;

  public InvalidDefinitionException(List<FieldError> errors) {
    super(summary(errors), null, false, false);
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String summary(List<FieldError> errors) {
    if (errors.size() == 1) {
      FieldError e = errors.get(0);
      return e.pointer().isEmpty() ? e.detail() : e.pointer() + " " + e.detail();
    }
    return errors.size() + " fields are invalid; the first: "
        + errors.get(0).pointer() + " " + errors.get(0).detail();
  }
}
