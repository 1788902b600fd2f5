/** Applies the Flyway migrations: from a CloudFormation custom resource on deploy, or from a shell. */
package dev.bookstore.migration;
