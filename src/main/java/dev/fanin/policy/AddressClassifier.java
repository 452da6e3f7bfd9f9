package dev.fanin.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import io.netty.util.NetUtil;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Classifies IP addresses: loopback, private (RFC 1918), link-local, unique-local, CGNAT,
 * cloud metadata and other special-purpose ranges (RFC 6890), looking through IPv4-mapped,
 * IPv4-compatible, NAT64 and 6to4 IPv6 addresses to the IPv4 address they carry.
 */
public final class AddressClassifier {
  private AddressClassifier() {}

  public static AddressClass classify(InetAddress address) {
    byte[] b = address.getAddress();
    return b.length == 4 ? classifyV4(b) : classifyV6(b);
  }

  static AddressClass classifyV4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    int a3 = b[3] & 0xff;
    if (a0 == 0) {
      return a1 == 0 && a2 == 0 && a3 == 0 ? AddressClass.UNSPECIFIED : AddressClass.RESERVED;
    }
    if (a0 == 127) {
      return AddressClass.LOOPBACK;
    }
    if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
      return AddressClass.PRIVATE;
    }
    if (a0 == 169 && a1 == 254) {
      return a2 == 169 && a3 == 254 ? AddressClass.METADATA : AddressClass.LINK_LOCAL;
    }
    if (a0 == 100 && (a1 & 0xc0) == 64) {
      // 100.100.100.200 is Alibaba Cloud's metadata service, inside the CGNAT range
      return a1 == 100 && a2 == 100 && a3 == 200 ? AddressClass.METADATA : AddressClass.CGNAT;
    }
    if (a0 >= 224) {
      return a0 < 240 || (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255)
          ? AddressClass.MULTICAST : AddressClass.RESERVED;
    }
    if ((a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) // IETF protocol assignments, TEST-NET-1
        || (a0 == 198 && (a1 == 18 || a1 == 19)) // benchmarking
        || (a0 == 198 && a1 == 51 && a2 == 100) // TEST-NET-2
        || (a0 == 203 && a1 == 0 && a2 == 113) // TEST-NET-3
        || (a0 == 192 && a1 == 88 && a2 == 99)) { // 6to4 relay anycast
      return AddressClass.RESERVED;
    }
    return AddressClass.PUBLIC;
  }

  static AddressClass classifyV6(byte[] b) {
    boolean firstTenZero = true;
    for (int i = 0; i < 10; i++) {
      firstTenZero &= b[i] == 0;
    }
    if (firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return classifyV4(new byte[] {b[12], b[13], b[14], b[15]}); // ::ffff:a.b.c.d
    }
    if (firstTenZero && b[10] == 0 && b[11] == 0) {
      boolean zero = true;
      for (int i = 12; i < 15; i++) {
        zero &= b[i] == 0;
      }
      if (zero && b[15] == 0) {
        return AddressClass.UNSPECIFIED;
      }
      if (zero && b[15] == 1) {
        return AddressClass.LOOPBACK;
      }
      return classifyV4(new byte[] {b[12], b[13], b[14], b[15]}); // deprecated ::a.b.c.d
    }
    int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    if (w0 == 0x0064 && w1 == 0xff9b) {
      return classifyV4(new byte[] {b[12], b[13], b[14], b[15]}); // NAT64 64:ff9b::/96
    }
    if (w0 == 0x2002) {
      return classifyV4(new byte[] {b[2], b[3], b[4], b[5]}); // 6to4
    }
    if ((b[0] & 0xff) == 0xff) {
      return AddressClass.MULTICAST;
    }
    if ((b[0] & 0xfe) == 0xfc) {
      // fd00:ec2::254 is AWS's IPv6 metadata service
      return isAwsMetadataV6(b) ? AddressClass.METADATA : AddressClass.UNIQUE_LOCAL;
    }
    if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
      return AddressClass.LINK_LOCAL;
    }
    if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
      return AddressClass.PRIVATE; // deprecated site-local
    }
    if ((w0 == 0x2001 && w1 == 0x0db8) // documentation
        || (w0 == 0x2001 && w1 == 0x0000) // Teredo
        || (w0 == 0x0100 && w1 == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0)) { // discard
      return AddressClass.RESERVED;
    }
    return AddressClass.PUBLIC;
  }

  private static boolean isAwsMetadataV6(byte[] b) {
    byte[] aws = {(byte) 0xfd, 0x00, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
    return Arrays.equals(b, aws);
  }

  /** An IPv4 literal as inet_aton reads it (1 to 4 parts, decimal, octal or hex), or null. */
  public static Inet4Address parseIpv4Literal(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length < 1 || parts.length > 4) {
      return null;
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Long v = parseNumber(parts[i]);
      if (v == null) {
        return null;
      }
      values[i] = v;
    }
    long address = 0;
    int last = parts.length - 1;
    for (int i = 0; i < last; i++) {
      if (values[i] > 0xff) {
        return null;
      }
      address |= values[i] << (24 - 8 * i);
    }
    long lastMax = (1L << (8 * (4 - last))) - 1;
    if (values[last] > lastMax) {
      return null;
    }
    address |= values[last];
    byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    try {
      return (Inet4Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static Long parseNumber(String part) {
    if (part.isEmpty() || part.length() > 12 || part.charAt(0) == '-' || part.charAt(0) == '+') {
      return null;
    }
    try {
      if (part.startsWith("0x") || part.startsWith("0X")) {
        return part.length() == 2 ? 0L : Long.parseLong(part.substring(2), 16);
      }
      if (part.length() > 1 && part.startsWith("0")) {
        return Long.parseLong(part.substring(1), 8);
      }
      return Long.parseLong(part, 10);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** An IPv6 literal (with or without brackets), or null. */
  public static Inet6Address parseIpv6Literal(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!h.contains(":") || !h.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+")) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(h);
    if (bytes == null) {
      return null;
    }
    try {
      InetAddress a = InetAddress.getByAddress(bytes);
      if (a instanceof Inet6Address v6) {
        return v6;
      }
      // an IPv4-mapped literal comes back as IPv4: keep it mapped so it is classified the same
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(bytes, bytes.length - 4, mapped, 12, 4);
      return (Inet6Address) Inet6Address.getByAddress(null, mapped, -1);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
