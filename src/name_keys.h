/*
 * name_keys.h
 *	  Key sets of person names and the indexable name score built on them,
 *	  shared by the operators (name_keys.c), the GIN operator class
 *	  (name_gin.c) and the GiST operator class (name_gist.c).
 *
 * A name's keys are 32-bit integers: the two top bits give the kind of key,
 * which sets its weight in the score.  The score of two names is the weighted
 * Jaccard index of their key sets: W(A and B) / W(A or B), where W sums the
 * weights of the keys.  Because it only depends on which keys are shared, an
 * index that stores keys can bound it exactly (see NameScoreUpperBound).
 */
#ifndef NAME_KEYS_H
#define NAME_KEYS_H

#include "postgres.h"

typedef int32 NameKey;

/* Kinds of keys (the two top bits of a key). */
#define NAME_KEY_TRIGRAM	0	/* three characters of a padded word */
#define NAME_KEY_PHONETIC	1	/* French phonetic code or Double Metaphone of a word */
#define NAME_KEY_INITIAL	2	/* first letter of a word, or a letter of initials */
#define NAME_KEY_NICKNAME	3	/* canonical first name of a nickname group */

#define NameKeyKind(k) ((int) (((uint32) (k)) >> 30))

/* Weights of the kinds, in the order above. */
extern const double name_key_weights[4];

#define NameKeyWeight(k) (name_key_weights[NameKeyKind(k)])

/*
 * Key sets are bounded: only the first NAME_KEYS_MAX_WORDS words of a name,
 * and the first NAME_KEYS_MAX_WORD_CHARS characters of each word, give keys.
 */
#define NAME_KEYS_MAX_WORDS 16
#define NAME_KEYS_MAX_WORD_CHARS 32

/* Strategy numbers shared by both operator classes. */
#define NAME_MATCH_STRATEGY			1	/* text %% text (setting threshold) */
#define NAME_DISTANCE_STRATEGY		2	/* text <~> text (GiST ordering) */
#define NAME_MATCH_AT_STRATEGY		3	/* text %%> cu_name_query (own threshold) */

/* The customer_unify.name_threshold setting. */
extern double name_threshold;

/* Sorted, duplicate-free keys of a name (server encoding); palloc'd. */
extern NameKey *ExtractNameKeys(const char *str, int len, int *nkeys);

/* Total weight of a key array. */
extern double NameKeysWeight(const NameKey *keys, int nkeys);

/* Weight of the keys two sorted arrays share. */
extern double NameKeysSharedWeight(const NameKey *a, int na, const NameKey *b, int nb);

/*
 * The score from the weights of two key sets and of the keys they share:
 * weighted Jaccard, W(A and B) / W(A or B), 0 when nothing is shared.  The
 * operators and the GiST leaves both score through this one function, so
 * that an index answers exactly as a sequential scan.
 */
static inline double
NameScoreFromWeights(double shared_weight, double weight_a, double weight_b)
{
	if (shared_weight <= 0)
		return 0.0;
	return shared_weight / (weight_a + weight_b - shared_weight);
}

/*
 * Whether a pair matches at a threshold: at least one shared key and a score
 * of at least threshold.
 */
static inline bool
NameScoreMatches(double shared_weight, double score, double threshold)
{
	return shared_weight > 0 && score >= threshold;
}

/*
 * Largest score any name can reach with a query whose keys weigh
 * query_weight, when the keys it shares with the query weigh at most
 * shared_weight: W(A or Q) >= W(Q), so W(A and Q) / W(A or Q) <= shared /
 * W(Q).  Index scans keep every entry whose bound reaches the threshold, so
 * they can never drop a true match.
 */
static inline double
NameScoreUpperBound(double shared_weight, double query_weight)
{
	return (query_weight > 0) ? Min(1.0, shared_weight / query_weight) : 0.0;
}

/* The query of a %%> operator (a cu_name_query value): name and threshold. */
extern void NameQueryArgs(Datum query, text **name, double *threshold);

/* Reject a threshold outside [0, 1]. */
extern void CheckNameThreshold(double threshold);

#endif							/* NAME_KEYS_H */
