// The floor of an aggregator on Vert.x for bench/run: the least a Vert.x 5 service can do for
// POST /v1/aggregate, with fanin's request and response shapes, so that scenario 1 can show how much
// of fanin's overhead any Vert.x fan-out pays on this machine.
//
//   java -XX:+UseSerialGC -Xmx128m -cp target/fanin.jar bench/clients/BareVertxAggregator.java PORT
//
// One HTTP server and one HttpClient per event loop (2 verticles), keep-alive pools of 2,000 per
// origin, every source fetched at once with Future.join, bodies copied into the answer as they are.
// No definition checks, no deadlines, breakers, limits, retries, caching, SSRF guard, metrics or
// logging: a floor, not a service. Not part of fanin; it runs with fanin's jar only for Vert.x.
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

public class BareVertxAggregator extends VerticleBase {
    private final int port;
    private HttpClient client;

    BareVertxAggregator(int port) {
        this.port = port;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(() -> new BareVertxAggregator(port), new DeploymentOptions().setInstances(2)).await();
        System.out.println("bare Vert.x aggregator on 127.0.0.1:" + port);
    }

    @Override
    public Future<?> start() {
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(2000).setMaxWaitQueueSize(-1));
        return vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1");
    }

    private void handle(HttpServerRequest req) {
        if (req.method() == HttpMethod.GET) {
            req.response().end("{\"status\":\"UP\"}");
            return;
        }
        req.body().onSuccess(body -> {
            JsonArray sources = new JsonObject(body).getJsonArray("sources");
            long t0 = System.nanoTime();
            int n = sources.size();
            String[] ids = new String[n];
            long[] starts = new long[n];
            long[] ends = new long[n];
            List<Future<Buffer>> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                JsonObject s = sources.getJsonObject(i);
                ids[i] = s.getString("id");
                int k = i;
                starts[k] = System.nanoTime();
                all.add(client.request(new RequestOptions().setAbsoluteURI(s.getString("url")))
                    .compose(r -> r.send().compose(HttpClientResponse::body))
                    .andThen(ar -> ends[k] = System.nanoTime()));
            }
            Future.join(all).onComplete(done -> {
                Buffer out = Buffer.buffer(256 + n * 160);
                out.appendString("{\"complete\":").appendString(Boolean.toString(done.succeeded()))
                    .appendString(",\"durationMs\":").appendString(Long.toString((System.nanoTime() - t0) / 1_000_000))
                    .appendString(",\"results\":{");
                for (int i = 0; i < n; i++) {
                    Future<Buffer> f = all.get(i);
                    if (i > 0) {
                        out.appendByte((byte) ',');
                    }
                    out.appendString("\"").appendString(ids[i]).appendString("\":{\"id\":\"").appendString(ids[i])
                        .appendString("\",\"status\":\"").appendString(f.succeeded() ? "ok" : "error")
                        .appendString("\",\"startMs\":").appendString(Long.toString((starts[i] - t0) / 1_000_000))
                        .appendString(",\"latencyMs\":").appendString(Long.toString((ends[i] - starts[i]) / 1_000_000))
                        .appendString(",\"data\":");
                    out.appendBuffer(f.succeeded() ? f.result() : Buffer.buffer("null"));
                    out.appendByte((byte) '}');
                }
                out.appendString("}}");
                req.response().putHeader("Content-Type", "application/json").end(out);
            });
        });
    }
}
