/** The SQS client the functions that call SQS share: how it connects, where to, as whom. */
package dev.bookstore.sqs;
