/*
 * sentiment.c
 *	  Feedback sentiment in French and English: a lexicon-and-rules scorer
 *	  (cu_sentiment, cu_sentiment_detail), a customer's mood over time (the
 *	  aggregate cu_mood) and its pictogram (cu_mood_symbol).
 *
 * The text is read once, left to right, into tokens (words, emoji and
 * emoticons, ratings such as "1/5" or "★★☆☆☆", punctuation); each word is
 * looked up in the lexicon of its language (cu_sentiment_lexicon, overridden
 * by the user's cu_sentiment_words), as written, without accents, and for
 * French without the feminine and plural endings; the longest multi-word
 * expression wins.  Rules then shape each valence: boosters before it
 * ("très", "very", "un peu"), negation in scope ("ne ... pas", "not",
 * "n't", "sans"), contrast ("mais", "but": the clause after weighs more),
 * capitals and elongated letters, and "!" or "?" runs at the end of a
 * sentence.  The sum of valences is squashed into [-1, 1].
 *
 * The lexicons are loaded once per backend (and again when cu_sentiment_words
 * changes, seen through cu_sentiment_version once per query).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "customer_unify.h"
#include "golden.h"
#include "normalize.h"

/* Languages; '*' entries (emoji, emoticons) go to both. */
#define LANG_EN 0
#define LANG_FR 1
#define NUM_LANGS 2

#define MAX_TERM_BYTES 96		/* longer tokens are never in the lexicon */
#define MAX_PHRASE_WORDS 4		/* longest multi-word expression tried */

/* Rule weights. */
#define NEGATION_FACTOR (-0.7)	/* "not good" is mildly bad, "not bad" mildly good */
#define NEGATION_SCOPE 3		/* words after a negator it reaches */
#define BOOSTER_SCOPE 2			/* words after a booster it reaches */
#define CONTRAST_BEFORE 0.5		/* the clause before "but" */
#define CONTRAST_AFTER 1.5		/* and after */
#define CAPS_FACTOR 1.3			/* a word in capitals in a text that is not */
#define ELONGATION_FACTOR 1.2	/* "suuuper" */
#define EXCLAMATION_STEP 0.25	/* per "!" at the end of a sentence, up to 4 */
#define QUESTION_STEP 0.15		/* per "?" in a run of two or more, up to 3 */
#define RATING_WEIGHT 1.5		/* a rating counts this much beside words */
#define SQUASH 3.2				/* score = tanh(sum / SQUASH) */
#define LABEL_THRESHOLD 0.15	/* |score| below this: neutral */

/* ---------------------------------------------------------------------------
 * Lexicon
 * ---------------------------------------------------------------------------
 */

typedef struct LexEntry
{
	char		key[MAX_TERM_BYTES + 1];	/* hash key: the term (lower case) */
	float		valence[NUM_LANGS];
	char		kind[NUM_LANGS];	/* 0 absent, 'w' word, 'b' booster */
	bool		phrase_prefix[NUM_LANGS];	/* begins a longer expression */
	uint8		flags;			/* grammar words: LEX_* below */
	const char *fr_base;		/* an irregular French form: its lexicon form */
} LexEntry;

/* Grammar words, marked in the same table so that one lookup tells. */
#define LEX_STOP_EN 0x01		/* common words, for language detection */
#define LEX_STOP_FR 0x02
#define LEX_NEG_EN 0x04			/* negators */
#define LEX_NEG_FR 0x08
#define LEX_CONTRAST_EN 0x10	/* contrast */
#define LEX_CONTRAST_FR 0x20

typedef struct Lexicon
{
	HTAB	   *terms;
	int64		version;
	bool		loaded;
	char	   *nsp;
	int			nterms;
} Lexicon;

static Lexicon lexicon = {NULL, -1, false, NULL, 0};

/* Lower-case and fold accents of a UTF-8 string into out (NUL-terminated). */
static int
FoldUtf8(const char *s, int len, char *out, int outcap, bool strip_accents)
{
	int			o = 0;
	int			i = 0;

	while (i < len)
	{
		int			l = pg_utf_mblen((const unsigned char *) s + i);
		pg_wchar	c;
		const char *rep = NULL;
		char		buf[8];
		int			rl;

		if (i + l > len)
			break;
		c = utf8_to_unicode((const unsigned char *) s + i);
		i += l;
		if (c >= 'A' && c <= 'Z')
			c += 32;
		else if ((c >= 0xC0 && c <= 0xDE && c != 0xD7))
			c += 32;
		else if (c == 0x152)
			c = 0x153;			/* Œ */
		else if (c == 0x178)
			c = 0xFF;
		else if (c == 0x2019 || c == 0x2018 || c == 0x2BC)
			c = '\'';
		if (strip_accents && c >= 0xE0 && c <= 0xFF)
		{
			static const char *const latin1[32] = {
				"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
				"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y"};

			rep = latin1[c - 0xE0];
		}
		else if (strip_accents && c == 0x153)
			rep = "oe";
		if (rep != NULL)
		{
			rl = strlen(rep);
			memcpy(buf, rep, rl);
		}
		else
		{
			unicode_to_utf8(c, (unsigned char *) buf);
			rl = pg_utf_mblen((unsigned char *) buf);
		}
		if (o + rl >= outcap)
			return -1;
		memcpy(out + o, buf, rl);
		o += rl;
	}
	out[o] = '\0';
	return o;
}

static LexEntry *
LexFind(const char *key)
{
	if (strlen(key) > MAX_TERM_BYTES)
		return NULL;
	return (LexEntry *) hash_search(lexicon.terms, key, HASH_FIND, NULL);
}

/* The entry of a key, made (empty) if new. */
static LexEntry *
LexEnter(const char *key)
{
	bool		found;
	LexEntry   *e = hash_search(lexicon.terms, key, HASH_ENTER, &found);

	if (!found)
		memset((char *) e + sizeof(e->key), 0, sizeof(LexEntry) - sizeof(e->key));
	return e;
}

/* Add a term (and its form without accents, unless taken) to a language. */
static void
LexAdd(const char *term, int lang, double valence, char kind)
{
	char		folded[2][MAX_TERM_BYTES + 1];
	int			nwords = 1;

	for (const char *p = term; *p; p++)
		if (*p == ' ')
			nwords++;
	if (nwords > MAX_PHRASE_WORDS)
		return;
	for (int f = 0; f < 2; f++)
	{
		bool		found;
		LexEntry   *e;

		if (FoldUtf8(term, strlen(term), folded[f], sizeof(folded[f]), f == 1) < 0)
			return;
		if (f == 1 && strcmp(folded[0], folded[1]) == 0)
			break;
		e = hash_search(lexicon.terms, folded[f], HASH_ENTER, &found);
		if (!found)
			memset((char *) e + sizeof(e->key), 0, sizeof(LexEntry) - sizeof(e->key));
		/* an exact form beats a form stripped of its accents */
		if (f == 0 || e->kind[lang] == 0)
		{
			e->valence[lang] = valence;
			e->kind[lang] = kind;
		}
		/* the prefixes of a phrase, so that the longest match can be found */
		if (nwords > 1)
		{
			char		prefix[MAX_TERM_BYTES + 1];

			strlcpy(prefix, folded[f], sizeof(prefix));
			for (char *sp = strrchr(prefix, ' '); sp != NULL; sp = strrchr(prefix, ' '))
			{
				LexEntry   *pe;

				*sp = '\0';
				pe = hash_search(lexicon.terms, prefix, HASH_ENTER, &found);
				if (!found)
					memset((char *) pe + sizeof(pe->key), 0, sizeof(LexEntry) - sizeof(pe->key));
				pe->phrase_prefix[lang] = true;
			}
		}
	}
}

static void MarkGrammar(void);

/* The schema of the extension, from the function called. */
static char *
SchemaOf(FunctionCallInfo fcinfo)
{
	return (char *) quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));
}

/*
 * Make sure the lexicon is loaded and current: once per query (fn_extra
 * marks the query), the version of the user's words is read.
 */
static void
EnsureLexicon(FunctionCallInfo fcinfo)
{
	char	   *nsp;
	int64		version;
	bool		isnull;

	if (fcinfo->flinfo->fn_extra != NULL && lexicon.loaded)
		return;
	nsp = SchemaOf(fcinfo);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute(psprintf("SELECT version FROM %s.cu_sentiment_version", nsp), true, 1) != SPI_OK_SELECT)
		elog(ERROR, "customer_unify: cannot read cu_sentiment_version");
	version = SPI_processed == 1 ?
		DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)) : 0;
	if (!lexicon.loaded || lexicon.version != version || lexicon.nsp == NULL || strcmp(lexicon.nsp, nsp) != 0)
	{
		HASHCTL		ctl;
		const char *q = psprintf(
			"SELECT lang, term, valence, kind, 0 AS prio FROM %s.cu_sentiment_lexicon "
			"UNION ALL SELECT lang, term, valence, kind, 1 FROM %s.cu_sentiment_words "
			"ORDER BY 5", nsp, nsp);

		if (lexicon.terms != NULL)
			hash_destroy(lexicon.terms);
		lexicon.loaded = false;
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = MAX_TERM_BYTES + 1;
		ctl.entrysize = sizeof(LexEntry);
		ctl.hcxt = TopMemoryContext;
		lexicon.terms = hash_create("customer_unify sentiment lexicon", 16384, &ctl,
									HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
		if (SPI_execute(q, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "customer_unify: cannot read the sentiment lexicon");
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			HeapTuple	t = SPI_tuptable->vals[i];
			TupleDesc	d = SPI_tuptable->tupdesc;
			char	   *lang = TextDatumGetCString(SPI_getbinval(t, d, 1, &isnull));
			char	   *term = TextDatumGetCString(SPI_getbinval(t, d, 2, &isnull));
			double		valence = DatumGetFloat8(SPI_getbinval(t, d, 3, &isnull));
			char	   *kind = TextDatumGetCString(SPI_getbinval(t, d, 4, &isnull));
			char		k = strcmp(kind, "booster") == 0 ? 'b' : 'w';

			if (strcmp(lang, "en") == 0 || strcmp(lang, "*") == 0)
				LexAdd(term, LANG_EN, valence, k);
			if (strcmp(lang, "fr") == 0 || strcmp(lang, "*") == 0)
				LexAdd(term, LANG_FR, valence, k);
		}
		MarkGrammar();
		lexicon.nterms = SPI_processed;
		lexicon.version = version;
		if (lexicon.nsp)
			pfree(lexicon.nsp);
		lexicon.nsp = MemoryContextStrdup(TopMemoryContext, nsp);
		lexicon.loaded = true;
	}
	SPI_finish();
	fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, 1);
}

/* ---------------------------------------------------------------------------
 * Tokens
 * ---------------------------------------------------------------------------
 */

typedef enum TokKind
{
	TOK_WORD,
	TOK_EMOJI,					/* an emoji or an emoticon: looked up as is */
	TOK_RATING,					/* value: the rating in [0, 1] */
	TOK_EXCLAIM,				/* count: "!" in the run */
	TOK_QUESTION,
	TOK_BREAK,					/* end of a sentence */
	TOK_COMMA					/* end of a clause */
} TokKind;

typedef struct Token
{
	TokKind		kind;
	int			start;			/* bytes in the UTF-8 text */
	int			len;
	int			count;
	double		rating;
	bool		caps;			/* all capitals, two letters or more */
	bool		elongated;		/* three same letters in a row */
} Token;

typedef struct TokenList
{
	Token	   *t;
	int			n;
	int			cap;
} TokenList;

static Token *
NewToken(TokenList *tl, TokKind kind, int start, int len)
{
	Token	   *t;

	if (tl->n == tl->cap)
	{
		tl->cap *= 2;
		tl->t = repalloc_huge(tl->t, sizeof(Token) * tl->cap);
	}
	t = &tl->t[tl->n++];
	memset(t, 0, sizeof(Token));
	t->kind = kind;
	t->start = start;
	t->len = len;
	return t;
}

static bool
IsLetter(pg_wchar c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	if (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7)
		return true;
	/* other alphabets and scripts: Greek to CJK */
	return (c >= 0x370 && c < 0x2000) || (c >= 0x3040 && c < 0xA000) || (c >= 0xAC00 && c < 0xD7B0);
}

static bool
IsEmoji(pg_wchar c)
{
	return (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) ||
		c == 0x2B50 || c == 0x2B55 || c == 0x3030 || c == 0x303D || c == 0x2122;
}

static bool
IsUpper(pg_wchar c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7);
}

/* Emoticons made of punctuation, longest first. */
static const char *const emoticons[] = {
	":'-(", ":'-)", ">:-(", "</3", ":-)", ":-(", ":-D", ":-P", ":-p", ":-/", ":-|", ";-)", ":'(", ":')", ">:(",
	"^_^", "^^", "-_-", ":)", ":(", ":D", ":P", ":p", ":/", ":|", ";)", "=)", "=(", ":o", ":O", "<3", ":*", "xD", "XD",
	NULL
};

/* A rating such as "4/5", "9/10", "4,5/5" or "2 sur 5" starting at digit i. */
static bool
ParseRating(const char *s, int len, int i, int *end, double *value)
{
	double		num = 0;
	double		den = 0;
	int			j = i;
	double		frac = 0.1;

	while (j < len && isdigit((unsigned char) s[j]))
		num = num * 10 + (s[j++] - '0');
	if (j < len - 1 && (s[j] == '.' || s[j] == ',') && isdigit((unsigned char) s[j + 1]))
	{
		j++;
		while (j < len && isdigit((unsigned char) s[j]))
		{
			num += (s[j++] - '0') * frac;
			frac /= 10;
		}
	}
	{
		int			k = j;

		while (k < len && s[k] == ' ')
			k++;
		if (k < len && s[k] == '/')
			k++;
		else if (k + 3 <= len && strncmp(s + k, "sur", 3) == 0)
			k += 3;
		else if (k + 6 <= len && strncmp(s + k, "out of", 6) == 0)
			k += 6;
		else
			return false;
		while (k < len && s[k] == ' ')
			k++;
		if (k >= len || !isdigit((unsigned char) s[k]))
			return false;
		while (k < len && isdigit((unsigned char) s[k]))
			den = den * 10 + (s[k++] - '0');
		if ((den != 5 && den != 10 && den != 20 && den != 100) || num > den)
			return false;
		*end = k;
		*value = num / den;
		return true;
	}
}

/*
 * Split a UTF-8 text into tokens, once.  French elisions ("n'", "l'",
 * "qu'") become words of their own; English "n't" too.
 */
static void
Tokenize(const char *s, int len, TokenList *tl)
{
	int			i = 0;

	while (i < len)
	{
		unsigned char ch = (unsigned char) s[i];
		int			l = pg_utf_mblen((const unsigned char *) s + i);
		pg_wchar	c;

		if ((tl->n & 4095) == 4095)
			CHECK_FOR_INTERRUPTS();
		if (i + l > len)
			break;
		c = utf8_to_unicode((const unsigned char *) s + i);

		/* emoticons before punctuation */
		if (ch == ':' || ch == ';' || ch == '=' || ch == '<' || ch == '>' || ch == '^' || ch == '-' ||
			ch == 'x' || ch == 'X')
		{
			bool		matched = false;

			for (int e = 0; emoticons[e] != NULL; e++)
			{
				int			el = strlen(emoticons[e]);

				if (i + el <= len && memcmp(s + i, emoticons[e], el) == 0 &&
					(i + el == len || !IsLetter((unsigned char) s[i + el])) &&
					(i == 0 || !IsLetter((unsigned char) s[i - 1])))
				{
					NewToken(tl, TOK_EMOJI, i, el);
					i += el;
					matched = true;
					break;
				}
			}
			if (matched)
				continue;
		}
		if (IsLetter(c))
		{
			int			start = i;
			int			upper = 0;
			int			letters = 0;
			int			run = 1;
			bool		elongated = false;
			pg_wchar	prev = 0;
			Token	   *t;

			while (i < len)
			{
				pg_wchar	d;
				int			dl = pg_utf_mblen((const unsigned char *) s + i);

				if (i + dl > len)
					break;
				d = utf8_to_unicode((const unsigned char *) s + i);
				if (IsLetter(d) || (d >= '0' && d <= '9'))
				{
					letters++;
					upper += IsUpper(d);
					run = (d == prev) ? run + 1 : 1;
					if (run >= 3 && IsLetter(d))
						elongated = true;
					prev = d;
					i += dl;
					continue;
				}
				if (d == '\'' || d == 0x2019)
				{
					int			wl = i - start;
					int			al = (d == '\'') ? 1 : 3;

					/* "n't": the word before, then the negation */
					if (wl >= 2 && (s[i - 1] == 'n' || s[i - 1] == 'N') && i + al < len &&
						(s[i + al] == 't' || s[i + al] == 'T') &&
						(i + al + 1 >= len || !IsLetter((unsigned char) s[i + al + 1])))
					{
						t = NewToken(tl, TOK_WORD, start, wl - 1);
						t->caps = upper >= 2 && upper == letters - 1;
						NewToken(tl, TOK_WORD, i - 1, al + 2);
						i += al + 1;
						start = -1;
						break;
					}
					/* French elision: "l'", "n'", "qu'", "jusqu'" */
					if (wl <= 6 && i + al < len && IsLetter((unsigned char) s[i + al]) &&
						(wl == 1 || (wl == 2 && (s[i - 2] == 'q' || s[i - 2] == 'Q')) ||
						 (wl >= 5 && (s[i - 2] == 'q' || s[i - 2] == 'Q'))))
					{
						NewToken(tl, TOK_WORD, start, wl + al);
						i += al;
						start = i;
						letters = upper = 0;
						run = 1;
						prev = 0;
						continue;
					}
					/* "it's", "customer's": the word alone */
					break;
				}
				break;
			}
			if (start < 0)
				continue;
			t = NewToken(tl, TOK_WORD, start, i - start);
			t->caps = letters >= 2 && upper == letters;
			t->elongated = elongated;
			/* skip what follows an apostrophe we did not split on ('s) */
			if (i < len && (s[i] == '\''))
			{
				i++;
				while (i < len && IsLetter((unsigned char) s[i]))
					i++;
			}
			continue;
		}
		if (ch >= '0' && ch <= '9')
		{
			int			end;
			double		v;

			if (ParseRating(s, len, i, &end, &v))
			{
				Token	   *t = NewToken(tl, TOK_RATING, i, end - i);

				t->rating = v;
				i = end;
				continue;
			}
			/* "0 étoile", "5 stars", "1 star" */
			{
				int			j = i;
				int			n = 0;

				while (j < len && isdigit((unsigned char) s[j]))
					n = n * 10 + (s[j++] - '0');
				while (j < len && s[j] == ' ')
					j++;
				if (n <= 5 && ((j + 4 <= len && strncmp(s + j, "star", 4) == 0) ||
							   (j + 7 <= len && strncmp(s + j, "\xc3\xa9toile", 7) == 0) ||
							   (j + 6 <= len && strncmp(s + j, "etoile", 6) == 0)))
				{
					Token	   *t = NewToken(tl, TOK_RATING, i, 0);

					t->rating = n / 5.0;
					/* the word: star(s), étoile(s) */
					while (j < len && (IsLetter((unsigned char) s[j]) || (unsigned char) s[j] >= 0x80))
						j++;
					t->len = j - i;
					i = j;
					continue;
				}
				i = j > i ? j : i + 1;
				continue;
			}
		}
		if (c == 0x2605 || c == 0x2606)
		{
			/* stars: ★★☆☆☆ is two of five */
			int			full = 0;
			int			all = 0;
			int			start = i;

			while (i < len)
			{
				pg_wchar	d = utf8_to_unicode((const unsigned char *) s + i);

				if (d != 0x2605 && d != 0x2606)
					break;
				full += d == 0x2605;
				all++;
				i += pg_utf_mblen((const unsigned char *) s + i);
			}
			if (all >= 3)
			{
				Token	   *t = NewToken(tl, TOK_RATING, start, i - start);

				t->rating = (double) full / all;
			}
			else if (full > 0)
				NewToken(tl, TOK_EMOJI, start, i - start);
			continue;
		}
		if (IsEmoji(c))
		{
			NewToken(tl, TOK_EMOJI, i, l);
			i += l;
			/* variation selectors, skin tones, joiners */
			while (i < len)
			{
				pg_wchar	d = utf8_to_unicode((const unsigned char *) s + i);

				if (d != 0xFE0F && d != 0x200D && !(d >= 0x1F3FB && d <= 0x1F3FF))
					break;
				i += pg_utf_mblen((const unsigned char *) s + i);
			}
			continue;
		}
		if (ch == '!' || ch == '?')
		{
			Token	   *t = NewToken(tl, ch == '!' ? TOK_EXCLAIM : TOK_QUESTION, i, 0);

			while (i < len && (s[i] == '!' || s[i] == '?'))
			{
				t->count += (s[i] == ch);
				i++;
			}
			NewToken(tl, TOK_BREAK, i, 0);
			continue;
		}
		if (ch == '.' || ch == '\n' || ch == ';' || ch == ':' || c == 0x2026)
			NewToken(tl, TOK_BREAK, i, 0);
		else if (ch == ',' || ch == '(' || ch == ')' || c == 0x2013 || c == 0x2014)
			NewToken(tl, TOK_COMMA, i, 0);
		i += l;
	}
	NewToken(tl, TOK_BREAK, len, 0);
}

/* ---------------------------------------------------------------------------
 * Scoring
 * ---------------------------------------------------------------------------
 */

/*
 * A word's lookup form: folded (lower case); with elongated = 2 or 1, runs of
 * three or more same letters cut to two ("cooool" -> "cool") or to one
 * ("suuuper" -> "super").
 */
static int
WordKeyCut(const char *s, int len, char *out, int outcap, int elongated, bool strip_accents)
{
	int			n = FoldUtf8(s, len, out, outcap, strip_accents);

	if (n > 0 && elongated > 0)
	{
		int			w = 0;
		int			r = 0;

		while (r < n)
		{
			int			run = 1;

			while (r + run < n && out[r + run] == out[r])
				run++;
			for (int k = 0; k < (run >= 3 ? elongated : run); k++)
				out[w++] = out[r];
			r += run;
		}
		out[w] = '\0';
		n = w;
	}
	return n;
}

static int
WordKey(const char *s, int len, char *out, int outcap, bool elongated, bool strip_accents)
{
	return WordKeyCut(s, len, out, outcap, elongated ? 2 : 0, strip_accents);
}

/* Negators and contrast words (word keys, accents stripped). */
static const char *const negators_en[] = {"not", "n't", "never", "no", "nothing", "nobody", "none", "nor",
"neither", "without", "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "wasnt", "wont", "wouldnt",
"shouldnt", "couldnt", "arent", "werent", "havent", "hasnt", "hadnt", "aint", "lack", "lacks", "lacking", NULL};
static const char *const negators_fr[] = {"pas", "jamais", "aucun", "aucune", "sans", "rien", "personne",
"ni", "guere", "nullement", "non", NULL};
static const char *const contrast_en[] = {"but", "however", "although", "though", "yet", "nevertheless",
"nonetheless", "whereas", NULL};
static const char *const contrast_fr[] = {"mais", "cependant", "pourtant", "toutefois", "neanmoins",
"malgre", "sauf", "contre", NULL};	/* "contre" for "par contre" */

/*
 * French word endings that can be taken off to find the lexicon's form
 * (masculine singular), tried in order; the first form found wins.
 */
static const char *const fr_endings[][2] = {
	{"euses", "eux"}, {"euse", "eux"}, {"euses", "eur"}, {"euse", "eur"}, {"rices", "eur"}, {"rice", "eur"},
	{"ives", "if"}, {"ive", "if"}, {"elles", "el"}, {"elle", "el"}, {"ennes", "en"}, {"enne", "en"},
	{"ettes", "et"}, {"ette", "et"}, {"\xc3\xa8tes", "et"}, {"\xc3\xa8te", "et"}, {"etes", "et"}, {"ete", "et"},
	{"\xc3\xa8res", "er"}, {"\xc3\xa8re", "er"}, {"eres", "er"}, {"ere", "er"}, {"gues", "g"}, {"gue", "g"},
	{"lles", "l"}, {"lle", "l"}, {"aux", "al"}, {"es", ""}, {"s", ""}, {"e", ""}, {"x", ""}, {NULL, NULL}
};

/* Irregular feminines and plurals, and the form the lexicon holds. */
static const char *const fr_irregular[][2] = {
	{"belle", "beau"}, {"belles", "beau"}, {"beaux", "beau"}, {"bel", "beau"}, {"nouvelle", "nouveau"},
	{"nouvelles", "nouveau"}, {"nouveaux", "nouveau"}, {"douce", "doux"}, {"douces", "doux"},
	{"fausse", "faux"}, {"fausses", "faux"}, {"folle", "fou"}, {"folles", "fou"}, {"fous", "fou"},
	{"vieille", "vieux"}, {"vieilles", "vieux"}, {"molle", "mou"}, {"molles", "mou"},
	{"fraiche", "frais"}, {"fraiches", "frais"}, {"seche", "sec"}, {"seches", "sec"}, {"blanche", "blanc"},
	{"franche", "franc"}, {"publique", "public"}, {"longue", "long"}, {"longues", "long"},
	{"mauvaise", "mauvais"}, {"mauvaises", "mauvais"}, {"grosse", "gros"}, {"grosses", "gros"},
	{"basse", "bas"}, {"epaisse", "epais"}, {"gentille", "gentil"}, {"gentilles", "gentil"},
	{"pareille", "pareil"}, {"nulle", "nul"}, {"nulles", "nul"}, {"nuls", "nul"}, {NULL, NULL}
};

/* Common words of each language, for detection. */
static const char *const stop_fr[] = {"le", "la", "les", "de", "des", "du", "et", "est", "je", "j'",
	"pas", "une", "un", "pour", "que", "qui", "tres", "c'", "ce", "il", "elle", "nous", "vous", "mais",
	"avec", "sur", "dans", "au", "aux", "n'", "ne", "l'", "d'", "qu'", "ca", "mon", "ma", "mes", "suis",
	"trop", "plus", "tout", "bien", "rien", "jamais", "sont", "ai", "a", "en", "on", "y", NULL};
static const char *const stop_en[] = {"the", "and", "is", "it", "to", "of", "i", "not", "this", "that",
	"was", "for", "with", "you", "very", "but", "my", "are", "have", "be", "they", "so", "on", "at",
	"an", "its", "film", "movie", "just", "all", "no", "t", "what", "there", "one", "if", "would",
	"than", "too", "more", "much", "really", "about", "as", "by", "from", "or", "he", "she", NULL};

static void
MarkList(const char *const *list, uint8 flag)
{
	for (; *list; list++)
		LexEnter(*list)->flags |= flag;
}

/* Mark the grammar words in the lexicon's table (after loading it). */
static void
MarkGrammar(void)
{
	MarkList(stop_en, LEX_STOP_EN);
	MarkList(stop_fr, LEX_STOP_FR);
	MarkList(negators_en, LEX_NEG_EN);
	MarkList(negators_fr, LEX_NEG_FR);
	MarkList(contrast_en, LEX_CONTRAST_EN);
	MarkList(contrast_fr, LEX_CONTRAST_FR);
	for (int k = 0; fr_irregular[k][0] != NULL; k++)
		LexEnter(fr_irregular[k][0])->fr_base = fr_irregular[k][1];
}

/* Is a word (its key) marked with a flag? */
static bool
LexFlag(const char *key, uint8 flag)
{
	LexEntry   *e = LexFind(key);

	return e != NULL && (e->flags & flag) != 0;
}

/* Look a word up, trying its forms: as written, without accents, uninflected. */
static LexEntry *
LookupWord(const char *s, int len, bool elongated, int lang)
{
	char		key[MAX_TERM_BYTES + 1];
	LexEntry   *e;

	bool		ascii = true;

	if (len > MAX_TERM_BYTES)
		return NULL;
	for (int b = 0; b < len && ascii; b++)
		ascii = !IS_HIGHBIT_SET(s[b]);
	for (int pass = 0; pass < (elongated ? 4 : 2); pass++)
	{
		int			strip = pass % 2;
		int			n;

		/* an ASCII word has no accents to strip: the second pass would repeat the first */
		if (strip == 1 && ascii)
			continue;
		n = WordKeyCut(s, len, key, sizeof(key), elongated ? (pass < 2 ? 2 : 1) : 0, strip == 1);

		if (n <= 0)
			return NULL;
		e = LexFind(key);
		if (e != NULL && e->kind[lang])
			return e;
		if (lang == LANG_FR && e != NULL && e->fr_base != NULL)
		{
			e = LexFind(e->fr_base);
			if (e != NULL && e->kind[lang])
				return e;
		}
		/* the endings all end in e, s, x or g */
		if (lang == LANG_FR)
		{
			if (n > 3 && strchr("esxg", key[n - 1]) == NULL)
				continue;
			for (int k = 0; fr_endings[k][0] != NULL; k++)
			{
				int			el = strlen(fr_endings[k][0]);
				char		stem[MAX_TERM_BYTES + 1];

				if (n - el < 3 || strcmp(key + n - el, fr_endings[k][0]) != 0)
					continue;
				memcpy(stem, key, n - el);
				strcpy(stem + n - el, fr_endings[k][1]);
				e = LexFind(stem);
				if (e != NULL && e->kind[lang])
					return e;
			}
		}
		else if (n > 3 && key[n - 1] == 's')
		{
			key[n - 1] = '\0';
			e = LexFind(key);
			if (e != NULL && e->kind[lang] == 'w')
				return e;
		}
	}
	return NULL;
}

/* What moved the score, for cu_sentiment_detail. */
typedef struct Hit
{
	int			tok;			/* first token */
	int			ntok;
	double		valence;		/* after the rules */
	double		base;
	StringInfoData rules;
} Hit;

typedef struct Scored
{
	double		score;
	double		positive;
	double		negative;
	double		neutral;
	int			lang;
	bool		empty;			/* no letter, emoji or rating */
	int			nhits;
	Hit		   *hits;
	StringInfoData rules;		/* text-level rules applied */
} Scored;

/* Language of a text by its common words (English when unsure). */
static int
DetectLanguage(const char *s, TokenList *tl)
{
	int			fr = 0;
	int			en = 0;
	char		key[MAX_TERM_BYTES + 1];

	for (int i = 0; i < tl->n && i < 400; i++)
	{
		Token	   *t = &tl->t[i];

		if (t->kind != TOK_WORD || t->len > 12)
			continue;
		/* the common words are short */
		if (t->len <= 7 && WordKey(s + t->start, t->len, key, sizeof(key), false, true) > 0)
		{
			LexEntry   *e = LexFind(key);

			if (e != NULL)
			{
				fr += (e->flags & LEX_STOP_FR) != 0;
				en += (e->flags & LEX_STOP_EN) != 0;
			}
		}
		/* letters of French words */
		for (int b = t->start; b < t->start + t->len - 1; b++)
			if ((unsigned char) s[b] == 0xC3 &&
				strchr("\xa0\xa2\xa7\xa8\xa9\xaa\xab\xae\xaf\xb4\xb9\xbb\xbc", s[b + 1]) != NULL)
			{
				fr++;
				break;
			}
	}
	if (fr == en)
		return -1;				/* no evidence: the caller tries both */
	return fr > en ? LANG_FR : LANG_EN;
}

static void
AddRule(StringInfo buf, const char *rule)
{
	if (buf->len > 0)
		appendStringInfoString(buf, ", ");
	appendStringInfoString(buf, rule);
}


/* Does the expression of ntok words from token i hold a negator of lang? */
static bool
PhraseHasNegator(const char *s, const TokenList *tl, int i, int ntok, int lang)
{
	for (int j = i; j < i + ntok && j < tl->n; j++)
	{
		char		key[MAX_TERM_BYTES + 1];

		if (tl->t[j].kind == TOK_WORD &&
			WordKey(s + tl->t[j].start, tl->t[j].len, key, sizeof(key), false, true) > 0 &&
			LexFlag(key, lang == LANG_FR ? LEX_NEG_FR : LEX_NEG_EN))
			return true;
	}
	return false;
}

/*
 * Score tokens.  detail: keep the hits and the rules that moved them.
 */
static void
ScoreTokens(const char *s, TokenList *tl, int lang, bool detail, Scored *out)
{
	double		total = 0;
	double		sentence = 0;	/* this sentence's sum, before its contrast */
	double		before_contrast = 0;
	bool		contrast = false;
	int			neg_left = 0;	/* words still under a negation */
	bool		ne_seen = false;	/* French "ne"/"n'" earlier in the clause */
	double		boost = 0;
	int			boost_left = 0;
	int			sentiment_items = 0;
	int			words = 0;
	int			capital_words = 0;
	int			letter_words = 0;
	bool		has_content = false;
	int			maxhits = 16;

	memset(out, 0, sizeof(Scored));
	out->lang = lang;
	if (detail)
	{
		out->hits = palloc(sizeof(Hit) * maxhits);
		initStringInfo(&out->rules);
	}
	/* capitals are emphasis only in a text that is not all capitals */
	for (int i = 0; i < tl->n; i++)
		if (tl->t[i].kind == TOK_WORD)
		{
			letter_words++;
			capital_words += tl->t[i].caps;
		}
	for (int i = 0; i < tl->n; i++)
	{
		Token	   *t = &tl->t[i];
		LexEntry   *e = NULL;
		int			ntok = 1;
		double		v;
		char		key[MAX_TERM_BYTES + 1];

		if ((i & 4095) == 4095)
			CHECK_FOR_INTERRUPTS();
		switch (t->kind)
		{
			case TOK_BREAK:
			case TOK_EXCLAIM:
			case TOK_QUESTION:
				if (t->kind == TOK_EXCLAIM && sentence != 0)
				{
					double		add = Min(t->count, 4) * EXCLAMATION_STEP;

					sentence += sentence > 0 ? add : -add;
					if (detail)
						AddRule(&out->rules, "exclamation");
				}
				if (t->kind == TOK_QUESTION && t->count >= 2 && sentence != 0)
				{
					double		add = Min(t->count, 3) * QUESTION_STEP;

					sentence += sentence > 0 ? add : -add;
					if (detail)
						AddRule(&out->rules, "question marks");
				}
				if (t->kind == TOK_BREAK)
				{
					total += contrast ? before_contrast * CONTRAST_BEFORE + sentence * CONTRAST_AFTER
						: sentence;
					sentence = before_contrast = 0;
					contrast = false;
					neg_left = 0;
					ne_seen = false;
					boost_left = 0;
				}
				continue;
			case TOK_COMMA:
				neg_left = 0;
				ne_seen = false;
				boost_left = 0;
				continue;
			case TOK_RATING:
				v = (t->rating - 0.5) * 8 * RATING_WEIGHT;
				sentence += v;
				has_content = true;
				sentiment_items++;
				if (v > 0)
					out->positive += v;
				else
					out->negative -= v;
				if (detail)
				{
					if (out->nhits == maxhits)
						out->hits = repalloc(out->hits, sizeof(Hit) * (maxhits *= 2));
					out->hits[out->nhits].tok = i;
					out->hits[out->nhits].ntok = 1;
					out->hits[out->nhits].base = v;
					out->hits[out->nhits].valence = v;
					initStringInfo(&out->hits[out->nhits].rules);
					AddRule(&out->hits[out->nhits].rules, "rating");
					out->nhits++;
				}
				continue;
			case TOK_EMOJI:
				has_content = true;
				if (WordKey(s + t->start, t->len, key, sizeof(key), false, false) > 0)
					e = LexFind(key);
				if (e == NULL || e->kind[lang] != 'w')
				{
					words++;
					continue;
				}
				break;
			case TOK_WORD:
				has_content = true;
				words++;
				if (WordKey(s + t->start, t->len, key, sizeof(key), t->elongated, true) <= 0)
					continue;
				/* grammar words */
				if (lang == LANG_FR && (strcmp(key, "ne") == 0 || strcmp(key, "n'") == 0))
				{
					ne_seen = true;
					neg_left = NEGATION_SCOPE + 1;
					continue;
				}
				if (LexFlag(key, lang == LANG_FR ? LEX_CONTRAST_FR : LEX_CONTRAST_EN))
				{
					/* "par contre", "malgré": contrast words */
					before_contrast += sentence;
					sentence = 0;
					contrast = true;
					neg_left = 0;
					ne_seen = false;
					if (detail)
						AddRule(&out->rules, "contrast");
					continue;
				}
				/* a multi-word expression first, the longest (when this word begins one) */
				e = LexFind(key);
				if (e != NULL && e->phrase_prefix[lang])
				{
					char		phrase[MAX_TERM_BYTES + 1];
					int			plen = 0;
					int			j = i;
					int			best = 0;
					LexEntry   *best_e = NULL;

					for (int w = 0; w < MAX_PHRASE_WORDS && j < tl->n && tl->t[j].kind == TOK_WORD; w++, j++)
					{
						char		wk[MAX_TERM_BYTES + 1];
						int			wl = WordKey(s + tl->t[j].start, tl->t[j].len, wk, sizeof(wk),
												 tl->t[j].elongated, true);
						LexEntry   *pe;

						if (wl <= 0 || plen + wl + 1 > MAX_TERM_BYTES)
							break;
						/* an elided word ("n'") joins the next without a space */
						if (plen > 0 && phrase[plen - 1] != '\'')
							phrase[plen++] = ' ';
						memcpy(phrase + plen, wk, wl + 1);
						plen += wl;
						if (w == 0)
							continue;
						pe = LexFind(phrase);
						if (pe == NULL)
							break;
						if (pe->kind[lang] == 'w')
						{
							best = w + 1;
							best_e = pe;
						}
						if (!pe->phrase_prefix[lang])
							break;
					}
					e = NULL;
					if (best_e != NULL)
					{
						e = best_e;
						ntok = best;
					}
				}
				else
					e = NULL;
				if (e == NULL)
				{
					if (LexFlag(key, lang == LANG_FR ? LEX_NEG_FR : LEX_NEG_EN) ||
						(lang == LANG_FR && strcmp(key, "plus") == 0 && ne_seen))
					{
						/* French: "ne ... pas" reaches the words between and after */
						neg_left = NEGATION_SCOPE;
						continue;
					}
					e = LookupWord(s + t->start, t->len, t->elongated, lang);
				}
				if (e == NULL)
				{
					if (neg_left > 0)
						neg_left--;
					if (boost_left > 0)
						boost_left--;
					continue;
				}
				if (e->kind[lang] == 'b')
				{
					boost = e->valence[lang];
					/* "soooo good": an elongated booster boosts more */
					if (t->elongated)
						boost += boost > 0 ? 0.15 : -0.1;
					boost_left = BOOSTER_SCOPE;
					continue;
				}
				break;
			default:
				continue;
		}

		/* a sentiment word or emoji, and the rules around it */
		v = e->valence[lang];
		{
			double		base = v;
			Hit		   *h = NULL;

			if (detail)
			{
				if (out->nhits == maxhits)
					out->hits = repalloc(out->hits, sizeof(Hit) * (maxhits *= 2));
				h = &out->hits[out->nhits++];
				h->tok = i;
				h->ntok = ntok;
				h->base = base;
				initStringInfo(&h->rules);
			}
			if (boost_left > 0 && boost != 0)
			{
				v *= 1 + boost;
				if (h)
					AddRule(&h->rules, boost > 0 ? "intensified" : "diminished");
			}
			/* "trop bien", "très très": a booster right after also counts */
			if (i + ntok < tl->n && tl->t[i + ntok].kind == TOK_WORD && t->kind == TOK_WORD)
			{
				LexEntry   *after = LookupWord(s + tl->t[i + ntok].start, tl->t[i + ntok].len, false, lang);

				if (after != NULL && after->kind[lang] == 'b' && lang == LANG_EN &&
					(i + ntok + 1 >= tl->n || tl->t[i + ntok + 1].kind != TOK_WORD))
					v *= 1 + after->valence[lang] / 2;
			}
			if (t->caps && capital_words < letter_words)
			{
				v *= CAPS_FACTOR;
				if (h)
					AddRule(&h->rules, "capitals");
			}
			if (t->elongated)
			{
				v *= ELONGATION_FACTOR;
				if (h)
					AddRule(&h->rules, "elongated");
			}
			/*
			 * Negation reaches words, not emoji ("pour rien 🙁"), nor an
			 * expression that holds its own negation ("n'est jamais arrivé",
			 * "sans aucun problème"), whose valence says it already.
			 */
			if (neg_left > 0 && t->kind == TOK_WORD && !PhraseHasNegator(s, tl, i, ntok, lang))
			{
				v *= NEGATION_FACTOR;
				if (h)
					AddRule(&h->rules, "negated");
			}
			else if (ntok > 1 && PhraseHasNegator(s, tl, i, ntok, lang))
				neg_left = 0;
			if (h)
				h->valence = v;
		}
		sentence += v;
		sentiment_items++;
		if (v > 0)
			out->positive += v;
		else
			out->negative -= v;
		if (neg_left > 0)
			neg_left = Max(neg_left - ntok, 0);
		boost_left = 0;
		i += ntok - 1;
	}
	out->empty = !has_content;
	out->score = tanh(total / SQUASH);
	if (fabs(out->score) < 1e-12)
		out->score = 0;
	/* shares of the text: positive and negative weight, and the words without any */
	out->neutral = Max(words - sentiment_items, 0);
	{
		double		sum = out->positive + out->negative + out->neutral;

		if (sum > 0)
		{
			out->positive /= sum;
			out->negative /= sum;
			out->neutral /= sum;
		}
	}
}

/* Read the lang argument: NULL detects, else 'en' or 'fr'. */
static int
LangArg(FunctionCallInfo fcinfo, int argno, bool *detect)
{
	char	   *l;

	*detect = PG_NARGS() <= argno || PG_ARGISNULL(argno);
	if (*detect)
		return -1;
	l = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	if (pg_strcasecmp(l, "en") == 0 || pg_strcasecmp(l, "english") == 0)
		return LANG_EN;
	if (pg_strcasecmp(l, "fr") == 0 || pg_strcasecmp(l, "french") == 0 || pg_strcasecmp(l, "français") == 0)
		return LANG_FR;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unsupported sentiment language \"%s\"", l),
			 errhint("Languages are 'en' and 'fr'; NULL detects which.")));
	return -1;
}

/* Score a text argument. */
static void
ScoreText(FunctionCallInfo fcinfo, bool detail, Scored *out, char **utf8, TokenList *tl)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	bool		detect;
	int			lang = LangArg(fcinfo, 1, &detect);
	int			len;
	char	   *s;

	EnsureLexicon(fcinfo);
	s = ServerToUtf8(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &len);
	tl->cap = 64;
	tl->n = 0;
	tl->t = palloc(sizeof(Token) * tl->cap);
	Tokenize(s, len, tl);
	if (detect)
		lang = DetectLanguage(s, tl);
	if (lang < 0)
	{
		/* nothing tells: the language whose lexicon finds more (English on a tie) */
		Scored		fr;

		ScoreTokens(s, tl, LANG_FR, detail, &fr);
		ScoreTokens(s, tl, LANG_EN, detail, out);
		if (fr.positive + fr.negative > out->positive + out->negative)
			*out = fr;
	}
	else
		ScoreTokens(s, tl, lang, detail, out);
	*utf8 = s;
}

/*
 * cu_sentiment(text, lang DEFAULT NULL): the sentiment of a text in [-1, 1];
 * 0 for a text without words; NULL lang: French or English, detected.
 */
PG_FUNCTION_INFO_V1(cu_sentiment);
Datum
cu_sentiment(PG_FUNCTION_ARGS)
{
	Scored		sc;
	char	   *s;
	TokenList	tl;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	ScoreText(fcinfo, false, &sc, &s, &tl);
	pfree(tl.t);
	PG_RETURN_FLOAT8(sc.score);
}

/* Push a key given as a C string. */
static void
PushKey(JsonbParseState **ps, const char *k)
{
	PushJsonbString(ps, WJB_KEY, k, strlen(k));
}

static void
PushNum(JsonbParseState **ps, double x)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = DatumGetNumeric(DirectFunctionCall1(float8_numeric, Float8GetDatum(round(x * 10000) / 10000)));
	pushJsonbValue(ps, WJB_VALUE, &v);
}

/* The label of a score: documented thresholds. */
static const char *
ScoreLabel(double score)
{
	return score <= -LABEL_THRESHOLD ? "negative" : score >= LABEL_THRESHOLD ? "positive" : "neutral";
}

/*
 * cu_sentiment_detail(text, lang DEFAULT NULL): the score, its label, the
 * positive, negative and neutral shares, the language, and the words and
 * rules that moved the score.
 */
PG_FUNCTION_INFO_V1(cu_sentiment_detail);
Datum
cu_sentiment_detail(PG_FUNCTION_ARGS)
{
	Scored		sc;
	char	   *s;
	TokenList	tl;
	JsonbParseState *ps = NULL;
	JsonbValue *res;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	ScoreText(fcinfo, true, &sc, &s, &tl);
	pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	PushKey(&ps, "score");
	PushNum(&ps, sc.score);
	PushKey(&ps, "label");
	PushJsonbString(&ps, WJB_VALUE, ScoreLabel(sc.score), strlen(ScoreLabel(sc.score)));
	PushKey(&ps, "positive");
	PushNum(&ps, sc.positive);
	PushKey(&ps, "negative");
	PushNum(&ps, sc.negative);
	PushKey(&ps, "neutral");
	PushNum(&ps, sc.empty ? 1.0 : sc.neutral);
	PushKey(&ps, "lang");
	PushJsonbString(&ps, WJB_VALUE, sc.lang == LANG_FR ? "fr" : "en", 2);
	if (sc.empty)
	{
		PushKey(&ps, "note");
		PushJsonbString(&ps, WJB_VALUE, "no words: neutral", strlen("no words: neutral"));
	}
	PushKey(&ps, "words");
	pushJsonbValue(&ps, WJB_BEGIN_ARRAY, NULL);
	for (int h = 0; h < sc.nhits; h++)
	{
		Token	   *first = &tl.t[sc.hits[h].tok];
		Token	   *last = &tl.t[sc.hits[h].tok + sc.hits[h].ntok - 1];
		int			len = last->start + last->len - first->start;
		int			slen;
		char	   *server = Utf8ToServer(s + first->start, len, &slen);

		pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
		PushKey(&ps, "text");
		PushJsonbString(&ps, WJB_VALUE, server, slen);
		PushKey(&ps, "valence");
		PushNum(&ps, sc.hits[h].base);
		PushKey(&ps, "counted");
		PushNum(&ps, sc.hits[h].valence);
		if (sc.hits[h].rules.len > 0)
		{
			PushKey(&ps, "rules");
			PushJsonbString(&ps, WJB_VALUE, sc.hits[h].rules.data, sc.hits[h].rules.len);
		}
		pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(&ps, WJB_END_ARRAY, NULL);
	PushKey(&ps, "rules");
	PushJsonbString(&ps, WJB_VALUE, sc.rules.data, sc.rules.len);
	res = pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(res));
}

/* ---------------------------------------------------------------------------
 * Mood: recent feedback weighs more
 * ---------------------------------------------------------------------------
 */


/*
 * State (float8[5]): latest time (seconds since 2000), sum of weighted
 * scores and sum of weights relative to that latest time, number of scores,
 * half-life in seconds.  A concrete type with an exact text form: it crosses
 * process boundaries as it is, and the combine function needs no setting.
 */
#define MOOD_STATE 5

static ArrayType *
MoodState(const double *st)
{
	Datum		d[MOOD_STATE];

	for (int i = 0; i < MOOD_STATE; i++)
		d[i] = Float8GetDatum(st[i]);
	return construct_array(d, MOOD_STATE, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

static void
ReadMood(ArrayType *a, double *v)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != MOOD_STATE || ARR_HASNULL(a) || ARR_ELEMTYPE(a) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid mood state")));
	memcpy(v, (char *) a + ARR_OVERHEAD_NONULLS(1), sizeof(double) * MOOD_STATE);	/* no NULLs: checked */
}

/* Merge state b into a. */
static void
MergeMood(double *a, const double *b)
{
	double		latest;
	double		fa;
	double		fb;

	if (b[3] == 0)
		return;
	if (a[3] == 0)
	{
		memcpy(a, b, sizeof(double) * MOOD_STATE);
		return;
	}
	if (a[4] != b[4])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine moods of different half-lives")));
	latest = Max(a[0], b[0]);
	fa = pow(0.5, (latest - a[0]) / a[4]);
	fb = pow(0.5, (latest - b[0]) / a[4]);
	a[1] = a[1] * fa + b[1] * fb;
	a[2] = a[2] * fa + b[2] * fb;
	a[3] += b[3];
	a[0] = latest;
}

static double
MoodHalfLife(FunctionCallInfo fcinfo, int argno)
{
	double		hl;

	if (PG_NARGS() > argno && !PG_ARGISNULL(argno))
	{
		Interval   *iv = PG_GETARG_INTERVAL_P(argno);

		hl = IntervalSeconds(iv);
	}
	else
		hl = mood_half_life_days * SECS_PER_DAY;
	if (!(hl > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the half-life of a mood must be a positive interval")));
	return hl;
}

/*
 * cu_mood_step(state float8[], score float8, at timestamptz [, half_life]):
 * add a score (one out of [-1, 1] is an error; a NULL score or time is
 * skipped).
 */
PG_FUNCTION_INFO_V1(cu_mood_step);
Datum
cu_mood_step(PG_FUNCTION_ARGS)
{
	double		st[MOOD_STATE] = {0, 0, 0, 0, 0};
	double		one[MOOD_STATE];
	double		score;
	TimestampTz at;

	if (!PG_ARGISNULL(0))
		ReadMood(PG_GETARG_ARRAYTYPE_P(0), st);
	else
		st[4] = MoodHalfLife(fcinfo, 3);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_ARRAYTYPE_P(MoodState(st));
	score = PG_GETARG_FLOAT8(1);
	at = PG_GETARG_TIMESTAMPTZ(2);
	if (!(score >= -1 && score <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a sentiment score must be in [-1, 1], got %g", score)));
	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the time of a score must be finite")));
	one[0] = at / (double) USECS_PER_SEC;
	one[1] = score;
	one[2] = 1;
	one[3] = 1;
	one[4] = st[4];
	MergeMood(st, one);
	PG_RETURN_ARRAYTYPE_P(MoodState(st));
}

/* cu_mood_combine(float8[], float8[]): two partial moods as one. */
PG_FUNCTION_INFO_V1(cu_mood_combine);
Datum
cu_mood_combine(PG_FUNCTION_ARGS)
{
	double		a[MOOD_STATE] = {0, 0, 0, 0, 0};
	double		b[MOOD_STATE] = {0, 0, 0, 0, 0};

	if (!PG_ARGISNULL(0))
		ReadMood(PG_GETARG_ARRAYTYPE_P(0), a);
	if (!PG_ARGISNULL(1))
		ReadMood(PG_GETARG_ARRAYTYPE_P(1), b);
	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	MergeMood(a, b);
	PG_RETURN_ARRAYTYPE_P(MoodState(a));
}

/* cu_mood_final: the weighted mean, NULL without scores. */
PG_FUNCTION_INFO_V1(cu_mood_final);
Datum
cu_mood_final(PG_FUNCTION_ARGS)
{
	double		st[MOOD_STATE];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	ReadMood(PG_GETARG_ARRAYTYPE_P(0), st);
	if (st[3] == 0 || st[2] <= 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(st[1] / st[2]);
}

/*
 * cu_mood_symbol(float8): a pictogram for a card: 😠 🙁 😐 🙂 😀 from the
 * most negative to the most positive; ❔ without a mood.
 */
PG_FUNCTION_INFO_V1(cu_mood_symbol);
Datum
cu_mood_symbol(PG_FUNCTION_ARGS)
{
	double		m;
	const char *sym;

	if (PG_ARGISNULL(0))
		PG_RETURN_TEXT_P(cstring_to_text("\xe2\x9d\x94"));
	m = PG_GETARG_FLOAT8(0);
	if (isnan(m))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a mood cannot be NaN")));
	if (m <= -0.5)
		sym = "\xf0\x9f\x98\xa0";	/* 😠 */
	else if (m <= -0.15)
		sym = "\xf0\x9f\x99\x81";	/* 🙁 */
	else if (m < 0.15)
		sym = "\xf0\x9f\x98\x90";	/* 😐 */
	else if (m < 0.5)
		sym = "\xf0\x9f\x99\x82";	/* 🙂 */
	else
		sym = "\xf0\x9f\x98\x80";	/* 😀 */
	{
		int			len;
		char	   *server = Utf8ToServer(sym, strlen(sym), &len);

		PG_RETURN_TEXT_P(cstring_to_text_with_len(server, len));
	}
}
