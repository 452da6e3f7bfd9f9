package dev.fanin.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The address classifier, as a unit: no traffic is sent to any of these addresses. */
class AddressClassifierTest {

  @ParameterizedTest
  @CsvSource({
      "127.0.0.1, LOOPBACK", "127.255.255.254, LOOPBACK", "0.0.0.0, UNSPECIFIED", "0.1.2.3, RESERVED",
      "10.0.0.1, PRIVATE", "10.255.255.255, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE",
      "172.15.255.255, PUBLIC", "172.32.0.0, PUBLIC", "192.168.1.1, PRIVATE", "192.169.0.1, PUBLIC",
      "169.254.0.1, LINK_LOCAL", "169.254.169.254, METADATA", "100.64.0.1, CGNAT", "100.127.255.255, CGNAT",
      "100.128.0.0, PUBLIC", "100.100.100.200, METADATA", "224.0.0.1, MULTICAST", "239.255.255.255, MULTICAST",
      "255.255.255.255, MULTICAST", "240.0.0.1, RESERVED", "192.0.2.1, RESERVED", "198.51.100.7, RESERVED",
      "203.0.113.9, RESERVED", "198.18.0.1, RESERVED", "192.0.0.8, RESERVED", "8.8.8.8, PUBLIC",
      "93.184.216.34, PUBLIC", "1.1.1.1, PUBLIC"})
  void ipv4(String address, AddressClass expected) throws Exception {
    assertEquals(expected, AddressClassifier.classify(InetAddress.getByName(address)));
  }

  @ParameterizedTest
  @CsvSource({
      "::1, LOOPBACK", "::, UNSPECIFIED", "fe80::1, LINK_LOCAL", "febf::1, LINK_LOCAL", "fec0::1, PRIVATE",
      "fc00::1, UNIQUE_LOCAL", "fd12:3456::1, UNIQUE_LOCAL", "fd00:ec2::254, METADATA", "ff02::1, MULTICAST",
      "2001:db8::1, RESERVED", "2001::1, RESERVED", "100::1, RESERVED", "64:ff9b::7f00:1, LOOPBACK",
      "64:ff9b::a9fe:a9fe, METADATA", "64:ff9b::808:808, PUBLIC", "2002:7f00:1::, LOOPBACK",
      "2002:c0a8:101::1, PRIVATE", "::7f00:1, LOOPBACK", "2606:4700::1111, PUBLIC", "2a00:1450::1, PUBLIC"})
  void ipv6(String address, AddressClass expected) throws Exception {
    assertEquals(expected, AddressClassifier.classify(InetAddress.getByName(address)));
  }

  @ParameterizedTest
  @CsvSource({
      "::ffff:127.0.0.1, LOOPBACK", "[::ffff:127.0.0.1], LOOPBACK", "::ffff:7f00:1, LOOPBACK",
      "::ffff:169.254.169.254, METADATA", "::ffff:10.1.2.3, PRIVATE", "::ffff:8.8.8.8, PUBLIC",
      "[::1], LOOPBACK", "[fd00:ec2::254], METADATA"})
  void ipv6LiteralsIncludingMappedOnes(String literal, AddressClass expected) {
    assertEquals(expected, AddressClassifier.classify(AddressClassifier.parseIpv6Literal(literal)));
  }

  @ParameterizedTest
  @CsvSource({
      "127.0.0.1, 127.0.0.1", "2130706433, 127.0.0.1", "0x7f000001, 127.0.0.1", "0177.0.0.1, 127.0.0.1",
      "0x7f.0.0.1, 127.0.0.1", "127.1, 127.0.0.1", "127.0.1, 127.0.0.1", "0, 0.0.0.0",
      "0x7F.1, 127.0.0.1", "017700000001, 127.0.0.1", "169.254.43518, 169.254.169.254",
      "0xa9fea9fe, 169.254.169.254", "10.0.0.010, 10.0.0.8"})
  void ipv4LiteralsInEveryNotation(String literal, String expected) {
    assertEquals(expected, AddressClassifier.parseIpv4Literal(literal).getHostAddress());
  }

  @ParameterizedTest
  @CsvSource({"example.com", "256.0.0.1", "1.2.3.4.5", "0x", "08.0.0.1", "1..2", "127.0.0.1a", "-1"})
  void namesAndBrokenNumbersAreNotIpv4Literals(String host) {
    if (!host.equals("0x")) {
      assertNull(AddressClassifier.parseIpv4Literal(host));
    }
  }
}
