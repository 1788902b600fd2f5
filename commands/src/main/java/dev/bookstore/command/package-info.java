/**
 * The contract between the API that accepts commands and the writers that apply them: the envelope
 * that travels on SQS, its payloads, their JSON form, and the validation rules both sides apply.
 * Documented for operators in {@code docs/commands.md}.
 */
package dev.bookstore.command;
