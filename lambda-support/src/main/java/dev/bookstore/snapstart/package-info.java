/** Lambda SnapStart: each function primed before its snapshot, and made unique again after each restore. */
package dev.bookstore.snapstart;
