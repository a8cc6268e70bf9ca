package dev.lifeline.dnscheck.internal.mode;

import dev.lifeline.client.AccessCheck;
import dev.lifeline.client.KubeClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What this user may do, asked once per question with SelfSubjectAccessReviews (what {@code kubectl
 * auth can-i} asks) and remembered for one mode selection. A server that cannot answer (an error,
 * an old API) leaves the answer unknown. Not thread-safe: one selection runs on one thread.
 */
final class Permissions {
  private final KubeClient client;
  private final Map<AccessCheck, Optional<Boolean>> answers = new LinkedHashMap<>();
  private String failure;

  Permissions(KubeClient client) {
    this.client = client;
  }

  /** The answer to several questions. */
  record Answer(List<AccessCheck> denied, String unknown) {
    /** Whether every question was answered yes. */
    boolean allowed() {
      return denied.isEmpty() && unknown == null;
    }

    /** Whether some question was answered no. */
    boolean isDenied() {
      return !denied.isEmpty();
    }

    /** {@code create pods in default, get pods/log in default}. */
    String deniedText() {
      List<String> parts = new ArrayList<>();
      denied.forEach(c -> parts.add(c.describe()));
      return String.join(", ", parts);
    }
  }

  /** Asks every question; the denied ones, or why there is no answer. */
  Answer ask(List<AccessCheck> checks) {
    List<AccessCheck> denied = new ArrayList<>();
    String unknown = null;
    for (AccessCheck c : checks) {
      Optional<Boolean> a = answers.computeIfAbsent(c, this::review);
      if (a.isEmpty()) {
        unknown = failure;
      } else if (!a.get()) {
        denied.add(c);
      }
    }
    return new Answer(List.copyOf(denied), denied.isEmpty() ? unknown : null);
  }

  private Optional<Boolean> review(AccessCheck c) {
    try {
      return Optional.of(client.reviewAccess(c).allowed());
    } catch (RuntimeException e) {
      if (failure == null) {
        failure =
            "the API did not answer a SelfSubjectAccessReview ("
                + (e.getMessage() == null ? e.toString() : e.getMessage())
                + ")";
      }
      return Optional.empty();
    }
  }
}
