package dev.lifeline.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import dev.lifeline.client.ResourceType;
import dev.lifeline.client.internal.RealResourceType;
import dev.lifeline.client.internal.json.Json;
import dev.lifeline.client.model.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpWatchEventTest {
  private static JsonParser parser(String text) throws IOException {
    return Json.parser(text.getBytes(StandardCharsets.UTF_8));
  }

  private static WatchEvent<Pod> next(JsonParser p) throws IOException {
    return HttpListWatch.read(
        p, RealResourceType.codec(ResourceType.POD).reader(), "GET /api/v1/pods");
  }

  @Test
  void successiveEventsOfAStreamAreDecoded() throws IOException {
    JsonParser p =
        parser(
            "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"5\"}}}\n"
                + "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"9\","
                + "\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}}\n"
                + "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"12\"}}}\n"
                + "{\"object\":{\"metadata\":{\"name\":\"b\",\"resourceVersion\":\"13\"}},\"type\":\"DELETED\"}\n"
                + "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"message\":\"too old resource version: 5 (9)\",\"reason\":\"Expired\",\"code\":410}}\n");

    WatchEvent<Pod> added = next(p);
    assertThat(added.type()).isEqualTo(WatchEvent.Type.ADDED);
    assertThat(added.object().name()).isEqualTo("a");
    assertThat(added.resourceVersion()).isEqualTo("5");

    WatchEvent<Pod> end = next(p);
    assertThat(end.type()).isEqualTo(WatchEvent.Type.BOOKMARK);
    assertThat(end.initialEventsEnd()).isTrue();
    assertThat(end.resourceVersion()).isEqualTo("9");

    assertThat(next(p).initialEventsEnd()).isFalse();

    WatchEvent<Pod> deleted = next(p);
    assertThat(deleted.type()).isEqualTo(WatchEvent.Type.DELETED);
    assertThat(deleted.object().name()).isEqualTo("b");

    WatchEvent<Pod> error = next(p);
    assertThat(error.error().isGone()).isTrue();
    assertThat(error.error().code()).isEqualTo(410);
    assertThat(error.error().getMessage()).contains("too old resource version");

    assertThat(next(p)).isNull();
  }

  @Test
  void anUnknownEventTypeIsAProtocolError() throws IOException {
    JsonParser p = parser("{\"type\":\"RENAMED\",\"object\":{}}");
    assertThatThrownBy(() -> next(p))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("RENAMED");
  }
}
