package dev.fanin.feedwrite;

import dev.fanin.write.HtmlEscape;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a merged timeline as one feed document. XML goes through the JDK's XMLStreamWriter, which
 * escapes text and attribute values itself, so markup in an upstream title stays text (and "]]>"
 * cannot end anything); the characters XML cannot hold at all were dropped when the items were read
 * ({@link TimelineItem#of}).
 */
public final class FeedDocument {
  static final String ATOM_NS = "http://www.w3.org/2005/Atom";
  static final String DC_NS = "http://purl.org/dc/elements/1.1/";
  /** The category scheme (Atom) and domain (RSS) that say which source an item came from. */
  public static final String SOURCE_SCHEME = "urn:fanin:source";
  /** An absolute IRI, as an Atom id must be; other ids are hashed into one. */
  private static final Pattern IRI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:[^\\s<>\"{}|\\\\^`]+");
  private static final XMLOutputFactory XML = XMLOutputFactory.newDefaultFactory();

  private FeedDocument() {}

  public static Buffer write(FeedFormat format, FeedHead head, List<TimelineItem> items) {
    return switch (format) {
      case ATOM -> xml(w -> atom(w, head, items));
      case RSS -> xml(w -> rss(w, head, items));
      case JSON_FEED -> jsonFeed(head, items);
    };
  }

  /** An item's Atom id: its own when that is an absolute IRI, else urn:fanin:item: and a hash of it. */
  public static String atomId(String id) {
    if (IRI.matcher(id).matches()) {
      return id;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return "urn:fanin:item:" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private interface XmlBody {
    void write(XMLStreamWriter w) throws XMLStreamException;
  }

  private static Buffer xml(XmlBody body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      XMLStreamWriter w = XML.createXMLStreamWriter(out, "UTF-8");
      w.writeStartDocument("UTF-8", "1.0");
      body.write(w);
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("the feed could not be written", e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  private static void atom(XMLStreamWriter w, FeedHead head, List<TimelineItem> items) throws XMLStreamException {
    w.setDefaultNamespace(ATOM_NS);
    w.writeStartElement(ATOM_NS, "feed");
    w.writeDefaultNamespace(ATOM_NS);
    element(w, "id", head.id());
    textElement(w, "title", head.title());
    element(w, "updated", head.updated().toString());
    w.writeEmptyElement(ATOM_NS, "link");
    w.writeAttribute("rel", "self");
    w.writeAttribute("type", "application/atom+xml");
    w.writeAttribute("href", head.selfUrl());
    // an Atom feed needs an author unless every entry has one
    w.writeStartElement(ATOM_NS, "author");
    element(w, "name", "fanin");
    w.writeEndElement();
    element(w, "generator", "fanin");
    String sourceBase = sourceBase(head);
    for (TimelineItem item : items) {
      w.writeStartElement(ATOM_NS, "entry");
      element(w, "id", atomId(item.id()));
      textElement(w, "title", titleOf(item));
      if (item.link() != null) {
        w.writeEmptyElement(ATOM_NS, "link");
        w.writeAttribute("rel", "alternate");
        w.writeAttribute("href", item.link());
      }
      if (item.published() != null) {
        element(w, "published", item.published().toString());
      }
      Instant updated = item.latest();
      element(w, "updated", (updated != null ? updated : head.updated()).toString());
      if (item.author() != null) {
        w.writeStartElement(ATOM_NS, "author");
        element(w, "name", item.author());
        w.writeEndElement();
      }
      if (item.summary() != null) {
        textElement(w, "summary", item.summary());
      }
      for (String category : item.categories()) {
        w.writeEmptyElement(ATOM_NS, "category");
        w.writeAttribute("term", category);
      }
      if (item.source() != null) {
        w.writeEmptyElement(ATOM_NS, "category");
        w.writeAttribute("term", item.source());
        w.writeAttribute("scheme", SOURCE_SCHEME);
        w.writeAttribute("label", "source " + item.source());
        w.writeStartElement(ATOM_NS, "source");
        element(w, "id", sourceBase + item.source());
        element(w, "title", item.source());
        w.writeEndElement();
      }
      w.writeEndElement();
    }
    w.writeEndElement();
  }

  private static void rss(XMLStreamWriter w, FeedHead head, List<TimelineItem> items) throws XMLStreamException {
    w.writeStartElement("rss");
    w.writeAttribute("version", "2.0");
    w.writeNamespace("atom", ATOM_NS);
    w.writeNamespace("dc", DC_NS);
    w.writeStartElement("channel");
    element(w, "title", head.title());
    element(w, "link", head.selfUrl());
    element(w, "description", "The merged timeline " + head.title() + ", by fanin");
    element(w, "lastBuildDate", rfc822(head.updated()));
    element(w, "generator", "fanin");
    w.writeEmptyElement("atom", "link", ATOM_NS);
    w.writeAttribute("rel", "self");
    w.writeAttribute("type", "application/rss+xml");
    w.writeAttribute("href", head.selfUrl());
    for (TimelineItem item : items) {
      w.writeStartElement("item");
      element(w, "title", titleOf(item));
      if (item.link() != null) {
        element(w, "link", item.link());
      }
      if (item.summary() != null) {
        // RSS readers take a description as HTML: the plain text is escaped once more to stay text
        element(w, "description", HtmlEscape.of(item.summary()));
      }
      if (item.author() != null) {
        w.writeStartElement("dc", "creator", DC_NS);
        w.writeCharacters(item.author());
        w.writeEndElement();
      }
      for (String category : item.categories()) {
        element(w, "category", category);
      }
      if (item.source() != null) {
        w.writeStartElement("category");
        w.writeAttribute("domain", SOURCE_SCHEME);
        w.writeCharacters(item.source());
        w.writeEndElement();
      }
      w.writeStartElement("guid");
      w.writeAttribute("isPermaLink", "false");
      w.writeCharacters(item.id());
      w.writeEndElement();
      Instant date = item.published() != null ? item.published() : item.updated();
      if (date != null) {
        element(w, "pubDate", rfc822(date));
      }
      w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndElement();
  }

  private static Buffer jsonFeed(FeedHead head, List<TimelineItem> items) {
    JsonArray out = new JsonArray();
    for (TimelineItem item : items) {
      JsonObject json = new JsonObject().put("id", item.id());
      putIf(json, "url", item.link());
      putIf(json, "title", item.title());
      // 1.1 asks for content_html or content_text; fanin's summaries are plain text
      json.put("content_text", item.summary() != null ? item.summary() : titleOf(item));
      if (item.published() != null) {
        json.put("date_published", item.published().toString());
      }
      if (item.updated() != null) {
        json.put("date_modified", item.updated().toString());
      }
      if (item.author() != null) {
        json.put("authors", new JsonArray().add(new JsonObject().put("name", item.author())));
      }
      if (!item.categories().isEmpty()) {
        json.put("tags", new JsonArray(List.copyOf(item.categories())));
      }
      if (item.source() != null) {
        json.put("_fanin", new JsonObject().put("source", item.source()));
      }
      out.add(json);
    }
    return new JsonObject()
        .put("version", "https://jsonfeed.org/version/1.1")
        .put("title", head.title())
        .put("feed_url", head.selfUrl())
        .put("_fanin", new JsonObject().put("id", head.id()).put("updated", head.updated().toString()))
        .put("items", out)
        .toBuffer();
  }

  private static String sourceBase(FeedHead head) {
    int query = head.id().indexOf('?');
    return (query < 0 ? head.id() : head.id().substring(0, query)) + ":source:";
  }

  /** Atom and RSS want a title; an item without one is named by its link, else its id. */
  private static String titleOf(TimelineItem item) {
    if (item.title() != null) {
      return item.title();
    }
    return item.link() != null ? item.link() : item.id();
  }

  private static void putIf(JsonObject json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }

  private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
    w.writeStartElement(name);
    w.writeCharacters(text);
    w.writeEndElement();
  }

  private static void textElement(XMLStreamWriter w, String name, String text) throws XMLStreamException {
    w.writeStartElement(name);
    w.writeAttribute("type", "text");
    w.writeCharacters(text);
    w.writeEndElement();
  }

  static String rfc822(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
  }
}
