package dev.fanin.feedparse;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the dates feeds carry (RFC 822 and its sloppy relatives, RFC 3339, W3CDTF and ISO 8601 shapes) into
 * ISO-8601 UTC with second precision, or null. Missing parts default to the start of their period; a missing or
 * unreadable zone counts as UTC; a day name is ignored, right or wrong.
 */
final class FeedDates {

  private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);

  // 2003-12-31T10:14:55.123-08:00, 20031231T101455Z, 2003-12, 2003-335, 2003-12-31 10:14
  private static final Pattern ISO = Pattern.compile(
      "(\\d{4})(?:-?(\\d{2})(?:-?(\\d{2}))?|-?(\\d{3}))?"
          + "(?:(?:[Tt]|\\s+)(\\d{1,2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,]\\d+)?)?)?)?"
          + "\\s*(Z|z|UTC|GMT|[+-]\\d{1,2}(?::?\\d{2})?)?");
  private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:[.,]\\d+)?)?");
  private static final Pattern OFFSET = Pattern.compile("(?:GMT|UTC|UT)?([+-])(\\d{1,2})(?::?(\\d{2}))?");
  private static final Pattern TIME_WITH_OFFSET =
      Pattern.compile("(\\d{1,2}:\\d{1,2}(?::\\d{1,2})?)([+-]\\d{2}:?\\d{2})");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");
  private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
      "nov", "dec"};
  private static final String[] FULL_MONTHS = {"january", "february", "march", "april", "may", "june", "july",
      "august", "september", "october", "november", "december"};
  // RFC 822's zone names; of its military letters, feeds only ever meant Z, and the rest are read as UTC
  // (RFC 1123 section 5.2.14 says their signs were specified backwards)
  private static final Map<String, Integer> ZONES = Map.ofEntries(
      Map.entry("UT", 0), Map.entry("UTC", 0), Map.entry("GMT", 0), Map.entry("Z", 0),
      Map.entry("EST", -5 * 60), Map.entry("EDT", -4 * 60), Map.entry("CST", -6 * 60), Map.entry("CDT", -5 * 60),
      Map.entry("MST", -7 * 60), Map.entry("MDT", -6 * 60), Map.entry("PST", -8 * 60), Map.entry("PDT", -7 * 60),
      Map.entry("AST", -4 * 60), Map.entry("ADT", -3 * 60), Map.entry("ET", -5 * 60), Map.entry("CT", -6 * 60),
      Map.entry("MT", -7 * 60), Map.entry("PT", -8 * 60), Map.entry("BST", 60), Map.entry("CET", 60),
      Map.entry("CEST", 120), Map.entry("MET", 60), Map.entry("MEST", 120), Map.entry("EET", 120),
      Map.entry("EEST", 180), Map.entry("WET", 0), Map.entry("WEST", 60), Map.entry("JST", 9 * 60),
      Map.entry("KST", 9 * 60), Map.entry("HKT", 8 * 60), Map.entry("IST", 330), Map.entry("AEST", 600),
      Map.entry("AEDT", 660));

  private FeedDates() {
  }

  /** The date as {@code yyyy-MM-ddTHH:mm:ssZ} in UTC, or null when there is none or it cannot be read. */
  static String parse(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.trim();
    if (s.isEmpty() || s.length() > 100) {
      return null;
    }
    LocalDateTime utc = s.length() >= 4 && Character.isDigit(s.charAt(0)) && Character.isDigit(s.charAt(3))
        ? iso(s) : null;
    if (utc == null) {
      utc = rfc822(s);
    }
    return utc == null ? null : OUT.format(utc);
  }

  /** W3CDTF, RFC 3339 and the ISO 8601 shapes feeds use, in UTC; null if {@code s} is not one of them. */
  static LocalDateTime iso(String s) {
    Matcher m = ISO.matcher(s);
    if (!m.matches()) {
      return null;
    }
    try {
      int year = Integer.parseInt(m.group(1));
      LocalDate date;
      if (m.group(4) != null) {
        date = LocalDate.ofYearDay(year, Integer.parseInt(m.group(4)));
      } else {
        date = LocalDate.of(year, number(m.group(2), 1), number(m.group(3), 1));
      }
      return atTime(date, number(m.group(5), 0), number(m.group(6), 0), number(m.group(7), 0),
          offsetMinutes(m.group(8)));
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** RFC 822 and relatives: day names optional or wrong, two-digit years, named zones, month-first asctime. */
  static LocalDateTime rfc822(String s) {
    List<String> tokens = new ArrayList<>();
    for (String t : SEPARATORS.split(s)) {
      int dash = t.indexOf('-');
      // RFC 850's 31-Dec-03 and the like
      if (dash > 0 && dash + 4 <= t.length() && monthOf(t.substring(dash + 1, dash + 4)) >= 0) {
        tokens.addAll(List.of(t.split("-")));
      } else if (!t.isEmpty()) {
        tokens.add(t);
      }
    }
    int month = -1;
    int monthAt = -1;
    int[] time = null;
    Integer zone = null;
    List<Integer> numbers = new ArrayList<>();
    List<Integer> numberAt = new ArrayList<>();
    List<Integer> numberLength = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      boolean hasColon = t.indexOf(':') > 0;
      Matcher tm = hasColon ? TIME.matcher(t) : null;
      Matcher joined = hasColon ? TIME_WITH_OFFSET.matcher(t) : null;
      if (time == null && hasColon && tm.matches()) {
        time = clock(tm);
      } else if (time == null && hasColon && joined.matches()) {
        // 19:48:21+01:00, written without a space
        Matcher clock = TIME.matcher(joined.group(1));
        if (clock.matches()) {
          time = clock(clock);
          zone = zone(joined.group(2));
        }
      } else if (t.length() <= 4 && isDigits(t)) {
        numbers.add(Integer.parseInt(t));
        numberAt.add(i);
        numberLength.add(t.length());
      } else if (month < 0 && monthOf(t) >= 0) {
        month = monthOf(t);
        monthAt = i;
      } else if (time != null && zone == null) {
        zone = zone(t);
      }
    }
    if (month < 0 || numbers.size() < 2) {
      return null;
    }
    int day;
    int year;
    int yearLength;
    if (numberAt.get(0) < monthAt) {
      // 31 Dec 2003
      day = numbers.get(0);
      year = numbers.get(1);
      yearLength = numberLength.get(1);
    } else if (numberLength.get(0) == 4) {
      // 2003 Dec 31
      year = numbers.get(0);
      yearLength = 4;
      day = numbers.get(1);
    } else {
      // Dec 31 2003, asctime's Sun Jan  4 16:29:06 2004
      day = numbers.get(0);
      year = numbers.get(1);
      yearLength = numberLength.get(1);
    }
    if (yearLength <= 2) {
      year += year < 50 ? 2000 : 1900;
    } else if (yearLength == 3) {
      year += 1900;
    }
    try {
      LocalDate date = LocalDate.of(year, month + 1, day);
      if (time == null) {
        return atTime(date, 0, 0, 0, zone == null ? 0 : zone);
      }
      return atTime(date, time[0], time[1], time[2], zone == null ? 0 : zone);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static int[] clock(Matcher m) {
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), number(m.group(3), 0)};
  }

  private static boolean isDigits(String t) {
    if (t.isEmpty()) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static LocalDateTime atTime(LocalDate date, int hour, int minute, int second, int offsetMinutes) {
    if (hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute > 0 || second > 0))) {
      throw new DateTimeException("time out of range");
    }
    LocalDateTime local = date.atStartOfDay().plusHours(hour).plusMinutes(minute).plusSeconds(Math.min(second, 59));
    return local.minusMinutes(offsetMinutes);
  }

  private static int offsetMinutes(String zone) {
    if (zone == null) {
      return 0;
    }
    Integer minutes = zone(zone);
    return minutes == null ? 0 : minutes;
  }

  /** Minutes east of UTC for a zone token, or null; offsets beyond ±14:00 are nonsense and read as UTC. */
  private static Integer zone(String token) {
    String t = token.replace("(", "").replace(")", "").toUpperCase(Locale.ROOT);
    Integer named = ZONES.get(t);
    if (named != null) {
      return named;
    }
    if (t.length() == 1 && t.charAt(0) >= 'A' && t.charAt(0) <= 'Z' && t.charAt(0) != 'J') {
      return 0;
    }
    Matcher m = OFFSET.matcher(t);
    if (!m.matches()) {
      return null;
    }
    int hours;
    int minutes;
    if (m.group(3) == null && m.group(2).length() <= 2) {
      hours = Integer.parseInt(m.group(2));
      minutes = 0;
    } else if (m.group(3) == null) {
      return null;
    } else {
      hours = Integer.parseInt(m.group(2));
      minutes = Integer.parseInt(m.group(3));
    }
    if (hours > 14 || minutes > 59) {
      return 0;
    }
    int total = hours * 60 + minutes;
    return "-".equals(m.group(1)) ? -total : total;
  }

  private static int monthOf(String token) {
    if (token.length() < 3 || !Character.isLetter(token.charAt(0))) {
      return -1;
    }
    String t = token.toLowerCase(Locale.ROOT);
    if (t.endsWith(".")) {
      t = t.substring(0, t.length() - 1);
    }
    for (int i = 0; i < MONTHS.length; i++) {
      // "Mar" and "March" are months, "Marvellous" is not
      if (t.startsWith(MONTHS[i]) && (t.length() == 3 || FULL_MONTHS[i].startsWith(t))) {
        return i;
      }
    }
    return -1;
  }

  private static int number(String digits, int fallback) {
    return digits == null ? fallback : Integer.parseInt(digits);
  }
}
