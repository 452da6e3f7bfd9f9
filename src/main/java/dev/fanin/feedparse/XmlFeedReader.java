package dev.fanin.feedparse;

import dev.fanin.feedparse.Fields.FeedFields;
import dev.fanin.feedparse.Fields.ItemFields;
import dev.fanin.feedparse.Fields.Slot;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 from cleaned XML (see {@link XmlCleaner}) with the JDK's StAX
 * parser. Namespaces are resolved here rather than by the parser, so that a feed using a well-known prefix it
 * forgot to declare (dc:, content:, atom:) still reads.
 *
 * <p>Longer than fanin's other files on purpose: it is one pass over the element vocabulary of five
 * feed dialects (which element means title, link, date, author or content in each, and their
 * fallbacks), and splitting the vocabulary across files would scatter rules that are read together.
 */
final class XmlFeedReader {

  static final String ATOM10 = "http://www.w3.org/2005/Atom";
  static final String ATOM03 = "http://purl.org/atom/ns#";
  static final String RSS10 = "http://purl.org/rss/1.0/";
  static final String RSS090 = "http://my.netscape.com/rdf/simple/0.9/";
  static final String RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
  static final String DC = "http://purl.org/dc/elements/1.1/";
  static final String DCTERMS = "http://purl.org/dc/terms/";
  static final String CONTENT = "http://purl.org/rss/1.0/modules/content/";
  static final String XHTML = "http://www.w3.org/1999/xhtml";
  static final String ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd";
  static final String MEDIA = "http://search.yahoo.com/mrss/";
  static final String XML = "http://www.w3.org/XML/1998/namespace";

  private static final Map<String, String> WELL_KNOWN_PREFIXES = Map.of(
      "dc", DC, "dcterms", DCTERMS, "content", CONTENT, "atom", ATOM10, "rdf", RDF, "itunes", ITUNES,
      "xhtml", XHTML, "xml", XML, "media", MEDIA);
  private static final Set<String> RSS_NAMESPACES = Set.of("", RSS10, RSS090, "http://purl.org/net/rss1.1#",
      "http://backend.userland.com/rss", "http://backend.userland.com/rss2");
  private static final int MAX_DEPTH = 512;

  private enum Kind { RSS, ATOM, DC, DCTERMS, CONTENT, ITUNES, MEDIA, XHTML, OTHER }

  /**
   * An open element: its namespace and local name (both lower-cased: feeds in the wild get the case of element
   * names wrong, and the namespaces read here are all lower case), in-scope xml:base and the prefixes it declares.
   */
  private record Frame(String ns, String local, String base, Map<String, String> prefixes) {
  }

  private final int maxItems;

  XmlFeedReader(int maxItems) {
    this.maxItems = maxItems;
  }

  /** The factory, hardened: no DTDs, no external entities, no resolver; a DOCTYPE never even reaches it. */
  static XMLInputFactory newFactory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
    factory.setProperty(XMLInputFactory.IS_VALIDATING, false);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setXMLResolver((publicId, systemId, base, namespace) -> {
      throw new XMLStreamException("external entities are not read: " + systemId);
    });
    return factory;
  }

  ParsedFeed read(String xml, String baseUrl) throws FeedParseException {
    XMLStreamReader reader;
    try {
      reader = newFactory().createXMLStreamReader(new StringReader(xml));
    } catch (XMLStreamException e) {
      throw malformed(e);
    }
    try {
      return new Walk(reader, baseUrl).run();
    } catch (XMLStreamException e) {
      throw malformed(e);
    } catch (RuntimeException e) {
      // the JDK parser signals some broken input with unchecked exceptions
      throw new FeedParseException("unreadable XML: " + e, e);
    } finally {
      try {
        reader.close();
      } catch (XMLStreamException ignored) {
        // nothing is held open: the input is a string
      }
    }
  }

  private static FeedParseException malformed(XMLStreamException e) {
    Location at = e.getLocation();
    String message = e.getMessage() == null ? "" : e.getMessage();
    int cut = message.indexOf("Message: ");
    if (cut >= 0) {
      message = message.substring(cut + 9);
    }
    String where = at == null ? "" : " at line " + at.getLineNumber() + ", column " + at.getColumnNumber();
    return new FeedParseException("malformed XML" + where + ": " + message, e);
  }

  /** One pass over one document. */
  private final class Walk {
    private final XMLStreamReader r;
    private final List<Frame> stack = new ArrayList<>();
    private final FeedFields feed = new FeedFields();
    private final List<ItemFields> items = new ArrayList<>();
    private boolean atom;
    private String rootNs = "";
    private int containerDepth = -1;
    private ItemFields item;
    private int itemDepth = -1;
    private int groupDepth = -1;

    Walk(XMLStreamReader reader, String baseUrl) {
      this.r = reader;
      stack.add(new Frame("", "", baseUrl, Map.of()));
    }

    ParsedFeed run() throws XMLStreamException, FeedParseException {
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          Frame f = push();
          int depth = stack.size() - 1;
          if (depth == 1) {
            root(f);
          } else if (item == null && isItem(f)) {
            if (items.size() < maxItems) {
              startItem(depth);
            } else {
              skip();
              pop();
            }
          } else if (item != null && (depth == itemDepth + 1 || depth == groupDepth + 1)) {
            if (itemField(f)) {
              pop();
            }
          } else if (item == null && depth == containerDepth + 1) {
            if (feedField(f)) {
              pop();
            }
          } else if (!atom && depth == 2 && f.local.equals("channel") && isRss(f)) {
            containerDepth = 2;
          }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          int depth = stack.size() - 1;
          if (depth == groupDepth) {
            groupDepth = -1;
          }
          if (item != null && depth == itemDepth) {
            items.add(item);
            item = null;
          }
          pop();
          if (depth == 1) {
            break;
          }
        }
      }
      if (stack.size() > 1) {
        throw new FeedParseException("malformed XML: document ends inside <" + stack.get(stack.size() - 1).local
            + ">");
      }
      return build();
    }

    private void root(Frame f) throws FeedParseException {
      rootNs = f.ns;
      switch (f.local) {
        case "rss", "rdf", "channel" -> {
          atom = false;
          if (f.local.equals("channel")) {
            containerDepth = 1;
          }
        }
        case "feed" -> {
          atom = true;
          containerDepth = 1;
        }
        default -> throw new FeedParseException("not a feed: the root element is <" + f.local + ">");
      }
    }

    private void startItem(int depth) {
      item = new ItemFields();
      itemDepth = depth;
      String about = attribute("about", RDF);
      if (about != null) {
        item.id.offer(about.trim(), 5);
      }
    }

    private boolean isItem(Frame f) {
      // feedparser's corpus has Atom feeds with <item>s, and so has the wild
      return atom ? (f.local.equals("entry") || f.local.equals("item")) && isAtom(f)
          : f.local.equals("item") && isRss(f);
    }

    private boolean isRss(Frame f) {
      return RSS_NAMESPACES.contains(f.ns) || f.ns.equals(rootNs);
    }

    private boolean isAtom(Frame f) {
      return f.ns.equals(ATOM10) || f.ns.equals(ATOM03) || (atom && f.ns.equals(rootNs));
    }

    private Kind kind(Frame f) {
      if (atom ? isAtom(f) : isRss(f)) {
        return atom ? Kind.ATOM : Kind.RSS;
      }
      return switch (f.ns) {
        case ATOM10, ATOM03 -> Kind.ATOM;
        case DC -> Kind.DC;
        case DCTERMS -> Kind.DCTERMS;
        case CONTENT -> Kind.CONTENT;
        case ITUNES -> Kind.ITUNES;
        case MEDIA, "http://search.yahoo.com/mrss" -> Kind.MEDIA;
        case XHTML -> Kind.XHTML;
        default -> Kind.OTHER;
      };
    }

    /** Reads a direct child of the channel or feed element; true when it consumed the element. */
    private boolean feedField(Frame f) throws XMLStreamException {
      Kind kind = kind(f);
      switch (kind) {
        case RSS -> {
          switch (f.local) {
            case "title" -> feed.title.offer(HtmlText.toText(content().html()), 0);
            case "link" -> feed.link.offer(Links.resolve(f.base, text()), 0);
            case "lastbuilddate" -> feed.updated.offer(FeedDates.parse(text()), 0);
            case "pubdate" -> feed.updated.offer(FeedDates.parse(text()), 2);
            default -> {
              return false;
            }
          }
        }
        case ATOM -> {
          switch (f.local) {
            case "title" -> feed.title.offer(atomText(f), atom ? 0 : 1);
            case "link" -> atomLink(f, feed.link, atom ? 0 : 1);
            case "updated", "modified" -> feed.updated.offer(FeedDates.parse(text()), 0);
            case "published", "issued" -> feed.updated.offer(FeedDates.parse(text()), 3);
            default -> {
              return false;
            }
          }
        }
        case DC -> {
          switch (f.local) {
            case "title" -> feed.title.offer(HtmlText.toText(content().html()), 1);
            case "date" -> feed.updated.offer(FeedDates.parse(text()), 1);
            default -> {
              return false;
            }
          }
        }
        case DCTERMS -> {
          switch (f.local) {
            case "modified" -> feed.updated.offer(FeedDates.parse(text()), 1);
            case "issued" -> feed.updated.offer(FeedDates.parse(text()), 3);
            default -> {
              return false;
            }
          }
        }
        default -> {
          return false;
        }
      }
      return true;
    }

    /** Reads a direct child of an item or entry; true when it consumed the element. */
    private boolean itemField(Frame f) throws XMLStreamException {
      ItemFields it = item;
      Kind kind = kind(f);
      switch (kind) {
        case RSS -> {
          switch (f.local) {
            case "guid" -> {
              String permaLink = attribute("ispermalink", null);
              String guid = HtmlText.collapse(text());
              it.id.offer(guid, 0);
              // a permalink guid stands in for a missing link, if it is a web address and not just a string
              if (Links.isAbsoluteHttp(guid) && !"false".equalsIgnoreCase(permaLink == null ? "" : permaLink.trim())) {
                it.link.offer(Links.resolve(f.base, guid), 5);
              }
            }
            case "title" -> it.title.offer(HtmlText.toText(content().html()), 0);
            case "link" -> it.link.offer(Links.resolve(f.base, text()), 0);
            // not RSS, but when a feed has both, <summary> is the one meant as the summary
            case "summary" -> it.summary.offer(HtmlText.toText(content().html()), 0);
            case "description" -> it.summary.offer(HtmlText.toText(content().html()), 1);
            case "pubdate" -> it.published.offer(FeedDates.parse(text()), 0);
            case "author" -> it.author.offer(person(text()), 0);
            case "category" -> it.category(HtmlText.toText(content().html()));
            default -> {
              return false;
            }
          }
        }
        case ATOM -> {
          switch (f.local) {
            case "id" -> it.id.offer(HtmlText.collapse(text()), atom ? 0 : 1);
            case "title" -> it.title.offer(atomText(f), atom ? 0 : 1);
            case "link" -> atomLink(f, it.link, atom ? 0 : 1);
            case "summary" -> it.summary.offer(atomText(f), 0);
            case "content" -> it.summary.offer(atomText(f), 3);
            case "published" -> it.published.offer(FeedDates.parse(text()), 0);
            case "issued" -> it.published.offer(FeedDates.parse(text()), 1);
            case "created" -> it.published.offer(FeedDates.parse(text()), 2);
            case "updated", "modified" -> it.updated.offer(FeedDates.parse(text()), 0);
            case "author" -> it.author.offer(atomPerson(), 0);
            case "category" -> {
              String term = attribute("term", null);
              if (term == null) {
                term = attribute("label", null);
              }
              skip();
              it.category(HtmlText.collapse(term));
            }
            default -> {
              return false;
            }
          }
        }
        case DC -> {
          switch (f.local) {
            case "identifier" -> it.id.offer(HtmlText.collapse(text()), 2);
            case "title" -> it.title.offer(HtmlText.toText(content().html()), 1);
            case "description" -> it.summary.offer(HtmlText.toText(content().html()), 2);
            case "creator", "author" -> it.author.offer(person(text()), 1);
            case "subject" -> it.category(HtmlText.toText(content().html()));
            case "date" -> {
              String date = FeedDates.parse(text());
              it.published.offer(date, 3);
              it.updated.offer(date, 2);
            }
            default -> {
              return false;
            }
          }
        }
        case DCTERMS -> {
          switch (f.local) {
            case "issued" -> it.published.offer(FeedDates.parse(text()), 1);
            case "created" -> it.published.offer(FeedDates.parse(text()), 2);
            case "modified" -> it.updated.offer(FeedDates.parse(text()), 1);
            default -> {
              return false;
            }
          }
        }
        case CONTENT -> {
          if (!f.local.equals("encoded")) {
            return false;
          }
          it.summary.offer(HtmlText.toText(content().html()), 3);
        }
        case XHTML -> {
          if (!f.local.equals("body")) {
            return false;
          }
          it.summary.offer(HtmlText.toText(content().markupOrText()), 4);
        }
        case ITUNES -> {
          switch (f.local) {
            case "author" -> it.author.offer(person(text()), 2);
            case "summary" -> it.summary.offer(HtmlText.toText(content().html()), 5);
            case "category" -> itunesCategories(it);
            default -> {
              return false;
            }
          }
        }
        case MEDIA -> {
          switch (f.local) {
            case "title" -> it.title.offer(mediaText(), 3);
            case "description" -> it.summary.offer(mediaText(), 6);
            case "category" -> it.category(HtmlText.collapse(text()));
            case "group" -> {
              // its children describe the item as if they were the item's own
              groupDepth = stack.size() - 1;
              return false;
            }
            default -> {
              return false;
            }
          }
        }
        default -> {
          return false;
        }
      }
      return true;
    }

    /** iTunes categories are in attributes, subcategories nested: all of them count. */
    private void itunesCategories(ItemFields it) throws XMLStreamException {
      it.category(HtmlText.collapse(attribute("text", null)));
      int depth = 0;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
          it.category(HtmlText.collapse(attribute("text", null)));
        } else if (event == XMLStreamConstants.END_ELEMENT && depth-- == 0) {
          return;
        }
      }
    }

    /** Media RSS text: type "html" or plain (the default). */
    private String mediaText() throws XMLStreamException {
      String type = attribute("type", null);
      Content c = content();
      return "html".equalsIgnoreCase(type) ? HtmlText.toText(c.html()) : HtmlText.collapse(c.text());
    }

    /** An Atom text construct (1.0's type, 0.3's type and mode) as plain text. */
    private String atomText(Frame f) throws XMLStreamException {
      String type = attribute("type", null);
      String mode = attribute("mode", null);
      Content c = content();
      String t = type == null ? "text" : type.trim().toLowerCase(Locale.ROOT);
      // Atom 1.0 carries any media type that is neither text nor XML as base64
      boolean binary = t.indexOf('/') > 0 && !t.startsWith("text/") && !t.endsWith("+xml") && !t.endsWith("/xml");
      if ("base64".equalsIgnoreCase(mode) || binary) {
        String decoded = base64(c.text());
        if (decoded == null) {
          return null;
        }
        return t.contains("html") ? HtmlText.toText(decoded) : HtmlText.collapse(decoded);
      }
      if (t.equals("xhtml") || t.equals("application/xhtml+xml") || "xml".equalsIgnoreCase(mode)
          && t.contains("html")) {
        return HtmlText.toText(c.markupOrText());
      }
      if (t.equals("html") || t.equals("text/html") || "escaped".equalsIgnoreCase(mode)) {
        return HtmlText.toText(c.html());
      }
      // plain text: markup written inside it is literal, but stray child elements are read for their text
      return c.markup() == null ? HtmlText.collapse(c.text()) : HtmlText.toText(c.markup());
    }

    private void atomLink(Frame f, Slot target, int rank) throws XMLStreamException {
      String rel = attribute("rel", null);
      String type = attribute("type", null);
      String href = attribute("href", null);
      if (href == null) {
        // Atom 0.3 drafts and some feeds put the address in the element's text
        href = HtmlText.collapse(text());
        if (href == null) {
          return;
        }
      } else {
        skip();
      }
      String relation = rel == null ? "alternate" : rel.trim().toLowerCase(Locale.ROOT);
      if (!relation.equals("alternate") && !relation.equals(ATOM10.toLowerCase(Locale.ROOT) + "#alternate")) {
        return;
      }
      // an HTML alternate beats any other kind of alternate
      boolean html = type == null || type.toLowerCase(Locale.ROOT).contains("html");
      target.offerFirst(Links.resolve(f.base, href), html ? rank : rank + 1);
    }

    private String atomPerson() throws XMLStreamException {
      String name = null;
      String email = null;
      int depth = 0;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          if (depth == 0) {
            String local = localName(r.getLocalName());
            if (local.equals("name")) {
              name = HtmlText.collapse(text());
              continue;
            }
            if (local.equals("email")) {
              email = HtmlText.collapse(text());
              continue;
            }
          }
          depth++;
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          if (depth == 0) {
            break;
          }
          depth--;
        }
      }
      return name != null ? name : email;
    }

    /** Text of the current element, its child elements' text included; leaves the reader on its end tag. */
    private String text() throws XMLStreamException {
      StringBuilder text = new StringBuilder();
      int depth = 0;
      while (r.hasNext()) {
        int event = r.next();
        switch (event) {
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
              text.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
          case XMLStreamConstants.START_ELEMENT -> depth++;
          case XMLStreamConstants.END_ELEMENT -> {
            if (depth == 0) {
              return text.toString();
            }
            depth--;
          }
          default -> {
          }
        }
      }
      return text.toString();
    }

    /** The current element's content: its character data, and markup rebuilt if it has child elements. */
    private Content content() throws XMLStreamException {
      StringBuilder text = new StringBuilder(256);
      StringBuilder markup = null;
      int depth = 0;
      while (r.hasNext()) {
        int event = r.next();
        switch (event) {
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
            int start = text.length();
            text.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
            if (markup != null) {
              HtmlText.escapeInto(text.subSequence(start, text.length()), markup);
            }
          }
          case XMLStreamConstants.START_ELEMENT -> {
            if (markup == null) {
              markup = new StringBuilder(text.length() + 64);
              HtmlText.escapeInto(text, markup);
            }
            markup.append('<').append(localName(r.getLocalName())).append('>');
            depth++;
          }
          case XMLStreamConstants.END_ELEMENT -> {
            if (depth == 0) {
              return new Content(text.toString(), markup == null ? null : markup.toString());
            }
            markup.append("</").append(localName(r.getLocalName())).append('>');
            depth--;
          }
          default -> {
          }
        }
      }
      return new Content(text.toString(), markup == null ? null : markup.toString());
    }

    private void skip() throws XMLStreamException {
      int depth = 0;
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          depth++;
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          if (depth-- == 0) {
            return;
          }
        }
      }
    }

    /** An attribute of the current element by local name, in no namespace or in {@code ns}; null if absent. */
    private String attribute(String local, String ns) {
      for (int i = 0; i < r.getAttributeCount(); i++) {
        String qname = qualified(r.getAttributePrefix(i), r.getAttributeLocalName(i));
        int colon = qname.indexOf(':');
        String name = colon < 0 ? qname : qname.substring(colon + 1);
        if (!name.equalsIgnoreCase(local)) {
          continue;
        }
        if (colon < 0 || (ns != null && ns.equals(resolvePrefix(qname.substring(0, colon))))) {
          return r.getAttributeValue(i);
        }
      }
      return null;
    }

    private Frame push() throws FeedParseException {
      if (stack.size() > MAX_DEPTH) {
        throw new FeedParseException("elements nested deeper than " + MAX_DEPTH);
      }
      Map<String, String> prefixes = null;
      String xmlBase = null;
      for (int i = 0; i < r.getAttributeCount(); i++) {
        String qname = qualified(r.getAttributePrefix(i), r.getAttributeLocalName(i));
        if (qname.equals("xmlns") || qname.startsWith("xmlns:")) {
          if (prefixes == null) {
            prefixes = new HashMap<>(4);
          }
          prefixes.put(qname.equals("xmlns") ? "" : qname.substring(6), r.getAttributeValue(i).trim());
        } else if (qname.equals("xml:base")) {
          xmlBase = r.getAttributeValue(i);
        }
      }
      Frame parent = stack.get(stack.size() - 1);
      Frame pending = new Frame("", "", Links.resolveBase(parent.base, xmlBase),
          prefixes == null ? Map.of() : prefixes);
      stack.add(pending);
      String qname = qualified(r.getPrefix(), r.getLocalName());
      int colon = qname.indexOf(':');
      String ns = resolvePrefix(colon < 0 ? "" : qname.substring(0, colon));
      Frame f = new Frame(ns == null ? "" : ns.toLowerCase(Locale.ROOT),
          (colon < 0 ? qname : qname.substring(colon + 1)).toLowerCase(Locale.ROOT), pending.base, pending.prefixes);
      stack.set(stack.size() - 1, f);
      return f;
    }

    private void pop() {
      stack.remove(stack.size() - 1);
    }

    /** The namespace bound to a prefix in scope, a well-known one for a forgotten declaration, or null. */
    private String resolvePrefix(String prefix) {
      for (int i = stack.size() - 1; i >= 0; i--) {
        String ns = stack.get(i).prefixes.get(prefix);
        if (ns != null) {
          return ns;
        }
      }
      return prefix.isEmpty() ? "" : WELL_KNOWN_PREFIXES.get(prefix.toLowerCase(Locale.ROOT));
    }

    private ParsedFeed build() {
      List<FeedItem> built = new ArrayList<>(items.size());
      ItemIds ids = new ItemIds();
      for (ItemFields it : items) {
        String published = it.published.value;
        String updated = it.updated.value;
        String link = it.link.value;
        String id = ids.assign(it.id.value, link, it.title.value, published != null ? published : updated,
            it.summary.value);
        built.add(new FeedItem(id, it.title.value, link, published, updated, it.author.value, it.summary.value,
            it.categories));
      }
      return new ParsedFeed(feed.title.value, feed.link.value, feed.updated.value, built);
    }
  }

  /** "me@example.com (Jo Bloggs)" and "Jo Bloggs <me@example.com>" both give the name. */
  static String person(String raw) {
    String s = HtmlText.collapse(raw);
    if (s == null) {
      return null;
    }
    int open = s.indexOf('(');
    if (open > 0 && s.endsWith(")")) {
      String outside = HtmlText.collapse(s.substring(0, open));
      String inside = HtmlText.collapse(s.substring(open + 1, s.length() - 1));
      if (outside != null && inside != null && outside.contains("@") != inside.contains("@")) {
        return HtmlText.toText(outside.contains("@") ? inside : outside);
      }
    }
    int angle = s.indexOf('<');
    if (angle > 0 && s.endsWith(">") && s.substring(angle).contains("@")) {
      return HtmlText.toText(s.substring(0, angle));
    }
    return HtmlText.toText(s);
  }

  private static String base64(String text) {
    try {
      return new String(Base64.getMimeDecoder().decode(text.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String qualified(String prefix, String local) {
    return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
  }

  private static String localName(String qname) {
    int colon = qname.indexOf(':');
    return colon < 0 ? qname : qname.substring(colon + 1);
  }

  /** Character data of an element, and the same content as HTML source when it had child elements. */
  private record Content(String text, String markup) {
    /** The content read as HTML source: child elements as tags, or the text when it is escaped HTML. */
    String html() {
      return markup != null ? markup : text;
    }

    /** XHTML content: child elements as tags, and text that is literal rather than escaped HTML. */
    String markupOrText() {
      if (markup != null) {
        return markup;
      }
      StringBuilder escaped = new StringBuilder(text.length());
      HtmlText.escapeInto(text, escaped);
      return escaped.toString();
    }
  }
}
