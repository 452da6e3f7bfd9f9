package dev.fanin;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

/**
 * Logback's %escaped(...) for the plain log format: control characters (terminal escapes, line
 * breaks, C1 controls) in what it wraps are written as \\uXXXX, so text an upstream or a client
 * chose can neither forge log lines nor drive the operator's terminal. Stack traces keep their
 * line breaks and tabs.
 */
public final class EscapedText extends CompositeConverter<ILoggingEvent> {
  @Override
  protected String transform(ILoggingEvent event, String in) {
    return escape(in, false);
  }

  /** Stack traces: as above, except that their own line breaks and tabs stay. */
  public static final class Trace extends CompositeConverter<ILoggingEvent> {
    @Override
    protected String transform(ILoggingEvent event, String in) {
      return escape(in, true);
    }
  }

  static String escape(String in, boolean keepLines) {
    if (in == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < in.length(); i++) {
      char c = in.charAt(i);
      boolean control = (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029')
          && !(keepLines && (c == '\n' || c == '\t'));
      if (control) {
        if (out == null) {
          out = new StringBuilder(in.length() + 16).append(in, 0, i);
        }
        out.append(String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? in : out.toString();
  }
}
