/**
 * Feed parsing: RSS, RDF, Atom and JSON Feed bytes in, one normalised {@link dev.fanin.feedparse.ParsedFeed} out,
 * safely (no DTDs, no external entities, bounded size) and leniently (real-world encodings, dates and markup).
 */
package dev.fanin.feedparse;
