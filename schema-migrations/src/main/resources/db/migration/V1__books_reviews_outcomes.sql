-- Books, their reviews, and the outcome of every command the writers have seen.
-- Every rule the API validates is enforced here too, so a message sent straight
-- to a queue (or a future bug) cannot store what the API would have refused.

-- ISBN-10 (last character may be X) or ISBN-13 (978/979 prefix), checksum included.
CREATE FUNCTION isbn_is_valid(isbn text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE
    WHEN isbn ~ '^[0-9]{9}[0-9X]$' THEN
      (SELECT sum((11 - i) * CASE substr(isbn, i, 1) WHEN 'X' THEN 10 ELSE substr(isbn, i, 1)::int END)
         FROM generate_series(1, 10) AS i) % 11 = 0
    WHEN isbn ~ '^97[89][0-9]{10}$' THEN
      (SELECT sum(CASE WHEN i % 2 = 1 THEN 1 ELSE 3 END * substr(isbn, i, 1)::int)
         FROM generate_series(1, 13) AS i) % 10 = 0
    ELSE false
  END
$$;

-- The ISBN-13 form of a valid ISBN, so that the ISBN-10 and ISBN-13 of one edition collide.
CREATE FUNCTION isbn13_of(isbn text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE length(isbn)
    WHEN 13 THEN isbn
    WHEN 10 THEN '978' || substr(isbn, 1, 9) || (
      (10 - (SELECT sum(CASE WHEN i % 2 = 1 THEN 1 ELSE 3 END * substr('978' || isbn, i, 1)::int)
               FROM generate_series(1, 12) AS i) % 10) % 10)::text
  END
$$;

CREATE TABLE books (
    id          uuid         PRIMARY KEY,
    title       varchar(200) NOT NULL,
    author      varchar(100) NOT NULL,
    publisher   varchar(100) NOT NULL,
    year        smallint     NOT NULL,
    isbn        varchar(13),
    isbn13      char(13)     GENERATED ALWAYS AS (isbn13_of(isbn)) STORED,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    command_id  uuid         NOT NULL,
    CONSTRAINT books_command_id_key   UNIQUE (command_id),
    CONSTRAINT books_isbn_key         UNIQUE (isbn13),
    CONSTRAINT books_title_text       CHECK (title ~ '\S' AND title !~ '[[:cntrl:]]'),
    CONSTRAINT books_author_text      CHECK (author ~ '\S' AND author !~ '[[:cntrl:]]'),
    CONSTRAINT books_publisher_text   CHECK (publisher ~ '\S' AND publisher !~ '[[:cntrl:]]'),
    CONSTRAINT books_year_range       CHECK (year BETWEEN 1450 AND 2100),
    CONSTRAINT books_isbn_valid       CHECK (isbn_is_valid(isbn))
);

-- Keyset reads: newest first, and newest first of one author.
CREATE INDEX books_newest_idx           ON books (created_at DESC, id DESC);
CREATE INDEX books_by_author_newest_idx ON books (author, created_at DESC, id DESC);

CREATE TABLE reviews (
    id          uuid         PRIMARY KEY,
    book_id     uuid         NOT NULL,
    reviewer    varchar(100) NOT NULL,
    rating      smallint     NOT NULL,
    text        varchar(500),
    created_at  timestamptz  NOT NULL DEFAULT now(),
    command_id  uuid         NOT NULL,
    CONSTRAINT reviews_book_id_fkey     FOREIGN KEY (book_id) REFERENCES books (id),
    CONSTRAINT reviews_command_id_key   UNIQUE (command_id),
    CONSTRAINT reviews_reviewer_text    CHECK (reviewer ~ '\S' AND reviewer !~ '[[:cntrl:]]'),
    CONSTRAINT reviews_rating_range     CHECK (rating BETWEEN 1 AND 5),
    -- Review text may span lines; no other control characters.
    CONSTRAINT reviews_text_text        CHECK (text ~ '\S' AND text !~ '[\x01-\x08\x0B\x0C\x0E-\x1F\x7F]')
);

-- A book's reviews newest first; rating included so the count and average are index-only.
CREATE INDEX reviews_of_book_newest_idx ON reviews (book_id, created_at DESC, id DESC) INCLUDE (rating);

CREATE TABLE command_outcomes (
    command_id   uuid          PRIMARY KEY,
    -- NULL only when the message could not be decoded far enough to know its type.
    type         varchar(50),
    status       varchar(8)    NOT NULL,
    reason       varchar(50),
    detail       varchar(1000),
    resource_id  uuid,
    recorded_at  timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT command_outcomes_type_name        CHECK (type ~ '^[A-Z][A-Za-z0-9]*$'),
    CONSTRAINT command_outcomes_status_known     CHECK (status IN ('APPLIED', 'REJECTED')),
    CONSTRAINT command_outcomes_reason_code      CHECK (reason ~ '^[A-Z][A-Z0-9_]*$'),
    CONSTRAINT command_outcomes_rejected_reason  CHECK ((status = 'REJECTED') = (reason IS NOT NULL)),
    CONSTRAINT command_outcomes_applied_resource CHECK (status <> 'APPLIED' OR (resource_id IS NOT NULL AND type IS NOT NULL))
);
