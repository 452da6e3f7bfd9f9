// Fake upstream for bench/run: a loopback HTTP/1.1 server whose delay and body size come from the query string.
//
//   java -cp target/fanin.jar bench/upstream/FakeUpstream.java [port] [host] [eventLoops]
//
// Java 17 single-file launch; the classpath of target/fanin.jar supplies Vert.x and Netty, so there is no
// separate Maven module. Prints "LISTENING <port>" on stdout once it accepts connections.
//
// Any path answers. Query parameters:
//   delay=ms    wait this long before answering (a Vert.x timer: no thread is held while waiting)
//   size=bytes  the body is a JSON object of exactly this many bytes (min 12; default 16); bodies are cached
//   cc=...      a Cache-Control header to send (e.g. max-age=3600), for the cache scenarios
//   kind=rss|atom&items=N  instead, an RSS 2.0 or Atom 1.0 feed of N items (about 520 bytes each), cached
//   status=n    HTTP status (default 200)
// GET /__stats answers {"requests":n} (requests served since start), used by the bench to check traffic.
//
// Built to stay out of the way of what is measured: one raw HttpServer per event loop (no Router), no
// per-request allocation beyond Vert.x's own, pre-built bodies, no idle timeout (holds 10k+ idle connections).

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

public class FakeUpstream {

    static final ConcurrentHashMap<Integer, Buffer> BODIES = new ConcurrentHashMap<>();
    static final LongAdder REQUESTS = new LongAdder();
    static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    static Buffer body(int size) {
        int n = Math.max(12, Math.min(size, 64 * 1024 * 1024));
        return BODIES.computeIfAbsent(n, k -> {
            // {"pad":"xxx"} -> 10 bytes of framing
            StringBuilder sb = new StringBuilder(k);
            sb.append("{\"pad\":\"");
            for (int i = 0; i < k - 10; i++) sb.append('x');
            sb.append("\"}");
            return Buffer.buffer(sb.toString().getBytes(StandardCharsets.US_ASCII));
        });
    }

    static final ConcurrentHashMap<String, Buffer> FEEDS = new ConcurrentHashMap<>();

    /** A realistic feed of n items: titles, links with tracking parameters, dates, summaries. */
    static Buffer feed(String kind, int n) {
        return FEEDS.computeIfAbsent(kind + n, k -> {
            boolean atom = kind.equals("atom");
            StringBuilder sb = new StringBuilder(n * 560 + 200);
            sb.append(atom
                ? "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Bench feed</title><link href=\"https://bench.example/\"/><updated>2026-01-01T00:00:00Z</updated>\n"
                : "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Bench feed</title><link>https://bench.example/</link>\n");
            for (int i = 0; i < n; i++) {
                int minute = i % 60;
                int hour = (i / 60) % 24;
                if (atom) {
                    sb.append("<entry><title>Markets edge higher as quarterly earnings beat estimates, story ").append(i)
                      .append("</title><link href=\"https://bench.example/story/").append(i).append("?utm_source=feed&amp;utm_medium=rss\"/>")
                      .append("<id>urn:bench:").append(i).append("</id><updated>2026-01-01T")
                      .append(String.format("%02d:%02d", hour, minute)).append(":00Z</updated><author><name>Desk</name></author>")
                      .append("<summary>Investors weighed fresh data on chip supply and energy prices as analysts split over the outlook for rate cuts &amp; bond yields.</summary>")
                      .append("<category term=\"markets\"/></entry>\n");
                } else {
                    sb.append("<item><title>Markets edge higher as quarterly earnings beat estimates, story ").append(i)
                      .append("</title><link>https://bench.example/story/").append(i).append("?utm_source=feed&amp;utm_medium=rss</link>")
                      .append("<guid>urn:bench:").append(i).append("</guid><pubDate>Thu, 01 Jan 2026 ")
                      .append(String.format("%02d:%02d", hour, minute)).append(":00 GMT</pubDate><author>desk@bench.example</author>")
                      .append("<description>Investors weighed fresh data on chip supply and energy prices as analysts split over the outlook for rate cuts &amp; bond yields.</description>")
                      .append("<category>markets</category></item>\n");
                }
            }
            sb.append(atom ? "</feed>" : "</channel></rss>");
            return Buffer.buffer(sb.toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    static int intParam(MultiMap params, String name, int dflt) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) return dflt;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    public static class Server extends VerticleBase {
        final int port;
        final String host;

        Server(int port, String host) {
            this.port = port;
            this.host = host;
        }

        @Override
        public Future<?> start() {
            HttpServerOptions opts = new HttpServerOptions()
                .setAcceptBacklog(16384)
                .setIdleTimeout(0)
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                .setCompressionSupported(false);
            return vertx.createHttpServer(opts).requestHandler(this::handle).listen(port, host);
        }

        void handle(HttpServerRequest req) {
            if (req.path().equals("/__stats")) {
                req.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                    .end("{\"requests\":" + REQUESTS.sum() + "}");
                return;
            }
            REQUESTS.increment();
            MultiMap params = req.params();
            int delay = intParam(params, "delay", 0);
            int size = intParam(params, "size", 16);
            int status = intParam(params, "status", 200);
            String kind = params.get("kind");
            if (kind != null) {
                Buffer f = feed(kind, intParam(params, "items", 20));
                String type = kind.equals("atom") ? "application/atom+xml" : "application/rss+xml";
                vertx.setTimer(Math.max(1, delay), id -> req.response().putHeader(HttpHeaders.CONTENT_TYPE, type).end(f));
                return;
            }
            String cc = params.get("cc");
            if (cc != null) {
                req.response().putHeader(HttpHeaders.CACHE_CONTROL, cc);
            }
            if (delay <= 0) {
                respond(req, status, size);
            } else {
                vertx.setTimer(delay, id -> respond(req, status, size));
            }
        }

        static void respond(HttpServerRequest req, int status, int size) {
            Buffer b = body(size);
            req.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(b.length()))
                .end(b);
        }
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        int loops = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops)
            .setPreferNativeTransport(true).setBlockedThreadCheckInterval(10_000));
        vertx.deployVerticle(() -> new Server(port, host), new DeploymentOptions().setInstances(loops))
            .onSuccess(id -> {
                System.out.println("LISTENING " + port);
                System.out.flush();
            })
            .onFailure(t -> {
                System.err.println("fake upstream failed to start: " + t);
                System.exit(1);
            });
    }
}
