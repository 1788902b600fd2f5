/** The JDK's HTTP server, made the one way every local endpoint needs it. */
package dev.bookstore.local.http;
