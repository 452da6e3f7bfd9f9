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
