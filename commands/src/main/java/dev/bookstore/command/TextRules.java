package dev.bookstore.command;

/**
 * What any stored text must be: not blank, short enough in characters (as PostgreSQL counts them), printable, valid
 * Unicode, and carried by SQS as it is.
 */
public final class TextRules {

    private TextRules() {
    }

    /** The problem with {@code value}, or null when it is fine. Line breaks and tabs only where {@code multiline}. */
    public static String problem(String value, int max, boolean multiline) {
        if (value.isBlank()) {
            return "must not be blank";
        }
        if (value.codePointCount(0, value.length()) > max) {
            return "must be at most " + max + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
                if (!paired) {
                    return "must be valid Unicode (it holds an unpaired surrogate)";
                }
                i++;
            } else if (Character.isISOControl(c) && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
                return multiline ? "must not contain control characters other than line breaks and tabs"
                        : "must not contain control characters";
            } else if (c == '\uFFFE' || c == '\uFFFF') {
                // Not characters at all, and the only ones left that an SQS message cannot carry (it takes #x9, #xA, #xD,
                // #x20 to #xD7FF, #xE000 to #xFFFD and #x10000 to #x10FFFF): SQS would refuse the command on every retry.
                return "must be valid Unicode (it holds U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + ", which is no character)";
            }
        }
        return null;
    }
}
