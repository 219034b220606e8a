/*
 * name_similarity.h
 *	  The token-aware similarity of person names (name_similarity.c), also
 *	  used by the match model to compare names and addresses.
 */
#ifndef NAME_SIMILARITY_H
#define NAME_SIMILARITY_H

/* Similarity of two names (server encoding) in [0, 1]; symmetric. */
extern double NameSimilarity(const char *s1, int len1, const char *s2, int len2);

/* The same, optionally on names already in cu_normalize_name's form. */
extern double NameSimilarityExt(const char *s1, int len1, const char *s2, int len2,
								bool normalized);

#endif							/* NAME_SIMILARITY_H */
