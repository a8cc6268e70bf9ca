package dev.lifeline.testkit.internal.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeline.testkit.internal.api.Json;
import dev.lifeline.testkit.internal.api.ResourceType;
import dev.lifeline.testkit.internal.api.Statuses;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads request bodies as the apiserver's decoders do, with their error shapes. */
final class RequestBodies {
  static final String OBJECT_TYPES = "application/json, application/yaml";

  private RequestBodies() {}

  /** The media type of the request without parameters, lower case, empty when absent. */
  static String mediaType(Exchange ex) {
    String ct = ex.header(HttpHeaderNames.CONTENT_TYPE);
    if (ct == null) {
      return "";
    }
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /**
   * The body as an object of the kind (POST, PUT).
   *
   * @throws dev.lifeline.testkit.KubeApiException 415 for a format other than JSON or YAML, 400 for
   *     a body that does not decode to an object
   */
  static ObjectNode object(Exchange ex, ResourceType type) {
    String mt = mediaType(ex);
    JsonNode n;
    if (mt.isEmpty() || mt.equals("application/json") || mt.equals("*/*")) {
      n = json(ex.body, type);
    } else if (mt.equals("application/yaml")) {
      n = yaml(ex.body, type);
    } else {
      throw Statuses.unsupportedMediaType(OBJECT_TYPES);
    }
    if (!n.isObject()) {
      throw unrecognized(
          type,
          "couldn't get version/kind; json parse error: json: cannot unmarshal "
              + kindOf(n)
              + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }",
          ex.body);
    }
    return (ObjectNode) n;
  }

  /** The body as JSON (patch documents, DeleteOptions, Evictions). */
  static JsonNode anyJson(Exchange ex) {
    try {
      return Json.parse(ex.body);
    } catch (JsonProcessingException e) {
      throw Statuses.badRequest(firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw Statuses.badRequest(String.valueOf(e.getMessage()));
    }
  }

  private static JsonNode json(byte[] body, ResourceType type) {
    if (body.length == 0) {
      throw unrecognized(
          type, "couldn't get version/kind; json parse error: unexpected end of JSON input", body);
    }
    try {
      JsonNode n = Json.parse(body);
      if (n == null || n.isMissingNode()) {
        throw unrecognized(
            type,
            "couldn't get version/kind; json parse error: unexpected end of JSON input",
            body);
      }
      return n;
    } catch (JsonProcessingException e) {
      throw unrecognized(
          type,
          "couldn't get version/kind; json parse error: " + firstLine(e.getOriginalMessage()),
          body);
    } catch (IOException e) {
      throw unrecognized(type, String.valueOf(e.getMessage()), body);
    }
  }

  private static JsonNode yaml(byte[] body, ResourceType type) {
    try {
      Object doc =
          new Yaml(new SafeConstructor(new LoaderOptions()))
              .load(new String(body, StandardCharsets.UTF_8));
      return Json.MAPPER.valueToTree(doc);
    } catch (RuntimeException e) {
      throw unrecognized(type, "error converting YAML to JSON: " + firstLine(e.getMessage()), body);
    }
  }

  private static dev.lifeline.testkit.KubeApiException unrecognized(
      ResourceType type, String cause, byte[] body) {
    return Statuses.badRequest(
        "the object provided is unrecognized (must be of type "
            + type.kind()
            + "): "
            + cause
            + " ("
            + summarize(body)
            + ")");
  }

  /** The apiserver's summary of a body in decode errors: the start of JSON, else hex. */
  static String summarize(byte[] data) {
    int max = 30;
    if (data.length == 0) {
      return "<empty>";
    }
    if (data[0] == '{') {
      String s = new String(data, 0, Math.min(max, data.length), StandardCharsets.UTF_8);
      return data.length > max ? s + " ..." : s;
    }
    String hex = HexFormat.of().formatHex(data, 0, Math.min(max, data.length));
    return data.length > max ? hex + " ..." : hex;
  }

  private static String kindOf(JsonNode n) {
    return n.isArray()
        ? "array"
        : n.isTextual() ? "string" : n.isNumber() ? "number" : n.isBoolean() ? "bool" : "value";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid JSON";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
