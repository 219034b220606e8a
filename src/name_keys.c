/*
 * name_keys.c
 *	  Key sets of person names, the indexable name score (cu_name_score), its
 *	  operators (%%, <~>, %%>) and its threshold setting.
 *
 * cu_name_similarity pairs words and is the better judge of two names, but
 * nothing in it can be bounded from an index.  cu_name_score is designed for
 * indexing: each name becomes a set of keys, and the score of two names
 * depends only on which keys they share, so an index of keys can find every
 * name that reaches a threshold and rank candidates for ORDER BY.  The keys
 * of each word of the normalised name (cu_normalize_name) are:
 *	 - its character trigrams, padded as in pg_trgm ('  d', ' du', 'dup', ...,
 *	   'nt '): typos leave most of them intact;
 *	 - its French phonetic code and Double Metaphone code: sound-alike
 *	   spellings (Dupont/Dupond, Philippe/Filipe) share them;
 *	 - its first letter, so that an initial meets the names it begins, and, for
 *	   a short word without vowels that is not a first name ('jp'), each of its
 *	   letters as an initial;
 *	 - the canonical first names of its nickname groups (Bob -> robert).
 * Word order does not matter: a name's keys are the union of its words' keys.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "codepoints.h"
#include "customer_unify.h"
#include "name_keys.h"
#include "nicknames.h"
#include "normalize.h"
#include "phonetic.h"

/*
 * Weights: a shared nickname counts as two shared trigrams, a phonetic code
 * or an initial as one.  Heavier phonetic keys were tried and lost recall: a
 * typo often changes both codes of a word, and unshared keys weigh in the
 * union.  All weights are multiples of 1/2, so sums of weights are exact in
 * floating point and the index bound can never round below the score it
 * bounds.
 */
const double name_key_weights[4] = {1.0, 1.0, 1.0, 2.0};

/* The customer_unify.name_threshold setting (see _PG_init). */
double		name_threshold = 0.3;

/* Key of a kind from 30 bits of value. */
static inline NameKey
MakeNameKey(int kind, uint32 value)
{
	return (NameKey) ((((uint32) kind) << 30) | (value & 0x3FFFFFFF));
}

/* Key of a kind from a hashed string (tagged so that kinds never collide). */
static NameKey
HashedNameKey(int kind, char tag, const char *str, int len)
{
	char		buf[NAME_KEYS_MAX_WORD_CHARS * 4 + 8];

	buf[0] = tag;
	memcpy(buf + 1, str, Min(len, (int) sizeof(buf) - 1));
	return MakeNameKey(kind, hash_bytes((const unsigned char *) buf,
										Min(len + 1, (int) sizeof(buf))));
}

/*
 * Trigram key of three characters: ASCII letters, digits and the padding
 * space are packed exactly into 24 bits (bit 29 clear); any other character
 * makes it a hashed key (bit 29 set).
 */
static NameKey
TrigramKey(int32 c1, int32 c2, int32 c3)
{
	if (c1 < 0x80 && c2 < 0x80 && c3 < 0x80)
		return MakeNameKey(NAME_KEY_TRIGRAM, ((uint32) c1 << 16) | ((uint32) c2 << 8) | (uint32) c3);
	else
	{
		int32		cs[3];

		cs[0] = c1;
		cs[1] = c2;
		cs[2] = c3;
		return MakeNameKey(NAME_KEY_TRIGRAM,
						   (1U << 29) | (hash_bytes((const unsigned char *) cs, sizeof(cs)) & 0x1FFFFFFF));
	}
}

/* Is the folded ASCII word made of letters only, none a vowel? */
static bool
IsInitialsWord(const char *w, int len)
{
	int			i;

	for (i = 0; i < len; i++)
	{
		if (w[i] < 'a' || w[i] > 'z' || strchr("aeiouy", w[i]) != NULL)
			return false;
	}
	return true;
}

/* qsort order of keys. */
static int
NameKeyCmp(const void *a, const void *b)
{
	NameKey		x = *(const NameKey *) a;
	NameKey		y = *(const NameKey *) b;

	return (x > y) - (x < y);
}

/* See name_keys.h. */
NameKey *
ExtractNameKeys(const char *str, int len, int *nkeys)
{
	int			nlen;
	char	   *norm = NormalizeName(str, len, &nlen);
	int32		charbuf[CU_STACK_CHARS];
	Codepoints	cp;
	int			maxkeys = NAME_KEYS_MAX_WORDS * (NAME_KEYS_MAX_WORD_CHARS + 16);
	NameKey    *keys = (NameKey *) palloc(sizeof(NameKey) * maxkeys);
	int			n = 0;
	int			bpos = 0;
	int			cpos = 0;
	int			words = 0;

	DecodeCodepoints(norm, nlen, charbuf, CU_STACK_CHARS, &cp);
	while (bpos < nlen && words < NAME_KEYS_MAX_WORDS)
	{
		int			bend = bpos;
		int			cend = cpos;
		int			wlen;
		int			wchars;
		const int32 *w;
		int32		padded[NAME_KEYS_MAX_WORD_CHARS + 3];
		int			i;

		while (bend < nlen && norm[bend] != ' ')
			bend++;
		while (cend < cp.len && cp.chars[cend] != ' ')
			cend++;
		w = cp.chars + cpos;
		wchars = Min(cend - cpos, NAME_KEYS_MAX_WORD_CHARS);
		wlen = bend - bpos;
		words++;

		/* trigrams of '  word ' */
		padded[0] = padded[1] = ' ';
		memcpy(padded + 2, w, sizeof(int32) * wchars);
		padded[wchars + 2] = ' ';
		for (i = 0; i + 2 < wchars + 3; i++)
			keys[n++] = TrigramKey(padded[i], padded[i + 1], padded[i + 2]);

		/* first letter */
		keys[n++] = MakeNameKey(NAME_KEY_INITIAL, (uint32) w[0]);

		if (wlen == cend - cpos && wlen <= NAME_KEYS_MAX_WORD_CHARS)
		{
			/* an ASCII word: phonetic codes, nicknames, initials */
			const char *word = norm + bpos;
			int32		groups[NICKNAME_MAX_GROUPS];
			int			ngroups = NicknameGroups(word, wlen, groups, NICKNAME_MAX_GROUPS);
			char		code[2 * NAME_KEYS_MAX_WORD_CHARS + 2];
			char		alt[5];
			int			g;

			if (wlen >= 2)
			{
				int			clen = FrenchPhonetic(word, wlen, code);

				if (clen > 0)
					keys[n++] = HashedNameKey(NAME_KEY_PHONETIC, 'F', code, clen);
				DoubleMetaphone(word, wlen, 4, code, alt);
				if (code[0] != '\0')
					keys[n++] = HashedNameKey(NAME_KEY_PHONETIC, 'D', code, strlen(code));
			}
			for (g = 0; g < ngroups; g++)
			{
				const char *canonical = NicknameGroupName(groups[g]);

				keys[n++] = HashedNameKey(NAME_KEY_NICKNAME, 'N', canonical, strlen(canonical));
			}
			if (ngroups == 0 && wlen >= 2 && wlen <= 3 && IsInitialsWord(word, wlen))
			{
				for (i = 1; i < wlen; i++)
					keys[n++] = MakeNameKey(NAME_KEY_INITIAL, (uint32) (unsigned char) word[i]);
			}
		}
		bpos = bend + 1;
		cpos = cend + 1;
	}
	FreeCodepoints(&cp);
	pfree(norm);

	/* sort and remove duplicates */
	if (n > 1)
	{
		int			w = 1;
		int			i;

		qsort(keys, n, sizeof(NameKey), NameKeyCmp);
		for (i = 1; i < n; i++)
			if (keys[i] != keys[w - 1])
				keys[w++] = keys[i];
		n = w;
	}
	*nkeys = n;
	return keys;
}

/* See name_keys.h. */
double
NameKeysWeight(const NameKey *keys, int nkeys)
{
	double		w = 0.0;
	int			i;

	for (i = 0; i < nkeys; i++)
		w += NameKeyWeight(keys[i]);
	return w;
}

/* See name_keys.h. */
double
NameKeysSharedWeight(const NameKey *a, int na, const NameKey *b, int nb)
{
	double		w = 0.0;
	int			i = 0;
	int			j = 0;

	while (i < na && j < nb)
	{
		if (a[i] == b[j])
		{
			w += NameKeyWeight(a[i]);
			i++, j++;
		}
		else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	return w;
}

/* See name_keys.h. */
void
CheckNameThreshold(double threshold)
{
	if (!(threshold >= 0.0 && threshold <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("name threshold must be between 0 and 1, got %g", threshold)));
}

/* See name_keys.h. */
void
NameQueryArgs(Datum query, text **name, double *threshold)
{
	HeapTupleHeader tup = DatumGetHeapTupleHeader(query);
	bool		isnull;
	Datum		d;

	d = GetAttributeByNum(tup, 1, &isnull);
	*name = isnull ? NULL : DatumGetTextPP(d);
	d = GetAttributeByNum(tup, 2, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("name threshold must not be null")));
	*threshold = DatumGetFloat8(d);
	CheckNameThreshold(*threshold);
}

/*
 * Score and shared weight of two names, with the query's keys cached across
 * calls of one expression (the query is usually a constant).
 */
typedef struct NameKeysCache
{
	text	   *query;			/* copy of the query text the keys belong to */
	NameKey    *keys;
	int			nkeys;
} NameKeysCache;

static NameKey *
CachedNameKeys(FunctionCallInfo fcinfo, text *t, int *nkeys)
{
	NameKeysCache *cache = (NameKeysCache *) fcinfo->flinfo->fn_extra;
	MemoryContext old;

	if (cache != NULL && VARSIZE_ANY(cache->query) == VARSIZE_ANY(t) &&
		memcmp(cache->query, t, VARSIZE_ANY(t)) == 0)
	{
		*nkeys = cache->nkeys;
		return cache->keys;
	}
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	if (cache == NULL)
		cache = (NameKeysCache *) palloc0(sizeof(NameKeysCache));
	else
	{
		pfree(cache->query);
		pfree(cache->keys);
	}
	cache->query = (text *) palloc(VARSIZE_ANY(t));
	memcpy(cache->query, t, VARSIZE_ANY(t));
	cache->keys = ExtractNameKeys(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &cache->nkeys);
	fcinfo->flinfo->fn_extra = cache;
	MemoryContextSwitchTo(old);
	*nkeys = cache->nkeys;
	return cache->keys;
}

/* Score of two names, and the weight of their shared keys. */
static double
NameScore(FunctionCallInfo fcinfo, text *a, text *b, double *shared)
{
	int			na;
	int			nb;
	NameKey    *ka = ExtractNameKeys(VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a), &na);
	NameKey    *kb = CachedNameKeys(fcinfo, b, &nb);
	double		s;

	*shared = NameKeysSharedWeight(ka, na, kb, nb);
	s = NameScoreFromWeights(*shared, NameKeysWeight(ka, na), NameKeysWeight(kb, nb));
	pfree(ka);
	return s;
}

/*
 * cu_name_score(text, text): the indexable similarity of two names in
 * [0, 1], the weighted share of their keys (trigrams, phonetic codes,
 * initials, nicknames).
 */
PG_FUNCTION_INFO_V1(cu_name_score);
Datum
cu_name_score(PG_FUNCTION_ARGS)
{
	double		shared;

	PG_RETURN_FLOAT8(NameScore(fcinfo, PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1), &shared));
}

/*
 * text <~> text: the name distance 1 - cu_name_score, for ORDER BY ... LIMIT
 * with a GiST index.
 */
PG_FUNCTION_INFO_V1(cu_name_distance);
Datum
cu_name_distance(PG_FUNCTION_ARGS)
{
	double		shared;

	PG_RETURN_FLOAT8(1.0 - NameScore(fcinfo, PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1), &shared));
}

/*
 * text %% text: the names share a key and their score reaches the setting
 * customer_unify.name_threshold.
 */
PG_FUNCTION_INFO_V1(cu_name_matches);
Datum
cu_name_matches(PG_FUNCTION_ARGS)
{
	double		shared;
	double		s = NameScore(fcinfo, PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1), &shared);

	PG_RETURN_BOOL(NameScoreMatches(shared, s, name_threshold));
}

/*
 * cu_name_match(text, text, threshold): %% with the threshold as an argument,
 * for distributed engines that do not ship settings to their shards.
 */
PG_FUNCTION_INFO_V1(cu_name_match);
Datum
cu_name_match(PG_FUNCTION_ARGS)
{
	double		threshold = PG_GETARG_FLOAT8(2);
	double		shared;
	double		s;

	CheckNameThreshold(threshold);
	s = NameScore(fcinfo, PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1), &shared);
	PG_RETURN_BOOL(NameScoreMatches(shared, s, threshold));
}

/*
 * text %%> cu_name_query: the operator that cu_name_match becomes in an index
 * condition; the query carries its own threshold.
 */
PG_FUNCTION_INFO_V1(cu_name_matches_query);
Datum
cu_name_matches_query(PG_FUNCTION_ARGS)
{
	text	   *name;
	double		threshold;
	double		shared;
	double		s;

	NameQueryArgs(PG_GETARG_DATUM(1), &name, &threshold);
	if (name == NULL)
		PG_RETURN_NULL();
	s = NameScore(fcinfo, PG_GETARG_TEXT_PP(0), name, &shared);
	PG_RETURN_BOOL(NameScoreMatches(shared, s, threshold));
}

/*
 * cu_name_keys(text): the keys of a name as the indexes store them, for
 * understanding why two names match or not.
 */
PG_FUNCTION_INFO_V1(cu_name_keys);
Datum
cu_name_keys(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);
	int			nkeys;
	NameKey    *keys = ExtractNameKeys(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), &nkeys);
	Datum	   *elems = (Datum *) palloc(sizeof(Datum) * Max(nkeys, 1));
	int			i;

	for (i = 0; i < nkeys; i++)
		elems[i] = Int32GetDatum(keys[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, nkeys, INT4OID, sizeof(int32), true, TYPALIGN_INT));
}
