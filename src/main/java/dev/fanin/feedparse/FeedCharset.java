package dev.fanin.feedparse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes a feed's bytes to text. Order of trust: a byte-order mark, then the UTF-16/32 shape of the first bytes,
 * then the Content-Type charset and the XML declaration; when those disagree, valid UTF-8 wins (legacy text is
 * practically never valid UTF-8 by accident), and a document that declares nothing is UTF-8 if it is valid UTF-8,
 * otherwise windows-1252.
 */
final class FeedCharset {

  static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
  private static final Charset UTF_32BE = Charset.forName("UTF-32BE");
  private static final Charset UTF_32LE = Charset.forName("UTF-32LE");
  private static final Pattern CHARSET_PARAM =
      Pattern.compile("(?i);\\s*charset\\s*=\\s*(\"([^\"]*)\"|'([^']*)'|([^;\\s]+))");
  private static final Pattern DECLARED_ENCODING =
      Pattern.compile("^<\\?xml\\s[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");

  private FeedCharset() {
  }

  /** Text and the charset it was read with. */
  record Decoded(String text, Charset charset) {
  }

  static Decoded decode(byte[] body, String contentType) {
    Charset wide = wideCharset(body);
    if (wide != null) {
      return new Decoded(stripBom(new String(body, wide)), wide);
    }
    if (startsWith(body, 0xEF, 0xBB, 0xBF)) {
      return new Decoded(new String(body, 3, body.length - 3, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
    Charset fromHeader = narrow(lookup(headerCharset(contentType)));
    Charset fromDeclaration = narrow(lookup(declaredEncoding(body)));
    if (fromHeader == null || fromDeclaration == null || fromHeader.equals(fromDeclaration)) {
      Charset declared = fromHeader != null ? fromHeader : fromDeclaration;
      if (declared == null || declared.equals(StandardCharsets.UTF_8)) {
        String utf8 = strictUtf8(body);
        return utf8 != null
            ? new Decoded(utf8, StandardCharsets.UTF_8)
            : new Decoded(new String(body, WINDOWS_1252), WINDOWS_1252);
      }
      return new Decoded(new String(body, declared), declared);
    }
    // the header and the declaration disagree: valid UTF-8 settles it, else the header wins (RFC 7303)
    if (fromHeader.equals(StandardCharsets.UTF_8) || fromDeclaration.equals(StandardCharsets.UTF_8)) {
      String utf8 = strictUtf8(body);
      if (utf8 != null) {
        return new Decoded(utf8, StandardCharsets.UTF_8);
      }
      Charset other = fromHeader.equals(StandardCharsets.UTF_8) ? fromDeclaration : fromHeader;
      return new Decoded(new String(body, other), other);
    }
    return new Decoded(new String(body, fromHeader), fromHeader);
  }

  /** The charset parameter of a Content-Type, or null. */
  static String headerCharset(String contentType) {
    if (contentType == null) {
      return null;
    }
    Matcher m = CHARSET_PARAM.matcher(contentType);
    if (!m.find()) {
      return null;
    }
    String value = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
    return value.isBlank() ? null : value.trim();
  }

  /** The encoding named by an XML declaration within the first kilobyte (read as ASCII), or null. */
  static String declaredEncoding(byte[] body) {
    String head = new String(body, 0, Math.min(body.length, 1024), StandardCharsets.ISO_8859_1);
    int decl = head.indexOf("<?xml");
    if (decl < 0) {
      return null;
    }
    Matcher m = DECLARED_ENCODING.matcher(head.substring(decl));
    return m.find() ? m.group(1) : null;
  }

  /** A 16- or 32-bit encoding shown by a byte-order mark or by the zero bytes around the first ASCII character. */
  static Charset wideCharset(byte[] b) {
    if (startsWith(b, 0x00, 0x00, 0xFE, 0xFF)) {
      return UTF_32BE;
    }
    if (startsWith(b, 0xFF, 0xFE, 0x00, 0x00)) {
      return UTF_32LE;
    }
    if (startsWith(b, 0xFE, 0xFF)) {
      return StandardCharsets.UTF_16BE;
    }
    if (startsWith(b, 0xFF, 0xFE)) {
      return StandardCharsets.UTF_16LE;
    }
    if (b.length < 4) {
      return null;
    }
    boolean z0 = b[0] == 0;
    boolean z1 = b[1] == 0;
    boolean z2 = b[2] == 0;
    boolean z3 = b[3] == 0;
    if (z0 && z1 && z2 && !z3) {
      return UTF_32BE;
    }
    if (!z0 && z1 && z2 && z3) {
      return UTF_32LE;
    }
    if (z0 && !z1 && z2 && !z3) {
      return StandardCharsets.UTF_16BE;
    }
    if (!z0 && z1 && !z2 && z3) {
      return StandardCharsets.UTF_16LE;
    }
    return null;
  }

  private static Charset lookup(String name) {
    if (name == null) {
      return null;
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    // what browsers do: these labels mean windows-1252, whose extra characters real feeds use under them
    if (n.equals("iso-8859-1") || n.equals("iso8859-1") || n.equals("latin1") || n.equals("latin-1")
        || n.equals("us-ascii") || n.equals("ascii") || n.equals("iso_8859-1")) {
      return WINDOWS_1252;
    }
    if (n.equals("utf8")) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.isSupported(n) ? Charset.forName(n) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A declared 16/32-bit encoding in a document that is readable as ASCII is wrong, so it counts as undeclared. */
  private static Charset narrow(Charset charset) {
    if (charset == null) {
      return null;
    }
    String name = charset.name().toUpperCase(Locale.ROOT);
    return name.startsWith("UTF-16") || name.startsWith("UTF-32") ? null : charset;
  }

  private static String strictUtf8(byte[] body) {
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String stripBom(String text) {
    return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
