package dev.fanin.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/**
 * fanin's OpenAPI document (src/main/resources/openapi.json) and validators for its schemas, by
 * JSON Schema draft 2020-12 (the document's jsonSchemaDialect): the whole document is registered
 * under a base URI, so that "#/components/schemas/..." references resolve inside it.
 */
public final class ApiContract {
  private static final String URI = "https://fanin.test/openapi.json";
  public static final JsonObject DOCUMENT = read();
  private static final SchemaRepository REPOSITORY = repository();

  private ApiContract() {}

  private static JsonObject read() {
    try (InputStream in = ApiContract.class.getResourceAsStream("/openapi.json")) {
      assertNotNull(in, "openapi.json is not on the classpath");
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SchemaRepository repository() {
    SchemaRepository repository = SchemaRepository.create(new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri(URI).setOutputFormat(OutputFormat.Basic));
    repository.dereference(URI, JsonSchema.of(DOCUMENT.copy()));
    return repository;
  }

  /** A validator for the schema at this JSON Pointer of the document, e.g. /components/schemas/Result. */
  public static Validator at(String pointer) {
    return REPOSITORY.validator(JsonSchema.of(new JsonObject().put("$ref", URI + "#" + pointer)));
  }

  /** A validator for one of components/schemas. */
  public static Validator schema(String name) {
    return at("/components/schemas/" + name);
  }

  /** Fails, with every error, when the value does not validate. */
  public static void assertValid(Validator validator, Object value, String what) {
    OutputUnit out = validator.validate(value);
    if (!Boolean.TRUE.equals(out.getValid())) {
      fail(what + " does not validate: " + out.toJson().encodePrettily() + "\n" + value);
    }
  }

  /** Whether the value validates, for tests that expect a refusal. */
  public static boolean valid(Validator validator, Object value) {
    return Boolean.TRUE.equals(validator.validate(value).getValid());
  }
}
