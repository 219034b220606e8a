/*
 * compare.c
 *	  String comparators: Levenshtein, optimal string alignment (the
 *	  restricted Damerau-Levenshtein distance), Jaro and Jaro-Winkler.
 *
 * All work on characters (see codepoints.c), in memory linear in the input,
 * with no length limit, and answer to a cancel.  Edit distances use the
 * bit-parallel algorithms of Myers and Hyyrö when the shorter string has at
 * most 64 characters (nearly every name, e-mail or phone), and a two- or
 * three-row dynamic program otherwise.  Jaro uses per-character position
 * lists on long strings so that its cost stays linear.
 */
#include "postgres.h"

#include <limits.h>

#include "fmgr.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/builtins.h"

#include "codepoints.h"
#include "compare.h"
#include "customer_unify.h"

/* Winkler's constants: prefix scale, longest prefix counted, boost threshold. */
#define JW_PREFIX_SCALE 0.1
#define JW_MAX_PREFIX 4
#define JW_BOOST_THRESHOLD 0.7

/* Above this total length, Jaro finds matches through position lists. */
#define JARO_LONG 512

/*
 * Match masks of a pattern of at most 64 characters: bit i of the mask of c
 * is set when pattern[i] == c.  ASCII masks are stamped with a generation so
 * that no per-call clearing is needed (and an error thrown mid-way cannot
 * leave stale bits behind); other characters go in a short list.
 */
typedef struct PatternMasks
{
	int			nother;
	int32		other_chars[64];
	uint64		other_masks[64];
} PatternMasks;

static uint64 ascii_masks[128];
static uint32 ascii_stamp[128];
static uint32 mask_generation = 0;

/* Build the masks of pattern p (m <= 64 characters). */
static void
BuildPatternMasks(PatternMasks *pm, const int32 *p, int m)
{
	int			i;

	mask_generation++;
	if (mask_generation == 0)
	{
		/* wrapped around: forget every stamp */
		memset(ascii_stamp, 0, sizeof(ascii_stamp));
		mask_generation = 1;
	}
	pm->nother = 0;
	for (i = 0; i < m; i++)
	{
		int32		c = p[i];
		uint64		bit = UINT64CONST(1) << i;

		if (c >= 0 && c < 128)
		{
			if (ascii_stamp[c] != mask_generation)
			{
				ascii_stamp[c] = mask_generation;
				ascii_masks[c] = 0;
			}
			ascii_masks[c] |= bit;
		}
		else
		{
			int			k;

			for (k = 0; k < pm->nother; k++)
				if (pm->other_chars[k] == c)
					break;
			if (k == pm->nother)
			{
				pm->other_chars[k] = c;
				pm->other_masks[k] = 0;
				pm->nother++;
			}
			pm->other_masks[k] |= bit;
		}
	}
}

/* The mask of character c under the current pattern. */
static inline uint64
PatternMask(const PatternMasks *pm, int32 c)
{
	int			k;

	if (c >= 0 && c < 128)
		return (ascii_stamp[c] == mask_generation) ? ascii_masks[c] : 0;
	for (k = 0; k < pm->nother; k++)
		if (pm->other_chars[k] == c)
			return pm->other_masks[k];
	return 0;
}

/*
 * Edit distance of pattern p (1..64 characters) and text t by bit-parallel
 * dynamic programming (Myers 1999, in Hyyrö's formulation); with transpose,
 * adjacent transpositions cost one edit (optimal string alignment, Hyyrö
 * 2003).  One pass over t, a few word operations per character.
 */
static int
BitParallelDistance(const int32 *p, int m, const int32 *t, int n, bool transpose)
{
	PatternMasks pm;
	uint64		vp = (m == 64) ? ~UINT64CONST(0) : ((UINT64CONST(1) << m) - 1);
	uint64		vn = 0;
	uint64		last = UINT64CONST(1) << (m - 1);
	uint64		d0 = 0;
	uint64		pm_prev = 0;
	int			score = m;
	int			j;

	BuildPatternMasks(&pm, p, m);
	for (j = 0; j < n; j++)
	{
		uint64		eq = PatternMask(&pm, t[j]);
		uint64		x = eq | vn;
		uint64		hp;
		uint64		hn;

		if ((j & (CU_INTERRUPT_INTERVAL - 1)) == CU_INTERRUPT_INTERVAL - 1)
			CHECK_FOR_INTERRUPTS();
		if (transpose)
		{
			uint64		tr = (((~d0) & eq) << 1) & pm_prev;

			d0 = (((x & vp) + vp) ^ vp) | x | tr;
			pm_prev = eq;
		}
		else
			d0 = (((x & vp) + vp) ^ vp) | x;
		hp = vn | ~(d0 | vp);
		hn = vp & d0;
		if (hp & last)
			score++;
		else if (hn & last)
			score--;
		hp = (hp << 1) | 1;
		hn = hn << 1;
		vp = hn | ~(d0 | hp);
		vn = hp & d0;
	}
	return score;
}

/*
 * Edit distance by dynamic programming over rows of the shorter string a
 * (m characters), with transpositions when transpose is set.  With max >= 0
 * only the diagonal band |i - j| <= max is computed and the scan stops once a
 * whole row exceeds max.  Three rows of m + 1 integers.
 */
static int
RowDistance(const int32 *a, int m, const int32 *b, int n, int max, bool transpose)
{
	int			big = (max >= 0) ? max + 1 : INT_MAX / 2;
	int		   *prev2 = (int *) palloc(sizeof(int) * (m + 1));
	int		   *prev = (int *) palloc(sizeof(int) * (m + 1));
	int		   *cur = (int *) palloc(sizeof(int) * (m + 1));
	int64		work = 0;
	int			i;
	int			j;
	int			result;

	for (i = 0; i <= m; i++)
		prev[i] = (max >= 0 && i > max) ? big : i;
	for (j = 1; j <= n; j++)
	{
		int			lo = 1;
		int			hi = m;
		int			rowmin;
		int		   *tmp;

		if (max >= 0)
		{
			lo = Max(1, j - max);
			hi = Min(m, j + max);
		}
		cur[lo - 1] = (lo == 1) ? ((max >= 0 && j > max) ? big : j) : big;
		rowmin = cur[lo - 1];
		for (i = lo; i <= hi; i++)
		{
			int			cost = (a[i - 1] == b[j - 1]) ? 0 : 1;
			int			v = prev[i - 1] + cost;

			if (prev[i] + 1 < v)
				v = prev[i] + 1;
			if (cur[i - 1] + 1 < v)
				v = cur[i - 1] + 1;
			if (transpose && i > 1 && j > 1 &&
				a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
				prev2[i - 2] + 1 < v)
				v = prev2[i - 2] + 1;
			if (v > big)
				v = big;
			cur[i] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (hi < m)
			cur[hi + 1] = big;
		if (max >= 0 && rowmin > max)
		{
			pfree(prev2);
			pfree(prev);
			pfree(cur);
			return max + 1;
		}
		work += hi - lo + 1;
		if (work >= CU_INTERRUPT_INTERVAL)
		{
			CHECK_FOR_INTERRUPTS();
			work = 0;
		}
		tmp = prev2;
		prev2 = prev;
		prev = cur;
		cur = tmp;
	}
	result = prev[m];
	pfree(prev2);
	pfree(prev);
	pfree(cur);
	return (max >= 0 && result > max) ? max + 1 : result;
}

/*
 * Common driver of both edit distances: strips the common prefix and suffix
 * (which never change the distance), then picks the algorithm.
 */
static int
EditDistance(const int32 *a, int alen, const int32 *b, int blen, int max,
			 bool transpose)
{
	int			d;

	/*
	 * A common prefix or suffix never changes either distance: an optimal
	 * alignment can always match those characters to each other (a
	 * transposition across the boundary would swap equal characters).
	 */
	while (alen > 0 && blen > 0 && a[0] == b[0])
		a++, b++, alen--, blen--;
	while (alen > 0 && blen > 0 && a[alen - 1] == b[blen - 1])
		alen--, blen--;

	/* a is the shorter */
	if (alen > blen)
	{
		const int32 *t = a;
		int			tl = alen;

		a = b;
		alen = blen;
		b = t;
		blen = tl;
	}
	if (alen == 0)
		d = blen;
	else if (max >= 0 && blen - alen > max)
		return max + 1;
	else if (alen <= 64)
		d = BitParallelDistance(a, alen, b, blen, transpose);
	else
		return RowDistance(a, alen, b, blen, max, transpose);
	return (max >= 0 && d > max) ? max + 1 : d;
}

/* See compare.h. */
int
LevenshteinDistance(const int32 *a, int alen, const int32 *b, int blen, int max)
{
	return EditDistance(a, alen, b, blen, max, false);
}

/* See compare.h. */
int
OsaDistance(const int32 *a, int alen, const int32 *b, int blen, int max)
{
	return EditDistance(a, alen, b, blen, max, true);
}

/* qsort order of position lists: by character, then by position. */
static const int32 *jaro_sort_chars;

static int
JaroPositionCmp(const void *x, const void *y)
{
	int32		px = *(const int32 *) x;
	int32		py = *(const int32 *) y;
	int32		cx = jaro_sort_chars[px];
	int32		cy = jaro_sort_chars[py];

	if (cx != cy)
		return (cx < cy) ? -1 : 1;
	return (px < py) ? -1 : (px > py);
}

/*
 * Jaro matching for long strings: the classic scan looks through a window of
 * max(alen, blen) / 2 characters for each character, which is quadratic.  The
 * first unmatched equal character at or after the window start is instead
 * found in b's sorted position list for that character: positions before the
 * window never match again (windows only move right) and matched ones are
 * taken in order, so one cursor per character suffices.  Sets the flags and
 * returns the number of matches, exactly as the classic scan would.
 */
static int
JaroMatchLong(const int32 *a, int alen, const int32 *b, int blen, int window,
			  bool *aflag, bool *bflag)
{
	int32	   *pos = (int32 *) palloc(sizeof(int32) * blen);
	int32	   *cursor = (int32 *) palloc(sizeof(int32) * blen);
	int			matches = 0;
	int			i;

	for (i = 0; i < blen; i++)
		pos[i] = i;
	jaro_sort_chars = b;
	qsort(pos, blen, sizeof(int32), JaroPositionCmp);
	/* cursor[g] for the group starting at g: next candidate index in pos */
	for (i = 0; i < blen; i++)
		cursor[i] = i;

	for (i = 0; i < alen; i++)
	{
		int32		c = a[i];
		int			lo = 0;
		int			hi = blen;
		int			group;
		int			winlo = Max(0, i - window);
		int			winhi = Min(blen, i + window + 1);
		int			k;

		if ((i & (CU_INTERRUPT_INTERVAL - 1)) == 0)
			CHECK_FOR_INTERRUPTS();
		/* the first index of c's group in pos */
		while (lo < hi)
		{
			int			mid = (lo + hi) / 2;

			if (b[pos[mid]] < c)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == blen || b[pos[lo]] != c)
			continue;
		group = lo;
		k = cursor[group];
		while (k < blen && b[pos[k]] == c && pos[k] < winlo)
			k++;
		if (k < blen && b[pos[k]] == c && pos[k] < winhi)
		{
			aflag[i] = true;
			bflag[pos[k]] = true;
			matches++;
			k++;
		}
		cursor[group] = k;
	}
	pfree(pos);
	pfree(cursor);
	return matches;
}

/*
 * Jaro for two strings of at most 64 characters, bit-parallel: the first
 * unmatched equal character of b inside the window is the lowest bit of
 * (positions of a[i] in b) & window & ~matched, and the transpositions pair
 * the set bits of both match masks in order.  Same result as the classic
 * scan, in a few word operations per character.
 */
static double
JaroShort(const int32 *a, int alen, const int32 *b, int blen, int window)
{
	PatternMasks pm;
	uint64		aflag = 0;
	uint64		bflag = 0;
	int			matches = 0;
	int			transpositions = 0;
	int			i;
	double		m;

	BuildPatternMasks(&pm, b, blen);
	for (i = 0; i < alen; i++)
	{
		int			lo = Max(0, i - window);
		int			hi = Min(blen, i + window + 1);
		uint64		win;
		uint64		cand;

		if (lo >= hi)
			break;				/* windows only move right */
		win = ((hi == 64) ? ~UINT64CONST(0) : ((UINT64CONST(1) << hi) - 1)) &
			~((UINT64CONST(1) << lo) - 1);
		cand = PatternMask(&pm, a[i]) & win & ~bflag;
		if (cand != 0)
		{
			bflag |= cand & (~cand + 1);	/* lowest set bit */
			aflag |= UINT64CONST(1) << i;
			matches++;
		}
	}
	if (matches == 0)
		return 0.0;
	while (aflag != 0)
	{
		int			ia = pg_rightmost_one_pos64(aflag);
		int			ib = pg_rightmost_one_pos64(bflag);

		if (a[ia] != b[ib])
			transpositions++;
		aflag &= aflag - 1;
		bflag &= bflag - 1;
	}
	m = matches;
	return (m / alen + m / blen + (m - transpositions / 2.0) / m) / 3.0;
}

/* See compare.h. */
double
JaroSimilarity(const int32 *a, int alen, const int32 *b, int blen)
{
	bool		aflag_buf[CU_STACK_CHARS];
	bool		bflag_buf[CU_STACK_CHARS];
	bool	   *aflag;
	bool	   *bflag;
	int			window;
	int			matches = 0;
	int			transpositions = 0;
	int			i;
	int			k;
	double		m;

	if (alen == 0 && blen == 0)
		return 1.0;
	if (alen == 0 || blen == 0)
		return 0.0;

	window = Max(alen, blen) / 2 - 1;
	if (window < 0)
		window = 0;
	if (alen <= 64 && blen <= 64)
		return JaroShort(a, alen, b, blen, window);
	aflag = (alen <= CU_STACK_CHARS) ? aflag_buf : (bool *) palloc(alen);
	bflag = (blen <= CU_STACK_CHARS) ? bflag_buf : (bool *) palloc(blen);
	memset(aflag, 0, alen);
	memset(bflag, 0, blen);

	if (alen + blen > JARO_LONG)
		matches = JaroMatchLong(a, alen, b, blen, window, aflag, bflag);
	else
	{
		for (i = 0; i < alen; i++)
		{
			int			lo = Max(0, i - window);
			int			hi = Min(blen, i + window + 1);
			int			j;

			for (j = lo; j < hi; j++)
			{
				if (!bflag[j] && a[i] == b[j])
				{
					aflag[i] = bflag[j] = true;
					matches++;
					break;
				}
			}
		}
	}

	if (matches > 0)
	{
		/* half the matched characters that are out of order */
		k = 0;
		for (i = 0; i < alen; i++)
		{
			if (!aflag[i])
				continue;
			while (!bflag[k])
				k++;
			if (a[i] != b[k])
				transpositions++;
			k++;
		}
	}
	if (aflag != aflag_buf)
		pfree(aflag);
	if (bflag != bflag_buf)
		pfree(bflag);
	if (matches == 0)
		return 0.0;

	m = matches;
	return (m / alen + m / blen + (m - transpositions / 2.0) / m) / 3.0;
}

/* See compare.h. */
double
JaroWinklerSimilarity(const int32 *a, int alen, const int32 *b, int blen)
{
	double		jaro = JaroSimilarity(a, alen, b, blen);
	int			prefix = 0;

	if (jaro <= JW_BOOST_THRESHOLD)
		return jaro;
	while (prefix < JW_MAX_PREFIX && prefix < alen && prefix < blen &&
		   a[prefix] == b[prefix])
		prefix++;
	return jaro + prefix * JW_PREFIX_SCALE * (1.0 - jaro);
}

/*
 * Decode the two text arguments of a comparator into characters; buffers on
 * the caller's stack for short strings.
 */
#define DECODE_ARGS(fcinfo, ca, cb) \
	int32		ca##_buf[CU_STACK_CHARS]; \
	int32		cb##_buf[CU_STACK_CHARS]; \
	Codepoints	ca; \
	Codepoints	cb; \
	do { \
		text	   *ta_ = PG_GETARG_TEXT_PP(0); \
		text	   *tb_ = PG_GETARG_TEXT_PP(1); \
		DecodeCodepoints(VARDATA_ANY(ta_), VARSIZE_ANY_EXHDR(ta_), ca##_buf, CU_STACK_CHARS, &ca); \
		DecodeCodepoints(VARDATA_ANY(tb_), VARSIZE_ANY_EXHDR(tb_), cb##_buf, CU_STACK_CHARS, &cb); \
	} while (0)

/* The bound argument of the bounded edit distances, checked. */
static int
GetDistanceBound(FunctionCallInfo fcinfo)
{
	int32		max = PG_GETARG_INT32(2);

	if (max < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("maximum distance must not be negative: %d", max)));
	return max;
}

/*
 * cu_levenshtein(text, text [, max int]): insertions, deletions and
 * substitutions between two strings, in characters; bounded form returns
 * max + 1 as soon as the distance is known to exceed max.
 */
PG_FUNCTION_INFO_V1(cu_levenshtein);
Datum
cu_levenshtein(PG_FUNCTION_ARGS)
{
	int			max = (PG_NARGS() > 2) ? GetDistanceBound(fcinfo) : -1;
	int			d;

	DECODE_ARGS(fcinfo, a, b);
	d = LevenshteinDistance(a.chars, a.len, b.chars, b.len, max);
	FreeCodepoints(&a);
	FreeCodepoints(&b);
	PG_RETURN_INT32(d);
}

/*
 * cu_damerau_levenshtein(text, text [, max int]): the optimal string
 * alignment distance, Levenshtein plus transpositions of adjacent characters
 * (no substring edited twice).
 */
PG_FUNCTION_INFO_V1(cu_damerau_levenshtein);
Datum
cu_damerau_levenshtein(PG_FUNCTION_ARGS)
{
	int			max = (PG_NARGS() > 2) ? GetDistanceBound(fcinfo) : -1;
	int			d;

	DECODE_ARGS(fcinfo, a, b);
	d = OsaDistance(a.chars, a.len, b.chars, b.len, max);
	FreeCodepoints(&a);
	FreeCodepoints(&b);
	PG_RETURN_INT32(d);
}

/* cu_jaro(text, text): Jaro similarity in [0, 1]. */
PG_FUNCTION_INFO_V1(cu_jaro);
Datum
cu_jaro(PG_FUNCTION_ARGS)
{
	double		s;

	DECODE_ARGS(fcinfo, a, b);
	s = JaroSimilarity(a.chars, a.len, b.chars, b.len);
	FreeCodepoints(&a);
	FreeCodepoints(&b);
	PG_RETURN_FLOAT8(s);
}

/*
 * cu_jaro_winkler(text, text): Jaro similarity boosted for a common prefix,
 * which suits names where typos cluster at the end.
 */
PG_FUNCTION_INFO_V1(cu_jaro_winkler);
Datum
cu_jaro_winkler(PG_FUNCTION_ARGS)
{
	double		s;

	DECODE_ARGS(fcinfo, a, b);
	s = JaroWinklerSimilarity(a.chars, a.len, b.chars, b.len);
	FreeCodepoints(&a);
	FreeCodepoints(&b);
	PG_RETURN_FLOAT8(s);
}
