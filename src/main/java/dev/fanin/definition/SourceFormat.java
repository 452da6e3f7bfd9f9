package dev.fanin.definition;

/** How a source's body becomes its result's data. */
public enum SourceFormat {
  /** A feed when the Content-Type or first bytes say so, JSON when they say JSON, else text. */
  AUTO,
  /** JSON; a body that is not JSON is invalid_body. */
  JSON,
  /** Text, whatever the Content-Type. */
  TEXT,
  /** RSS, Atom, RDF or JSON Feed, normalised into items; anything else is invalid_body. */
  FEED
}
