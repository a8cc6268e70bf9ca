package dev.lifeline.client;

/**
 * The API server's answer to an {@link AccessCheck} (a SelfSubjectAccessReview's {@code status}).
 *
 * @param check the question
 * @param allowed whether the user may do it
 * @param denied whether an authorizer explicitly denied it (RBAC never does: a missing rule is
 *     {@code allowed=false, denied=false})
 * @param reason why, when the server says (usually only when allowed), or {@code ""}
 * @param evaluationError an error the authorizer met while deciding, or {@code ""}: the answer may
 *     then be incomplete
 */
public record AccessReview(
    AccessCheck check, boolean allowed, boolean denied, String reason, String evaluationError) {}
