/** One JSON object per log line, and CloudWatch embedded-metric-format lines, written to stdout where Lambda collects them. */
package dev.bookstore.telemetry;
