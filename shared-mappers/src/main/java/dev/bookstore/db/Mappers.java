package dev.bookstore.db;

import dev.bookstore.mapper.BookMapper;
import dev.bookstore.mapper.ChangeEventMapper;
import dev.bookstore.mapper.OutcomeMapper;
import dev.bookstore.mapper.RetentionMapper;
import dev.bookstore.mapper.ReviewMapper;
import org.apache.ibatis.session.SqlSession;

/** The mappers of one session: what a unit of work sees, instead of the session itself. */
public final class Mappers {

    private final SqlSession session;

    Mappers(SqlSession session) {
        this.session = session;
    }

    public BookMapper books() {
        return session.getMapper(BookMapper.class);
    }

    public ReviewMapper reviews() {
        return session.getMapper(ReviewMapper.class);
    }

    public ChangeEventMapper events() {
        return session.getMapper(ChangeEventMapper.class);
    }

    public OutcomeMapper outcomes() {
        return session.getMapper(OutcomeMapper.class);
    }

    public RetentionMapper retention() {
        return session.getMapper(RetentionMapper.class);
    }
}
