package dev.fanin.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.vertx.core.json.DecodeException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says what is wrong with malformed JSON in the writer's terms ("NaN is not a JSON number"). Jackson's
 * own messages name its features, its internals and its redacted source, which mean nothing to the
 * person who sent the document; a failure not recognised here gets a plain "not valid JSON" rather
 * than Jackson's words.
 */
public final class JsonSyntax {
  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.*)'$", Pattern.DOTALL);
  private static final Pattern NON_STANDARD = Pattern.compile("^Non-standard token '([^']*)'");
  private static final Pattern UNRECOGNIZED = Pattern.compile("^Unrecognized token '(.*)': was expecting", Pattern.DOTALL);
  private static final Pattern ESCAPE = Pattern.compile("^Unrecognized character escape '(.)'", Pattern.DOTALL);
  private static final Pattern CODE = Pattern.compile("code (\\d+)");
  private static final Pattern LIMIT = Pattern.compile("\\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");
  private static final Pattern CLOSE_MARKER = Pattern.compile("close marker '(.)': expected '(.)'");
  private static final int MAX_SHOWN = 40;

  private JsonSyntax() {}

  /**
   * "{subject} at line 1, column 12: NaN is not a JSON number", or "{subject}: …" when the position
   * is unknown.
   *
   * @param failure what the parser threw (a Jackson exception, or Vert.x's DecodeException around one)
   * @param parser the parser that failed, for the position when the failure carries none; may be null
   */
  public static String describe(String subject, Throwable failure, JsonParser parser) {
    Throwable cause = failure instanceof DecodeException && failure.getCause() != null ? failure.getCause() : failure;
    JsonLocation at = cause instanceof JsonProcessingException jpe ? jpe.getLocation() : null;
    if (at == null && parser != null) {
      at = parser.currentLocation();
    }
    return at(subject, at, reason(cause));
  }

  /** "{subject} at line 1, column 12: {reason}", without the position when it is unknown. */
  public static String at(String subject, JsonLocation at, String reason) {
    String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return subject + where + ": " + reason;
  }

  static String reason(Throwable failure) {
    String message = failure instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : failure.getMessage();
    if (message == null) {
      return "not valid JSON";
    }
    if (failure instanceof StreamConstraintsException) {
      return tooLarge(message);
    }
    if (failure instanceof JsonEOFException || message.startsWith("Unexpected end-of-input")) {
      return endOfInput(message);
    }
    if (message.startsWith("Duplicate field ")) {
      return "duplicate key \"" + shown(group(DUPLICATE, message)) + "\"";
    }
    if (message.startsWith("Non-standard token ")) {
      return shown(group(NON_STANDARD, message)) + " is not a JSON number";
    }
    if (message.startsWith("Unrecognized token ")) {
      return "unexpected \"" + shown(group(UNRECOGNIZED, message))
          + "\": expected a string, number, object, array, true, false or null";
    }
    if (message.startsWith("Unexpected close marker ")) {
      Matcher m = CLOSE_MARKER.matcher(message);
      if (!m.find()) {
        return "unexpected closing bracket";
      }
      if (message.contains("for root")) {
        return "unexpected '" + m.group(1) + "': there is no object or array to close";
      }
      return "unexpected '" + m.group(1) + "': '" + m.group(2) + "' must close the "
          + (m.group(2).equals("]") ? "array" : "object") + " first";
    }
    if (message.startsWith("Unexpected character (")) {
      return unexpectedCharacter(message);
    }
    if (message.startsWith("Illegal unquoted character (")) {
      return "control character " + character(message) + " must be escaped inside a string";
    }
    if (message.startsWith("Illegal character (")) {
      return "unexpected control character " + character(message)
          + "; only spaces, tabs and line breaks may stand between values";
    }
    if (message.startsWith("Invalid numeric value: Leading zeroes")) {
      return "a number cannot start with 0 unless it is 0 (leading zeroes)";
    }
    if (message.startsWith("Invalid numeric value") || message.startsWith("Malformed numeric value")) {
      return "a malformed number";
    }
    if (message.startsWith("Unrecognized character escape ")) {
      String escaped = group(ESCAPE, message);
      return "invalid escape \"\\" + (escaped.length() == 1 && escaped.charAt(0) >= 0x20 ? escaped : "") + "\" in a string";
    }
    if (message.startsWith("Invalid UTF-8")) {
      return "not valid UTF-8";
    }
    if (message.startsWith("Expected space separating root-level values")
        || message.equals("Unexpected trailing token")) {
      return "unexpected data after the JSON value";
    }
    if (message.equals("Unexpected token")) {
      return "no JSON value";
    }
    if (message.startsWith("Numeric value (") && message.contains("out of range")) {
      return "a number out of range";
    }
    return "not valid JSON";
  }

  private static String tooLarge(String message) {
    Matcher m = LIMIT.matcher(message);
    String max = m.find() ? m.group(2) : null;
    if (message.startsWith("Document nesting depth")) {
      return "nesting too deep" + (max == null ? "" : " (at most " + max + " levels of objects and arrays)");
    }
    if (message.startsWith("Number value length")) {
      return "number too long" + (max == null ? "" : " (at most " + max + " characters)");
    }
    if (message.startsWith("String value length")) {
      return "string too long" + (max == null ? "" : " (at most " + max + " characters)");
    }
    if (message.startsWith("Name length")) {
      return "key too long" + (max == null ? "" : " (at most " + max + " characters)");
    }
    return "the document is too large";
  }

  private static String endOfInput(String message) {
    if (message.contains("expected close marker for Object") || message.contains("OBJECT")
        || message.contains("Object entries")) {
      return "unexpected end of input: an object is not closed";
    }
    if (message.contains("expected close marker for Array") || message.contains("ARRAY")
        || message.contains("Array entries")) {
      return "unexpected end of input: an array is not closed";
    }
    if (message.contains("String value") || message.contains("VALUE_STRING") || message.contains("field name")) {
      return "unexpected end of input inside a string";
    }
    return "unexpected end of input";
  }

  private static String unexpectedCharacter(String message) {
    String c = "unexpected character " + character(message);
    if (message.contains("in numeric value")) {
      if (message.contains("plus sign")) {
        return c + ": a number cannot start with '+'";
      }
      if (message.contains("Decimal point not followed by a digit")) {
        return c + ": a decimal point must be followed by a digit";
      }
      if (message.contains("Exponent indicator not followed by a digit")) {
        return c + ": an exponent must have digits";
      }
      return c + " in a number";
    }
    if (message.contains("comment")) {
      return c + ": comments are not allowed in JSON";
    }
    if (message.contains("double-quote to start field name")) {
      return c + ": expected a key in double quotes";
    }
    if (message.contains("colon to separate field name and value")) {
      return c + ": expected ':' after a key";
    }
    if (message.contains("comma to separate Object entries")) {
      return c + ": expected ',' or '}'";
    }
    if (message.contains("comma to separate Array entries")) {
      return c + ": expected ',' or ']'";
    }
    if (message.contains("hex-digit")) {
      return c + ": expected a hex digit in a \\u escape";
    }
    if (message.contains("expected a valid value") || message.contains("expected a value")) {
      return c + ": expected a value";
    }
    return c;
  }

  /** The character a message is about, from its code: 'x', or U+0001 when it cannot be shown. */
  private static String character(String message) {
    Matcher m = CODE.matcher(message);
    if (!m.find()) {
      return "";
    }
    int code = Integer.parseInt(m.group(1));
    if (code < 0x20 || code == 0x7f || !Character.isValidCodePoint(code) || Character.isISOControl(code)) {
      return String.format("U+%04X", code);
    }
    return "'" + new String(Character.toChars(code)) + "'";
  }

  private static String group(Pattern pattern, String message) {
    Matcher m = pattern.matcher(message);
    return m.find() ? m.group(1) : "";
  }

  private static String shown(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(MAX_SHOWN).forEach(cp -> {
      if (Character.isISOControl(cp)) {
        out.append(String.format("\\u%04X", cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return text.codePointCount(0, text.length()) > MAX_SHOWN ? out + "…" : out.toString();
  }
}
