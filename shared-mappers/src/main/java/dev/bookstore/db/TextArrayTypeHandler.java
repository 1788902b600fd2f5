package dev.bookstore.db;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/**
 * A list of texts bound as one PostgreSQL {@code text[]} parameter (see {@link Columns}); the statement casts it to
 * the column's array type. Registered as {@code textArray}; write-only, as nothing reads arrays back.
 */
public final class TextArrayTypeHandler extends BaseTypeHandler<List<String>> {

    @Override
    public void setNonNullParameter(PreparedStatement ps, int i, List<String> texts, JdbcType jdbcType) throws SQLException {
        ps.setArray(i, ps.getConnection().createArrayOf("text", texts.toArray()));
    }

    @Override
    public List<String> getNullableResult(ResultSet rs, String columnName) {
        throw new UnsupportedOperationException("text arrays are parameters only");
    }

    @Override
    public List<String> getNullableResult(ResultSet rs, int columnIndex) {
        throw new UnsupportedOperationException("text arrays are parameters only");
    }

    @Override
    public List<String> getNullableResult(CallableStatement cs, int columnIndex) {
        throw new UnsupportedOperationException("text arrays are parameters only");
    }
}
