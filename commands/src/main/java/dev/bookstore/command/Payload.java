package dev.bookstore.command;

import java.util.UUID;

/** What a command asks for. Each payload names the resource it creates, so its id is known before it exists. */
public sealed interface Payload permits CreateBook, CreateReview {

    String CREATE_BOOK = "CreateBook";
    String CREATE_REVIEW = "CreateReview";

    String type();

    UUID resourceId();
}
