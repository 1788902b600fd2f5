/** Reading template.yaml: CloudFormation's short-form tags, and the functions, events and queues it declares. */
package dev.bookstore.local.template;
