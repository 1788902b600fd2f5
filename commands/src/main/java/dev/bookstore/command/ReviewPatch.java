package dev.bookstore.command;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields a JSON merge patch (RFC 7396) of a review sets, validated. A null field is left as it is, except that
 * {@code removesText} sets the text to none; a patch sets at least one field. The reviewer is not patchable.
 */
public record ReviewPatch(Integer rating, String text, boolean removesText) {

    public static final List<String> FIELDS = List.of("rating", "text");

    public ReviewPatch {
        if (text != null && removesText) {
            throw new IllegalArgumentException("a patch either sets the text or removes it");
        }
    }

    /** The names of the fields this patch sets, in the order of {@link #FIELDS}. */
    public List<String> fields() {
        List<String> fields = new ArrayList<>();
        if (rating != null) {
            fields.add("rating");
        }
        if (text != null || removesText) {
            fields.add("text");
        }
        return fields;
    }
}
