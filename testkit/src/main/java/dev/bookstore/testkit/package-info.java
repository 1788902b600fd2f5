/** What every module's tests share: one real PostgreSQL per test JVM. Used in test scope only. */
package dev.bookstore.testkit;
