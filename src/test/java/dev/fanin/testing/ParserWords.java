package dev.fanin.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

/** Words of Jackson's messages that must never reach the people who sent or configured the JSON. */
public final class ParserWords {
  private static final List<String> INTERNALS = List.of("JsonReadFeature", "StreamReadFeature",
      "StreamReadConstraints", "REDACTED", "Source:", "`", "ALLOW_", "CTRL-CHAR", "VALUE_STRING", "(code ",
      "Failed to decode", "Exception", "java.", "com.fasterxml");

  private ParserWords() {}

  public static void assertNone(String message) {
    for (String word : INTERNALS) {
      assertFalse(message.contains(word), "parser internals (" + word + ") in: " + message);
    }
  }
}
