
-- ---------------------------------------------------------------------------
-- Feedback sentiment: reviews, chats, e-mails and survey comments scored in
-- French and English by a lexicon-and-rules scorer written for this project
-- (src/sentiment.c), and a customer's mood over time.  The lexicons ship in
-- cu_sentiment_lexicon (91_..93_*.sql); the user's own words, in
-- cu_sentiment_words, extend or override them.
-- ---------------------------------------------------------------------------

CREATE TABLE cu_sentiment_lexicon (
	lang    text NOT NULL CHECK (lang IN ('en', 'fr', '*')),
	term    text NOT NULL,
	valence float8 NOT NULL CHECK (valence BETWEEN -4 AND 4),
	kind    text NOT NULL DEFAULT 'word' CHECK (kind IN ('word', 'booster')),
	builtin boolean NOT NULL DEFAULT true,
	PRIMARY KEY (lang, term)
);
COMMENT ON TABLE cu_sentiment_lexicon IS
'The shipped sentiment lexicons: for each language (en, fr; * for emoji and emoticons) words and expressions with a valence in [-4, 4] (kind word) or the relative change a booster gives the next sentiment word (kind booster: very 0.3, slightly -0.3); French adjectives in the masculine singular (the scorer finds déçue, déçus, déçues); edit cu_sentiment_words, not this table';

CREATE TABLE cu_sentiment_words (
	lang    text NOT NULL CHECK (lang IN ('en', 'fr', '*')),
	term    text NOT NULL CHECK (term = lower(term) AND term <> ''),
	valence float8 NOT NULL CHECK (valence BETWEEN -4 AND 4),
	kind    text NOT NULL DEFAULT 'word' CHECK (kind IN ('word', 'booster')),
	PRIMARY KEY (lang, term)
);
COMMENT ON TABLE cu_sentiment_words IS
'Your own sentiment words and expressions (lower case), in the form of cu_sentiment_lexicon: they extend it, and replace its entry for the same language and term; scorers see a change from their next query';
SELECT pg_catalog.pg_extension_config_dump('cu_sentiment_words', '');

CREATE TABLE cu_sentiment_version (
	version bigint NOT NULL
);
INSERT INTO cu_sentiment_version VALUES (0);
COMMENT ON TABLE cu_sentiment_version IS
'A counter raised by every change to cu_sentiment_words, so that each backend reloads its lexicons (internal)';

CREATE FUNCTION cu_sentiment_words_changed() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	UPDATE @extschema@.cu_sentiment_version SET version = version + 1;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION cu_sentiment_words_changed() IS
'Raises cu_sentiment_version when cu_sentiment_words changes (internal)';
CREATE TRIGGER cu_sentiment_words_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cu_sentiment_words
	FOR EACH STATEMENT EXECUTE FUNCTION cu_sentiment_words_changed();

CREATE FUNCTION cu_sentiment(feedback text, lang text DEFAULT NULL) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_sentiment'
	LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_sentiment(text, text) IS
'The sentiment of a feedback text in [-1, 1] (negative to positive; 0 for a text without words); lang ''en'' or ''fr'', NULL to detect; NULL text gives NULL';

CREATE FUNCTION cu_sentiment_detail(feedback text, lang text DEFAULT NULL) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'cu_sentiment_detail'
	LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_sentiment_detail(text, text) IS
'The sentiment of a feedback text with its reasons: score, label (negative at -0.15 or below, positive at 0.15 or above, else neutral), positive, negative and neutral shares, the language, the words (text, valence, counted, rules) and the text-level rules';

CREATE FUNCTION cu_mood_step(float8[], float8, timestamptz) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'cu_mood_step' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION cu_mood_step(float8[], float8, timestamptz, interval) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'cu_mood_step' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cu_mood_combine(float8[], float8[]) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'cu_mood_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cu_mood_final(float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'cu_mood_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_mood_step(float8[], float8, timestamptz) IS 'Transition function of cu_mood (internal)';
COMMENT ON FUNCTION cu_mood_step(float8[], float8, timestamptz, interval) IS 'Transition function of cu_mood with a half-life (internal)';
COMMENT ON FUNCTION cu_mood_combine(float8[], float8[]) IS 'Combine function of cu_mood (internal)';
COMMENT ON FUNCTION cu_mood_final(float8[]) IS 'Final function of cu_mood: the weighted mean (internal)';
CREATE AGGREGATE cu_mood(score float8, at timestamptz) (
	SFUNC = cu_mood_step, STYPE = float8[], FINALFUNC = cu_mood_final, COMBINEFUNC = cu_mood_combine,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_mood(float8, timestamptz) IS
'A customer''s current mood: the mean of sentiment scores, each weighing half as much for every customer_unify.mood_half_life days (30) it is older than the latest';
CREATE AGGREGATE cu_mood(score float8, at timestamptz, half_life interval) (
	SFUNC = cu_mood_step, STYPE = float8[], FINALFUNC = cu_mood_final, COMBINEFUNC = cu_mood_combine,
	PARALLEL = SAFE);
COMMENT ON AGGREGATE cu_mood(float8, timestamptz, interval) IS
'A customer''s current mood with the half-life as an argument';

CREATE FUNCTION cu_mood_symbol(mood float8) RETURNS text
	AS 'MODULE_PATHNAME', 'cu_mood_symbol'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cu_mood_symbol(float8) IS
'A pictogram of a mood for a card: 😠 (-0.5 or below), 🙁 (to -0.15), 😐, 🙂 (0.15 and above), 😀 (0.5 and above); ❔ for NULL';
