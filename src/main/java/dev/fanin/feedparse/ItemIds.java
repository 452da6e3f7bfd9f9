package dev.fanin.feedparse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Gives each item of one document an id: its own (guid, id), else its link, else "sha1:" and the hex SHA-1 of its
 * title and date (and of its summary when it has neither), so the same item gets the same id on every fetch. An id
 * seen earlier in the same document gets "#2", "#3", … so items stay distinct.
 */
final class ItemIds {

  private final Map<String, Integer> seen = new HashMap<>();

  String assign(String ownId, String link, String title, String date, String summary) {
    String id = ownId != null ? ownId : link != null ? link : hash(title, date, summary);
    Integer count = seen.merge(id, 1, Integer::sum);
    if (count == 1) {
      return id;
    }
    String suffixed = id + "#" + count;
    // a feed could itself use "x#2" as an id; keep going until the id is unused
    while (seen.containsKey(suffixed)) {
      count = seen.merge(id, 1, Integer::sum);
      suffixed = id + "#" + count;
    }
    seen.put(suffixed, 1);
    return suffixed;
  }

  static String hash(String title, String date, String summary) {
    StringBuilder key = new StringBuilder();
    key.append(title == null ? "" : title).append('\n').append(date == null ? "" : date);
    if (title == null && date == null && summary != null) {
      key.append('\n').append(summary);
    }
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return "sha1:" + HexFormat.of().formatHex(sha1.digest(key.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }
}
