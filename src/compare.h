/*
 * compare.h
 *	  String comparators on decoded characters: Levenshtein, optimal string
 *	  alignment (restricted Damerau-Levenshtein), Jaro and Jaro-Winkler.
 */
#ifndef COMPARE_H
#define COMPARE_H

#include "postgres.h"

/*
 * Edit distances between a (alen chars) and b (blen chars).  With max >= 0,
 * computation stops as soon as the distance is known to exceed max and max + 1
 * is returned; max < 0 means no bound.
 */
extern int	LevenshteinDistance(const int32 *a, int alen, const int32 *b, int blen, int max);
extern int	OsaDistance(const int32 *a, int alen, const int32 *b, int blen, int max);

/* Jaro similarity in [0, 1]; two empty strings are identical (1). */
extern double JaroSimilarity(const int32 *a, int alen, const int32 *b, int blen);

/* Jaro-Winkler: Jaro boosted by the common prefix (up to 4, scale 0.1) above 0.7. */
extern double JaroWinklerSimilarity(const int32 *a, int alen, const int32 *b, int blen);

#endif							/* COMPARE_H */
