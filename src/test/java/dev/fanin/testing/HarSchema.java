package dev.fanin.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The HAR 1.2 JSON schema (npm har-schema, src/test/resources/har-schema) as a validator. Its files
 * name each other by relative id ("log.json#"): each is registered under a base URI so the $refs
 * resolve. They say draft-06, which draft 7 reads the same for the keywords they use.
 */
public final class HarSchema {
  private static final String BASE = "https://fanin.test/har-schema/";
  private static final List<String> FILES = List.of("afterRequest", "beforeRequest", "browser", "cache", "content",
      "cookie", "creator", "entry", "har", "header", "log", "page", "pageTimings", "postData", "query",
      "request", "response", "timings");
  private static final Validator VALIDATOR = load();

  private HarSchema() {}

  private static Validator load() {
    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT7).setBaseUri(BASE)
        .setOutputFormat(OutputFormat.Basic);
    SchemaRepository repository = SchemaRepository.create(options);
    for (String name : FILES) {
      JsonObject schema = read(name + ".json");
      schema.remove("$schema");
      repository.dereference(BASE + name + ".json", JsonSchema.of(schema));
    }
    return repository.validator(BASE + "har.json");
  }

  private static JsonObject read(String file) {
    try (InputStream in = HarSchema.class.getResourceAsStream("/har-schema/" + file)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema's verdict on a document. */
  public static OutputUnit validate(JsonObject har) {
    return VALIDATOR.validate(har);
  }

  /** Fails the test, with every error, when the document is not valid HAR 1.2. */
  public static void assertValid(JsonObject har) {
    OutputUnit out = validate(har);
    if (!Boolean.TRUE.equals(out.getValid())) {
      fail("not valid HAR 1.2: " + out.toJson().encodePrettily() + "\n" + har.encodePrettily());
    }
  }
}
