package dev.bookstore.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bookstore.client.internal.Answer;
import dev.bookstore.client.internal.Json;
import java.util.List;

/** The problem an error answer carries, or one made of its status and body when it carries none (API Gateway's own errors). */
final class Problems {

    private Problems() {
    }

    static Problem of(Answer answer) {
        try {
            JsonNode body = Json.tree(answer.body());
            if (body != null && body.isObject() && body.hasNonNull("type")) {
                return Json.convert(body, Problem.class);
            }
        } catch (Json.MalformedException notAProblem) {
            // described below from the status and body
        }
        return made(answer.status(), answer.excerpt());
    }

    static Problem made(int status, String detail) {
        return new Problem("about:blank", "HTTP " + status, status, detail, null, null, null, null, null, List.of());
    }

    /** SQS surely did not take the command: 503 queue-unavailable, or 429 (API Gateway throttled it before the API ran). */
    static boolean surelyNotQueued(int status, Problem problem) {
        return status == 429 || status == 503 && problem.is(Problem.QUEUE_UNAVAILABLE);
    }
}
