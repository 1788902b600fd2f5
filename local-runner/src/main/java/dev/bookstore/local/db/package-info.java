/** PostgreSQL for the local runner, and the pool that plays RDS Proxy's part. */
package dev.bookstore.local.db;
