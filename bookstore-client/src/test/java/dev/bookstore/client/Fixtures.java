package dev.bookstore.client;

import java.util.UUID;

/** Answers as the API gives them, for the scripted server. */
final class Fixtures {

    static final UUID COMMAND = UUID.fromString("0190f5a2-7c1e-7d3a-9b41-2f6e8c0d1a11");
    static final UUID BOOK = UUID.fromString("7b0e1c9a-4f3d-5e2b-8a6c-1d0f9e8b7a61");
    static final NewBook LE_GUIN = new NewBook("The Left Hand of Darkness", "Ursula K. Le Guin", "Ace Books", 1969, "978-0-441-47812-5");

    private Fixtures() {
    }

    static ScriptedServer.Reply bookAccepted() {
        return bookAccepted(COMMAND, BOOK);
    }

    static ScriptedServer.Reply bookAccepted(UUID command, UUID book) {
        return ScriptedServer.json(202, "{\"commandId\":\"" + command + "\",\"bookId\":\"" + book
                        + "\",\"issuedAt\":\"2026-12-01T10:00:00.123456Z\",\"status\":\"PENDING\"}",
                "Location", "/books/" + book, "Link", "</commands/" + command + ">; rel=\"monitor\"");
    }

    static ScriptedServer.Reply emptyPage() {
        return ScriptedServer.json(200, "{\"items\":[],\"next\":null}");
    }

    static String outcomeUnknownFields(UUID command, UUID book) {
        return "\"commandId\":\"" + command + "\",\"bookId\":\"" + book + "\"";
    }
}
