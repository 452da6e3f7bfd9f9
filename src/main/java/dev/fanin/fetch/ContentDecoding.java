package dev.fanin.fetch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Undoes the Content-Encoding fanin asks upstreams for (gzip and deflate, with Netty's zlib decoder)
 * as a body arrives, and nothing else: an answer in an encoding fanin did not ask for is refused,
 * not decoded. Decompressed bytes come out piece by piece and stop at a bound, so a small body that
 * inflates to a huge one is cut as it grows, not after.
 */
final class ContentDecoding {
  /** What fanin sends as Accept-Encoding when the source sets none. */
  static final String ACCEPTED = "gzip, deflate";
  private final EmbeddedChannel channel;
  private final Bound bound;

  private ContentDecoding(ZlibWrapper wrapper, long maxBytes) {
    this.bound = new Bound(maxBytes);
    this.channel = new EmbeddedChannel(ZlibCodecFactory.newZlibDecoder(wrapper), bound);
  }

  /**
   * The decoder for a response's Content-Encoding: null when the body is not encoded, a decoder for
   * gzip and deflate, and an invalid_response failure for anything else.
   */
  static ContentDecoding of(String contentEncoding, long maxBytes) {
    if (contentEncoding == null) {
      return null;
    }
    String encoding = contentEncoding.trim().toLowerCase(Locale.ROOT);
    return switch (encoding) {
      case "", "identity" -> null;
      case "gzip", "x-gzip" -> new ContentDecoding(ZlibWrapper.GZIP, maxBytes);
      // deflate is zlib-wrapped by the standard, raw by some servers: accept both, as browsers do
      case "deflate", "x-deflate" -> new ContentDecoding(ZlibWrapper.ZLIB_OR_NONE, maxBytes);
      default -> throw FetchException.notJudging(ErrorKind.INVALID_RESPONSE, "the upstream answered in Content-Encoding "
          + encoding + ", which fanin did not ask for (it accepts " + ACCEPTED + ")");
    };
  }

  /** Decodes a piece of the body; the decoded pieces go to {@code out}. */
  void decode(Buffer piece, Consumer<Buffer> out) {
    try {
      channel.writeInbound(Unpooled.wrappedBuffer(piece.getBytes()));
    } catch (RuntimeException e) {
      throw corrupt(e);
    }
    if (bound.exceeded) {
      throw new TooLarge();
    }
    drain(out);
  }

  /** The body ended: whatever the decoder still holds comes out. */
  void finish(Consumer<Buffer> out) {
    try {
      channel.finish();
    } catch (RuntimeException e) {
      throw corrupt(e);
    }
    drain(out);
  }

  /** Frees what the decoder holds (the attempt ended early). */
  void close() {
    channel.finishAndReleaseAll();
  }

  private void drain(Consumer<Buffer> out) {
    ByteBuf decoded;
    while ((decoded = channel.readInbound()) != null) {
      try {
        byte[] bytes = new byte[decoded.readableBytes()];
        decoded.readBytes(bytes);
        out.accept(Buffer.buffer(bytes));
      } finally {
        decoded.release();
      }
    }
  }

  private static RuntimeException corrupt(RuntimeException e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause != cause.getCause()) {
      cause = cause.getCause();
    }
    return FetchException.notJudging(ErrorKind.INVALID_RESPONSE,
        "the upstream's compressed body is corrupt: " + (cause.getMessage() == null ? "unreadable" : cause.getMessage()));
  }

  /** The decompressed body passed its bound. */
  static final class TooLarge extends RuntimeException {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  /**
   * Counts decompressed bytes in the decoder's own pipeline, each piece as the decoder makes it:
   * past the bound, every further piece is dropped at once, so nothing large is ever held.
   */
  private static final class Bound extends ChannelInboundHandlerAdapter {
    private final long max;
    private long seen;
    boolean exceeded;

    Bound(long max) {
      this.max = max;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf piece = (ByteBuf) msg;
      seen += piece.readableBytes();
      if (exceeded || seen > max) {
        exceeded = true;
        piece.release();
        return;
      }
      ctx.fireChannelRead(msg);
    }
  }
}
