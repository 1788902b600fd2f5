/** Benchmarks of the real handlers on real parts; each reports against a baseline measured in the same run. */
package dev.bookstore.bench;
