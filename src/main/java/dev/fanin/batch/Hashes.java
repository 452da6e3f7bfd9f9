package dev.fanin.batch;

/**
 * 64-bit hashes of ids and URLs, for remembering a million of them in {@link LongSet}s: FNV-1a over
 * the characters, then a strong finaliser (SplitMix64's). Two different strings share a hash with
 * a chance of about n²/2⁶⁵ among n strings: one in 30 million for a million URLs.
 */
final class Hashes {
  private Hashes() {}

  static long of(CharSequence s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= s.length();
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
