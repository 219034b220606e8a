/*
 * name_similarity.c
 *	  cu_name_similarity: a token-aware similarity of person names.
 *
 * 'Dupont Jean-Pierre', 'Jean Pierre DUPONT', 'J.-P. Dupont' and 'JP Dupond'
 * name one person.  Both names are normalised (cu_normalize_name), split into
 * tokens, and tokens are paired one to one, greedily by best similarity, so
 * that word order does not matter.  A token pair scores:
 *	 1    when equal;
 *	 0.95 when nicknames of one another (Bob/Robert, Jojo/Joseph);
 *	 0.90 when they sound alike (French phonetic code or Double Metaphone);
 *	 0.85 when one is the initial of the other (J / Jean);
 *	 otherwise their Jaro-Winkler similarity (taking the best that applies).
 * Before pairing, a short token spelling the initials of a run of tokens on
 * the other side ('jp' / 'jean pierre') is split into those initials, and two
 * adjacent tokens whose concatenation is a token on the other side
 * ('jean pierre' / 'jeanpierre') are joined.  The score is the sum of the
 * pair scores over the number of pairs, where each token left over on the
 * longer side counts as a quarter of a pair: a missing middle name costs a
 * little, a different first name a lot.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "codepoints.h"
#include "compare.h"
#include "customer_unify.h"
#include "nicknames.h"
#include "name_similarity.h"
#include "normalize.h"
#include "phonetic.h"

#define SIM_NICKNAME 0.95
#define SIM_PHONETIC 0.90
#define SIM_INITIAL 0.85
#define UNMATCHED_WEIGHT 0.25

/*
 * Sound-alike spellings still share most letters (Philippe/Filipe: 0.82,
 * Christophe/Kristof: 0.75); below this Jaro-Winkler similarity the phonetic
 * keys are not consulted, which spares computing them for unrelated words.
 */
#define PHONETIC_MIN_JW 0.6

/* Names with more tokens than this are compared as token multisets. */
#define NAME_MAX_TOKENS 32

/* Phonetic keys are computed on tokens up to this many bytes. */
#define PHONETIC_MAX_BYTES 64

/* One token of a normalised name; keys are computed when first needed. */
typedef struct NameToken
{
	const char *str;			/* folded bytes, not NUL-terminated */
	int			len;
	const int32 *chars;			/* the same, decoded */
	int			nchars;
	bool		ascii;
	bool		phonetic_done;	/* dm and fr computed */
	int8		ngroups;		/* nickname groups, -1 until looked up */
	char		dm[5];			/* Double Metaphone primary, 4 letters */
	char	   *fr;				/* French phonetic code, or NULL */
	int32		groups[NICKNAME_MAX_GROUPS];
} NameToken;

/* A normalised name, split. */
typedef struct NameTokens
{
	char	   *norm;
	int			normlen;
	int32		charbuf[CU_STACK_CHARS];
	Codepoints	cp;
	NameToken  *tokens;
	int			ntokens;
} NameTokens;

/*
 * Split a name (text in the server encoding), normalising it first unless it
 * is already in cu_normalize_name's form.
 */
static void
SplitName(const char *str, int len, bool normalized, NameTokens *nt)
{
	int			bpos = 0;
	int			cpos = 0;
	int			count;
	int			i;

	if (normalized)
	{
		nt->norm = (char *) str;
		nt->normlen = len;
	}
	else
		nt->norm = NormalizeName(str, len, &nt->normlen);
	DecodeCodepoints(nt->norm, nt->normlen, nt->charbuf, CU_STACK_CHARS, &nt->cp);
	/* words are separated by single spaces */
	count = (nt->normlen > 0) ? 1 : 0;
	for (i = 0; i < nt->normlen; i++)
		count += (nt->norm[i] == ' ');
	/* room for initials to be expanded (two more tokens each, at most) */
	if (count <= NAME_MAX_TOKENS)
		count *= 3;
	nt->tokens = (NameToken *) palloc(sizeof(NameToken) * Max(count, 1));
	nt->ntokens = 0;
	while (bpos < nt->normlen)
	{
		NameToken  *t = &nt->tokens[nt->ntokens++];
		int			bend = bpos;
		int			cend = cpos;

		while (bend < nt->normlen && nt->norm[bend] != ' ')
			bend++;
		while (cend < nt->cp.len && nt->cp.chars[cend] != ' ')
			cend++;
		t->str = nt->norm + bpos;
		t->len = bend - bpos;
		t->chars = nt->cp.chars + cpos;
		t->nchars = cend - cpos;
		t->ascii = (t->len == t->nchars);
		t->phonetic_done = false;
		t->ngroups = -1;
		t->dm[0] = '\0';
		t->fr = NULL;
		bpos = bend + 1;
		cpos = cend + 1;
	}
}

/* Compute the phonetic keys of a token, once. */
static void
TokenPhonetic(NameToken *t)
{
	char		alt[5];

	if (t->phonetic_done)
		return;
	t->phonetic_done = true;
	if (!t->ascii || t->nchars < 2 || t->len > PHONETIC_MAX_BYTES)
		return;
	DoubleMetaphone(t->str, t->len, 4, t->dm, alt);
	t->fr = (char *) palloc(2 * t->len + 2);
	FrenchPhonetic(t->str, t->len, t->fr);
}

/* Number of nickname groups of a token, looked up once. */
static int
TokenGroups(NameToken *t)
{
	if (t->ngroups < 0)
		t->ngroups = t->ascii ?
			(int8) NicknameGroups(t->str, t->len, t->groups, NICKNAME_MAX_GROUPS) : 0;
	return t->ngroups;
}

/* Do two tokens share a nickname group? */
static bool
TokensNicknames(NameToken *x, NameToken *y)
{
	int			i;
	int			j;

	if (TokenGroups(x) == 0 || TokenGroups(y) == 0)
		return false;
	for (i = 0; i < x->ngroups; i++)
		for (j = 0; j < y->ngroups; j++)
			if (x->groups[i] == y->groups[j])
				return true;
	return false;
}

/* Similarity of two tokens; see the file header for the scale. */
static double
TokenSimilarity(NameToken *x, NameToken *y)
{
	double		s;

	if (x->len == y->len && memcmp(x->str, y->str, x->len) == 0)
		return 1.0;
	if (x->nchars == 1 || y->nchars == 1)
	{
		/* an initial matches the words it begins, and nothing else */
		if (x->nchars == 1 && y->nchars == 1)
			return 0.0;
		return (x->chars[0] == y->chars[0]) ? SIM_INITIAL : 0.0;
	}
	s = JaroWinklerSimilarity(x->chars, x->nchars, y->chars, y->nchars);
	if (s < SIM_NICKNAME && TokensNicknames(x, y))
		return SIM_NICKNAME;
	if (s < SIM_PHONETIC && s >= PHONETIC_MIN_JW)
	{
		TokenPhonetic(x);
		TokenPhonetic(y);
		if ((x->fr != NULL && y->fr != NULL && x->fr[0] != '\0' && strcmp(x->fr, y->fr) == 0) ||
			(x->dm[0] != '\0' && x->dm[1] != '\0' && strcmp(x->dm, y->dm) == 0))
			s = SIM_PHONETIC;
	}
	return s;
}

/* Does token t (2 or 3 letters) spell the initials of other's tokens from start on? */
static bool
SpellsInitials(const NameToken *t, const NameTokens *other, int start)
{
	int			k;

	if (start + t->nchars > other->ntokens)
		return false;
	for (k = 0; k < t->nchars; k++)
	{
		const NameToken *o = &other->tokens[start + k];

		if (o->nchars < 2 || o->chars[0] != t->chars[k])
			return false;
	}
	return true;
}

/*
 * Split tokens of nt that spell the initials of a run of tokens in other
 * ('jp' against 'jean pierre') into one-letter tokens.  Known first names
 * and nicknames ('al', 'ed', 'jo') are left alone.
 */
static void
ExpandInitials(NameTokens *nt, const NameTokens *other)
{
	int			i;

	for (i = 0; i < nt->ntokens; i++)
	{
		NameToken  *t = &nt->tokens[i];
		int			start;

		if (!t->ascii || t->nchars < 2 || t->nchars > 3 ||
			nt->ntokens + t->nchars - 1 > NAME_MAX_TOKENS ||
			TokenGroups(t) > 0)
			continue;
		for (start = 0; start < other->ntokens; start++)
		{
			if (SpellsInitials(t, other, start))
			{
				NameToken	letters[3];
				int			k;
				int			n = t->nchars;

				for (k = 0; k < n; k++)
				{
					letters[k] = *t;
					letters[k].str = t->str + k;
					letters[k].len = 1;
					letters[k].chars = t->chars + k;
					letters[k].nchars = 1;
					letters[k].phonetic_done = true;	/* initials have none */
					letters[k].ngroups = 0;
					letters[k].dm[0] = '\0';
					letters[k].fr = NULL;
				}
				memmove(&nt->tokens[i + n], &nt->tokens[i + 1],
						sizeof(NameToken) * (nt->ntokens - i - 1));
				memcpy(&nt->tokens[i], letters, sizeof(NameToken) * n);
				nt->ntokens += n - 1;
				i += n - 1;
				break;
			}
		}
	}
}

/*
 * Join adjacent tokens of nt whose concatenation is a token of other
 * ('jean pierre' against 'jeanpierre'): the joined token takes other's.
 */
static void
JoinSplitWords(NameTokens *nt, const NameTokens *other)
{
	int			i;

	for (i = 0; i + 1 < nt->ntokens; i++)
	{
		NameToken  *u = &nt->tokens[i];
		NameToken  *v = &nt->tokens[i + 1];
		int			k;

		for (k = 0; k < other->ntokens; k++)
		{
			const NameToken *o = &other->tokens[k];

			if (o->len == u->len + v->len &&
				memcmp(o->str, u->str, u->len) == 0 &&
				memcmp(o->str + u->len, v->str, v->len) == 0)
			{
				*u = *o;
				memmove(&nt->tokens[i + 1], &nt->tokens[i + 2],
						sizeof(NameToken) * (nt->ntokens - i - 2));
				nt->ntokens--;
				break;
			}
		}
	}
}

/*
 * Greedy one-to-one pairing of tokens: the most similar pair first (the first
 * in reading order among equals), then the best among the tokens left, and so
 * on.  See the file header for the score.
 */
static double
PairedTokenScore(NameTokens *a, NameTokens *b)
{
	int			n = a->ntokens;
	int			m = b->ntokens;
	double		sims[NAME_MAX_TOKENS][NAME_MAX_TOKENS];
	bool		aused[NAME_MAX_TOKENS];
	bool		bused[NAME_MAX_TOKENS];
	int			paired;
	double		sum = 0.0;
	int			i;
	int			j;

	for (i = 0; i < n; i++)
		for (j = 0; j < m; j++)
			sims[i][j] = TokenSimilarity(&a->tokens[i], &b->tokens[j]);
	memset(aused, 0, sizeof(aused));
	memset(bused, 0, sizeof(bused));
	for (paired = 0; paired < Min(n, m); paired++)
	{
		int			bi = -1;
		int			bj = -1;

		for (i = 0; i < n; i++)
		{
			if (aused[i])
				continue;
			for (j = 0; j < m; j++)
				if (!bused[j] && (bi < 0 || sims[i][j] > sims[bi][bj]))
					bi = i, bj = j;
		}
		aused[bi] = bused[bj] = true;
		sum += sims[bi][bj];
	}
	return sum / (paired + UNMATCHED_WEIGHT * (Max(n, m) - paired));
}

/* qsort order of tokens by bytes, for the multiset comparison. */
static int
TokenBytesCmp(const void *x, const void *y)
{
	const NameToken *p = (const NameToken *) x;
	const NameToken *q = (const NameToken *) y;
	int			c = memcmp(p->str, q->str, Min(p->len, q->len));

	return (c != 0) ? c : p->len - q->len;
}

/*
 * Very long names (more than NAME_MAX_TOKENS tokens) are compared as token
 * multisets (Dice coefficient on equal tokens), in O(n log n).
 */
static double
TokenMultisetScore(NameTokens *a, NameTokens *b)
{
	int			i = 0;
	int			j = 0;
	int			common = 0;

	qsort(a->tokens, a->ntokens, sizeof(NameToken), TokenBytesCmp);
	qsort(b->tokens, b->ntokens, sizeof(NameToken), TokenBytesCmp);
	while (i < a->ntokens && j < b->ntokens)
	{
		int			c = TokenBytesCmp(&a->tokens[i], &b->tokens[j]);

		if ((i & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		if (c == 0)
			common++, i++, j++;
		else if (c < 0)
			i++;
		else
			j++;
	}
	return 2.0 * common / (a->ntokens + b->ntokens);
}

/*
 * Similarity of two names in [0, 1]; 0 when either has no token.  With
 * normalized, both are taken as cu_normalize_name left them (the match model
 * compares stored records, normalised once when loaded).
 */
double
NameSimilarityExt(const char *s1, int len1, const char *s2, int len2, bool normalized)
{
	NameTokens	a;
	NameTokens	b;

	/*
	 * Pairing breaks ties in reading order and expands initials one side
	 * first: process the two names in a fixed order so that the result does
	 * not depend on the order of the arguments.
	 */
	if (len1 > len2 || (len1 == len2 && memcmp(s1, s2, len1) > 0))
	{
		const char *st = s1;
		int			lt = len1;

		s1 = s2;
		len1 = len2;
		s2 = st;
		len2 = lt;
	}
	SplitName(s1, len1, normalized, &a);
	SplitName(s2, len2, normalized, &b);
	if (a.ntokens == 0 || b.ntokens == 0)
		return 0.0;
	if (a.ntokens > NAME_MAX_TOKENS || b.ntokens > NAME_MAX_TOKENS)
		return TokenMultisetScore(&a, &b);
	ExpandInitials(&a, &b);
	ExpandInitials(&b, &a);
	JoinSplitWords(&a, &b);
	JoinSplitWords(&b, &a);
	return PairedTokenScore(&a, &b);
}

/* Similarity of two names as typed, in [0, 1]. */
double
NameSimilarity(const char *s1, int len1, const char *s2, int len2)
{
	return NameSimilarityExt(s1, len1, s2, len2, false);
}

/*
 * cu_name_similarity(text, text): how likely two person names are the same
 * name, in [0, 1], insensitive to order, accents, initials and nicknames.
 */
PG_FUNCTION_INFO_V1(cu_name_similarity);
Datum
cu_name_similarity(PG_FUNCTION_ARGS)
{
	text	   *a = PG_GETARG_TEXT_PP(0);
	text	   *b = PG_GETARG_TEXT_PP(1);

	PG_RETURN_FLOAT8(NameSimilarity(VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a),
									VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b)));
}
