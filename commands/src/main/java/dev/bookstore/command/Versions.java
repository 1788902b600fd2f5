package dev.bookstore.command;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource versions and the entity tags that carry them. A version is 1 when the resource is created and one more for
 * each change applied to it; its strong entity tag is the version in quotes, {@code "3"}. A book's tag may carry more
 * after the version ({@code "3-12-4.25"}: its reviews' count and average), which a precondition does not compare.
 */
public final class Versions {

    public static final int MAX = Integer.MAX_VALUE;
    private static final Pattern STRONG_TAG = Pattern.compile("\"([1-9][0-9]{0,9})(?:-[0-9.]+)*\"");

    private Versions() {
    }

    /** The strong entity tag of a version. */
    public static String tag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The version an {@code If-Match} header names: null for {@code *} (any stored version), the version for one
     * strong tag. Throws {@link IllegalArgumentException} for anything else: a weak tag cannot be a precondition on a
     * write (RFC 9110, 13.1.1), and a list of tags would let one command mean several.
     */
    public static Integer fromIfMatch(String header) {
        String value = header.strip();
        if (value.equals("*")) {
            return null;
        }
        Matcher tag = STRONG_TAG.matcher(value);
        if (!tag.matches() || Long.parseLong(tag.group(1)) > MAX) {
            throw new IllegalArgumentException("must be * or one strong entity tag such as \"3\", as the ETag of a GET gave it");
        }
        return Integer.valueOf(tag.group(1));
    }

    /** The optional {@code expectedVersion} of a payload read from a queue. */
    static Integer expected(FieldReader fields) {
        return fields.optionalInt("expectedVersion", 1, MAX);
    }
}
