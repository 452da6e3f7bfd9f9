package dev.fanin.policy;

/** What kind of network an IP address belongs to, for the upstream policy. */
public enum AddressClass {
  PUBLIC("a public address"),
  LOOPBACK("a loopback address"),
  UNSPECIFIED("the unspecified address"),
  PRIVATE("a private-network address"),
  LINK_LOCAL("a link-local address"),
  UNIQUE_LOCAL("a unique-local address"),
  CGNAT("a carrier-grade NAT address"),
  METADATA("a cloud metadata address"),
  MULTICAST("a multicast or broadcast address"),
  RESERVED("a reserved or documentation address");

  private final String description;

  AddressClass(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  public boolean isPublic() {
    return this == PUBLIC;
  }
}
