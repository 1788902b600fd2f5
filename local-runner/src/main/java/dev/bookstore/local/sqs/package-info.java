/** ElasticMQ as the template's SQS: every queue, DLQ and redrive policy, persisted between runs. */
package dev.bookstore.local.sqs;
