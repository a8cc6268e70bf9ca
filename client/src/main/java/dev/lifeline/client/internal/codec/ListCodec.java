package dev.lifeline.client.internal.codec;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lifeline.client.ResourceList;
import dev.lifeline.client.internal.json.ModelReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A list answer ({@code PodList}...): the items, each decoded as it streams by, and the list
 * metadata.
 */
public final class ListCodec {
  private ListCodec() {}

  /** Reads the list at the parser's current token. */
  public static <T> ResourceList<T> read(JsonParser p, ModelReader<T> reader) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new JsonParseException(p, "expected a list object");
    }
    List<T> items = new ArrayList<>();
    String resourceVersion = null;
    String continueToken = null;
    Long remaining = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (name.equals("items") && value == JsonToken.START_ARRAY) {
        while (p.nextToken() != JsonToken.END_ARRAY) {
          T item = reader.read(p);
          if (item != null) {
            items.add(item);
          }
        }
      } else if (name.equals("metadata") && value == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          switch (field) {
            case "resourceVersion":
              resourceVersion = p.getValueAsString();
              break;
            case "continue":
              continueToken = p.getValueAsString();
              break;
            case "remainingItemCount":
              remaining = p.currentToken() == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
              break;
            default:
              p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return new ResourceList<>(
        items,
        resourceVersion,
        continueToken == null || continueToken.isEmpty() ? null : continueToken,
        remaining);
  }
}
