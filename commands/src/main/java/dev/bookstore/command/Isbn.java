package dev.bookstore.command;

/** ISBN-10 and ISBN-13 with their check digits; the same rule as {@code isbn_is_valid} in the schema. */
public final class Isbn {

    private Isbn() {
    }

    /** The ISBN without hyphens or spaces (an ISBN-10's x upper-cased), or null when it is not a valid ISBN. */
    public static String normalise(String text) {
        String isbn = text.replace("-", "").replace(" ", "").toUpperCase(java.util.Locale.ROOT);
        if (isbn.matches("[0-9]{9}[0-9X]")) {
            int sum = 0;
            for (int i = 0; i < 10; i++) {
                char c = isbn.charAt(i);
                sum += (10 - i) * (c == 'X' ? 10 : c - '0');
            }
            return sum % 11 == 0 ? isbn : null;
        }
        if (isbn.matches("97[89][0-9]{10}")) {
            int sum = 0;
            for (int i = 0; i < 13; i++) {
                sum += (i % 2 == 0 ? 1 : 3) * (isbn.charAt(i) - '0');
            }
            return sum % 10 == 0 ? isbn : null;
        }
        return null;
    }
}
