package dev.lifeline.client.model;

import dev.lifeline.client.internal.json.StringMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An object's metadata ({@code metav1.ObjectMeta}): the fields Lifeline and its users need.
 * Immutable.
 *
 * <p>A resource version and a uid are opaque strings to clients; this class stores the usual forms
 * (a decimal number, a lowercase UUID) as numbers, which saves about a hundred bytes per object in
 * large caches, and returns them exactly as the server sent them.
 */
public final class ObjectMeta {
  private static final ObjectMeta EMPTY = builder().build();

  private final String name;
  private final String generateName;
  private final String namespace;
  private final long uidHigh;
  private final long uidLow;
  private final String uidText;
  private final long resourceVersionNumber;
  private final String resourceVersionText;
  private final long generation;
  private final Instant creationTimestamp;
  private final Instant deletionTimestamp;
  private final Map<String, String> labels;
  private final Map<String, String> annotations;
  private final List<OwnerReference> ownerReferences;
  private final List<String> finalizers;

  private ObjectMeta(Builder b) {
    this.name = b.name;
    this.generateName = b.generateName;
    this.namespace = b.namespace;
    long[] uid = uuid(b.uid);
    if (uid != null) {
      this.uidHigh = uid[0];
      this.uidLow = uid[1];
      this.uidText = null;
    } else {
      this.uidHigh = 0;
      this.uidLow = 0;
      this.uidText = b.uid;
    }
    long rv = decimal(b.resourceVersion);
    this.resourceVersionNumber = rv;
    this.resourceVersionText = rv >= 0 ? null : b.resourceVersion;
    this.generation = b.generation;
    this.creationTimestamp = b.creationTimestamp;
    this.deletionTimestamp = b.deletionTimestamp;
    this.labels = StringMap.copyOf(b.labels);
    this.annotations = StringMap.copyOf(b.annotations);
    this.ownerReferences = b.ownerReferences == null ? List.of() : List.copyOf(b.ownerReferences);
    this.finalizers = b.finalizers == null ? List.of() : List.copyOf(b.finalizers);
  }

  /** Metadata with nothing set. */
  public static ObjectMeta empty() {
    return EMPTY;
  }

  /** Metadata with a namespace (null for cluster-scoped objects) and a name. */
  public static ObjectMeta of(String namespace, String name) {
    return builder().namespace(namespace).name(name).build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this metadata's values. */
  public Builder toBuilder() {
    return new Builder()
        .name(name)
        .generateName(generateName)
        .namespace(namespace)
        .uid(uid())
        .resourceVersion(resourceVersion())
        .generation(generation)
        .creationTimestamp(creationTimestamp)
        .deletionTimestamp(deletionTimestamp)
        .labels(labels)
        .annotations(annotations)
        .ownerReferences(ownerReferences)
        .finalizers(finalizers);
  }

  /** The name, or null. */
  public String name() {
    return name;
  }

  /** The name prefix the server completes when {@link #name()} is empty, or null. */
  public String generateName() {
    return generateName;
  }

  /** The namespace, or null for cluster-scoped objects. */
  public String namespace() {
    return namespace;
  }

  /** The uid, or null. */
  public String uid() {
    if (uidText != null) {
      return uidText;
    }
    if (uidHigh == 0 && uidLow == 0) {
      return null;
    }
    return formatUuid(uidHigh, uidLow);
  }

  /** Whether this metadata has the given uid (cheaper than comparing {@link #uid()} strings). */
  public boolean hasUid(ObjectMeta other) {
    return uidHigh == other.uidHigh
        && uidLow == other.uidLow
        && Objects.equals(uidText, other.uidText);
  }

  /** The resource version, or null. */
  public String resourceVersion() {
    if (resourceVersionText != null) {
      return resourceVersionText;
    }
    return resourceVersionNumber < 0 ? null : Long.toString(resourceVersionNumber);
  }

  /** Whether this metadata has the same resource version as {@code other}. */
  public boolean hasResourceVersion(ObjectMeta other) {
    return resourceVersionNumber == other.resourceVersionNumber
        && Objects.equals(resourceVersionText, other.resourceVersionText);
  }

  /** The generation of the desired state, 0 when not set. */
  public long generation() {
    return generation;
  }

  /** When the object was created, or null. */
  public Instant creationTimestamp() {
    return creationTimestamp;
  }

  /** When graceful deletion started, or null while the object is not being deleted. */
  public Instant deletionTimestamp() {
    return deletionTimestamp;
  }

  /** The labels (empty when none). */
  public Map<String, String> labels() {
    return labels;
  }

  /** The annotations (empty when none). */
  public Map<String, String> annotations() {
    return annotations;
  }

  /** The owner references (empty when none). */
  public List<OwnerReference> ownerReferences() {
    return ownerReferences;
  }

  /** The finalizers (empty when none). */
  public List<String> finalizers() {
    return finalizers;
  }

  /** The managing controller's reference, or null. */
  public OwnerReference controller() {
    for (OwnerReference ref : ownerReferences) {
      if (ref.isController()) {
        return ref;
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ObjectMeta)) {
      return false;
    }
    ObjectMeta m = (ObjectMeta) o;
    return hasUid(m)
        && hasResourceVersion(m)
        && generation == m.generation
        && Objects.equals(name, m.name)
        && Objects.equals(generateName, m.generateName)
        && Objects.equals(namespace, m.namespace)
        && Objects.equals(creationTimestamp, m.creationTimestamp)
        && Objects.equals(deletionTimestamp, m.deletionTimestamp)
        && labels.equals(m.labels)
        && annotations.equals(m.annotations)
        && ownerReferences.equals(m.ownerReferences)
        && finalizers.equals(m.finalizers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, name, uidHigh, uidLow, resourceVersionNumber);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ObjectMeta{");
    if (namespace != null) {
      s.append("namespace=").append(namespace).append(", ");
    }
    s.append("name=").append(name);
    if (generateName != null) {
      s.append(", generateName=").append(generateName);
    }
    String uid = uid();
    if (uid != null) {
      s.append(", uid=").append(uid);
    }
    String rv = resourceVersion();
    if (rv != null) {
      s.append(", resourceVersion=").append(rv);
    }
    if (!labels.isEmpty()) {
      s.append(", labels=").append(labels);
    }
    if (!annotations.isEmpty()) {
      s.append(", annotations=").append(annotations.keySet());
    }
    if (!ownerReferences.isEmpty()) {
      s.append(", ownerReferences=").append(ownerReferences);
    }
    if (deletionTimestamp != null) {
      s.append(", deletionTimestamp=").append(deletionTimestamp);
    }
    return s.append('}').toString();
  }

  /** The two longs of a canonical lowercase UUID, or null for any other text (kept as text). */
  private static long[] uuid(String s) {
    if (s == null || s.length() != 36) {
      return null;
    }
    long high = 0;
    long low = 0;
    int digits = 0;
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return null;
        }
        continue;
      }
      int v;
      if (c >= '0' && c <= '9') {
        v = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        v = c - 'a' + 10;
      } else {
        return null;
      }
      if (digits < 16) {
        high = (high << 4) | v;
      } else {
        low = (low << 4) | v;
      }
      digits++;
    }
    if (high == 0 && low == 0) {
      return null;
    }
    return new long[] {high, low};
  }

  private static String formatUuid(long high, long low) {
    char[] out = new char[36];
    int pos = 0;
    for (int i = 0; i < 32; i++) {
      if (i == 8 || i == 12 || i == 16 || i == 20) {
        out[pos++] = '-';
      }
      long word = i < 16 ? high : low;
      int shift = (15 - (i % 16)) * 4;
      out[pos++] = Character.forDigit((int) ((word >>> shift) & 0xF), 16);
    }
    return new String(out);
  }

  /**
   * The value of a canonical non-negative decimal (no sign, no leading zero) that fits a long, else
   * -1.
   */
  private static long decimal(String s) {
    if (s == null || s.isEmpty() || s.length() > 18 || (s.length() > 1 && s.charAt(0) == '0')) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Builds {@link ObjectMeta}. Not thread-safe. */
  public static final class Builder {
    private String name;
    private String generateName;
    private String namespace;
    private String uid;
    private String resourceVersion;
    private long generation;
    private Instant creationTimestamp;
    private Instant deletionTimestamp;
    private Map<String, String> labels;
    private Map<String, String> annotations;
    private List<OwnerReference> ownerReferences;
    private List<String> finalizers;

    private Builder() {}

    /** The name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** A name prefix for the server to complete. */
    public Builder generateName(String generateName) {
      this.generateName = generateName;
      return this;
    }

    /** The namespace (null for cluster-scoped objects). */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** The uid. */
    public Builder uid(String uid) {
      this.uid = uid;
      return this;
    }

    /** The resource version (for updates: the version the update is based on). */
    public Builder resourceVersion(String resourceVersion) {
      this.resourceVersion = resourceVersion;
      return this;
    }

    /** The generation. */
    public Builder generation(long generation) {
      this.generation = generation;
      return this;
    }

    /** The creation time. */
    public Builder creationTimestamp(Instant creationTimestamp) {
      this.creationTimestamp = creationTimestamp;
      return this;
    }

    /** The deletion time. */
    public Builder deletionTimestamp(Instant deletionTimestamp) {
      this.deletionTimestamp = deletionTimestamp;
      return this;
    }

    /** The labels (copied). */
    public Builder labels(Map<String, String> labels) {
      this.labels = labels;
      return this;
    }

    /** The annotations (copied). */
    public Builder annotations(Map<String, String> annotations) {
      this.annotations = annotations;
      return this;
    }

    /** The owner references (copied). */
    public Builder ownerReferences(List<OwnerReference> ownerReferences) {
      this.ownerReferences = ownerReferences;
      return this;
    }

    /** The finalizers (copied). */
    public Builder finalizers(List<String> finalizers) {
      this.finalizers = finalizers;
      return this;
    }

    /** The metadata. */
    public ObjectMeta build() {
      return new ObjectMeta(this);
    }
  }
}
