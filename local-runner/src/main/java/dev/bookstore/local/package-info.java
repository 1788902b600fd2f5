/**
 * The whole stack on one machine, as template.yaml describes it: embedded PostgreSQL behind a pool
 * standing in for RDS Proxy, ElasticMQ with the template's queues, an HTTP server on the template's
 * routes, and pollers that invoke the writers the way Lambda's SQS event source mapping does.
 */
package dev.bookstore.local;
