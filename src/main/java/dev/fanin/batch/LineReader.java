package dev.fanin.batch;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads text a line at a time (LF or CRLF), refusing a line longer than a bound instead of holding
 * it: a list of URLs that turns out to be a binary file costs a usage error, not the heap.
 */
final class LineReader implements AutoCloseable {
  private final Reader in;
  private final int maxChars;
  private final String label;
  private final char[] buffer = new char[64 * 1024];
  private int pos;
  private int end;
  private long lineNumber;
  private final StringBuilder line = new StringBuilder(256);

  /** @param label how error messages name the input (a file name, or "standard input") */
  LineReader(Reader in, int maxChars, String label) {
    this.in = in;
    this.maxChars = maxChars;
    this.label = label;
  }

  /** The next line without its line break, or null at the end. */
  String next() throws IOException {
    line.setLength(0);
    boolean any = false;
    while (true) {
      if (pos == end) {
        end = in.read(buffer, 0, buffer.length);
        pos = 0;
        if (end <= 0) {
          end = 0;
          if (!any) {
            return null;
          }
          lineNumber++;
          return finish();
        }
      }
      any = true;
      int start = pos;
      while (pos < end && buffer[pos] != '\n') {
        pos++;
      }
      append(start, pos);
      if (pos < end) {
        pos++; // the '\n'
        lineNumber++;
        return finish();
      }
    }
  }

  /** The number of the line {@link #next} returned last, from 1. */
  long lineNumber() {
    return lineNumber;
  }

  private void append(int from, int to) {
    if (line.length() + (to - from) > maxChars) {
      throw new UsageError(label + ":" + (lineNumber + 1) + ": the line is longer than " + maxChars + " characters");
    }
    line.append(buffer, from, to - from);
  }

  private String finish() {
    int n = line.length();
    if (n > 0 && line.charAt(n - 1) == '\r') {
      line.setLength(n - 1);
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
