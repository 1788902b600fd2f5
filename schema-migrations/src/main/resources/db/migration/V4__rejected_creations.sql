-- A rejected command now records the id of the resource it would have created, so a review of a book whose
-- CreateBook was rejected is rejected BOOK_REJECTED at once instead of waiting hours for a book that will never
-- come. This finds those ids; the writer role already reads command_outcomes, so no grant changes.
CREATE INDEX command_outcomes_rejected_creations ON command_outcomes (resource_id)
    WHERE status = 'REJECTED' AND resource_id IS NOT NULL;
