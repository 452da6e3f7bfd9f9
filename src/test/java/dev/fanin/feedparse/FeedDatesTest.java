package dev.fanin.feedparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The date shapes found in feeds, each to ISO-8601 UTC or to null. */
class FeedDatesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      # RFC 822 / 1123 and named zones
      Thu, 01 Jan 2004 19:48:21 GMT          | 2004-01-01T19:48:21Z
      Thu, 01 Jan 2004 19:48:21 UT           | 2004-01-01T19:48:21Z
      Thu, 01 Jan 2004 19:48:21 UTC          | 2004-01-01T19:48:21Z
      Thu, 01 Jan 2004 19:48:21 EST          | 2004-01-02T00:48:21Z
      Thu, 01 Jan 2004 19:48:21 EDT          | 2004-01-01T23:48:21Z
      Thu, 01 Jan 2004 19:48:21 CST          | 2004-01-02T01:48:21Z
      Thu, 01 Jan 2004 19:48:21 MDT          | 2004-01-02T01:48:21Z
      Thu, 01 Jan 2004 19:48:21 PST          | 2004-01-02T03:48:21Z
      Thu, 01 Jan 2004 19:48:21 PDT          | 2004-01-02T02:48:21Z
      Thu, 01 Jan 2004 19:48:21 +0100        | 2004-01-01T18:48:21Z
      Thu, 01 Jan 2004 19:48:21 -05:30       | 2004-01-02T01:18:21Z
      Thu, 01 Jan 2004 19:48:21 +01          | 2004-01-01T18:48:21Z
      Thu, 01 Jan 2004 19:48:21 GMT+0200     | 2004-01-01T17:48:21Z
      Thu, 01 Jan 2004 19:48:21 +0000 (UTC)  | 2004-01-01T19:48:21Z
      # military letters: Z is UTC; RFC 1123 says the others carry no information, so they read as UTC too
      Thu, 01 Jan 2004 19:48:21 Z            | 2004-01-01T19:48:21Z
      Thu, 01 Jan 2004 19:48:21 A            | 2004-01-01T19:48:21Z
      Thu, 01 Jan 2004 19:48:21 Y            | 2004-01-01T19:48:21Z
      # sloppiness: no day name, a wrong day name, one-digit day, full month, no seconds, no zone
      01 Jan 2004 19:48:21 GMT               | 2004-01-01T19:48:21Z
      Mon, 01 Jan 2004 19:48:21 GMT          | 2004-01-01T19:48:21Z
      Thu, 1 Jan 2004 19:48:21 GMT           | 2004-01-01T19:48:21Z
      Thursday, 01 January 2004 19:48:21 GMT | 2004-01-01T19:48:21Z
      Thu, 01 Jan 2004 19:48 GMT             | 2004-01-01T19:48:00Z
      Thu, 01 Jan 2004 19:48:21              | 2004-01-01T19:48:21Z
      Thu, 01 Jan 2004                       | 2004-01-01T00:00:00Z
      Thu,01 Jan 2004 19:48:21 GMT           | 2004-01-01T19:48:21Z
      # two-digit years: 00-49 are 20xx, 50-99 are 19xx
      Thu, 01 Jan 04 19:48:21 GMT            | 2004-01-01T19:48:21Z
      Fri, 01 Jan 99 19:48:21 GMT            | 1999-01-01T19:48:21Z
      # bad offsets count as UTC rather than losing the date
      Thu, 01 Jan 2004 19:48:21 -9999        | 2004-01-01T19:48:21Z
      Thu, 01 Jan 2004 19:48:21 +25:00       | 2004-01-01T19:48:21Z
      Thu, 01 Jan 2004 19:48:21 XYZ          | 2004-01-01T19:48:21Z
      # RFC 850 and asctime
      Thursday, 01-Jan-04 19:48:21 GMT       | 2004-01-01T19:48:21Z
      Sun Jan  4 16:29:06 2004               | 2004-01-04T16:29:06Z
      Sun Jan 4 16:29:06 PST 2004            | 2004-01-05T00:29:06Z
      # RFC 3339, W3CDTF and other ISO 8601 shapes
      2003-12-31T10:14:55Z                   | 2003-12-31T10:14:55Z
      2003-12-31T10:14:55-08:00              | 2003-12-31T18:14:55Z
      2003-12-31T10:14:55.123456+01:00       | 2003-12-31T09:14:55Z
      2003-12-31t10:14:55z                   | 2003-12-31T10:14:55Z
      2003-12-31T10:14Z                      | 2003-12-31T10:14:00Z
      2003-12-31T10:14+0100                  | 2003-12-31T09:14:00Z
      2003-12-31T10:14:55                    | 2003-12-31T10:14:55Z
      2003-12-31 10:14:55                    | 2003-12-31T10:14:55Z
      2003-12-31                             | 2003-12-31T00:00:00Z
      2003-12                                | 2003-12-01T00:00:00Z
      2003                                   | 2003-01-01T00:00:00Z
      20031231T101455Z                       | 2003-12-31T10:14:55Z
      20031231                               | 2003-12-31T00:00:00Z
      2003-335                               | 2003-12-01T00:00:00Z
      2003-12-31T23:59:60Z                   | 2003-12-31T23:59:59Z
      2003-12-31T24:00:00Z                   | 2004-01-01T00:00:00Z
      # nothing to read
      ''                                     | null
      garbage                                | null
      2003-13-01                             | null
      2003-02-30T00:00:00Z                   | null
      Thu, 32 Jan 2004 19:48:21 GMT          | null
      Thu, 01 Foo 2004 19:48:21 GMT          | null
      Thu, 01 Jan 2004 25:48:21 GMT          | null
      """)
  void parses(String raw, String expected) {
    assertEquals(expected, FeedDates.parse(raw));
  }
}
