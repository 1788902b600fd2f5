package dev.bookstore.db;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Rows passed to a statement column by column: each column one array parameter, which the statement casts and
 * {@code unnest}s ({@code INSERT … SELECT … FROM unnest(CAST(#{c.id,typeHandler=textArray} AS uuid[]), …)}). The SQL
 * then has no {@code <foreach>}: it is the same text for one row or a thousand, so MyBatis parses it once at start
 * instead of on every batch, and the server gets one statement with one parameter per column.
 *
 * @param <T> the row type
 */
public final class Columns<T> {

    private final List<T> rows;
    private final Map<String, List<String>> columns = new LinkedHashMap<>();

    private Columns(List<T> rows) {
        this.rows = rows;
    }

    public static <T> Columns<T> of(List<T> rows) {
        return new Columns<>(rows);
    }

    /** A column: each row's value as text (null stays null), for the statement to cast to the column's type. */
    public Columns<T> column(String name, Function<T, ?> value) {
        List<String> texts = new ArrayList<>(rows.size());
        for (T row : rows) {
            Object v = value.apply(row);
            texts.add(v == null ? null : v.toString());
        }
        columns.put(name, texts);
        return this;
    }

    /** The parameter the statement names as {@code c}. */
    public Map<String, List<String>> build() {
        return columns;
    }
}
