package dev.bookstore.bench;

import java.util.concurrent.atomic.AtomicLong;

/** Valid ISBN-13s, a new one per call, for benchmarks that need books to collide on one. */
final class Isbns {

    private static final AtomicLong NEXT = new AtomicLong();

    private Isbns() {
    }

    /** 978 and nine digits of a counter, then the check digit. */
    static String next() {
        String digits = String.format("978%09d", NEXT.getAndIncrement());
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (digits.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
        }
        return digits + (10 - sum % 10) % 10;
    }
}
