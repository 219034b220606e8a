/*-------------------------------------------------------------------------
 *
 * nicknames.h
 *	  First-name equivalence table (nicknames, diminutives, short forms,
 *	  spelling variants and English/French cross forms) used by the
 *	  token-aware person name similarity.
 *
 * Tokens are in folded form: lower-case ASCII letters only, as produced by
 * the caller's ICU transliteration ('Frédéric' -> 'frederic').  A token is
 * not NUL-terminated; its length is passed explicitly.
 *
 * Group ids are small non-negative integers that are only meaningful within
 * one build of the extension: compare them, never store them.
 *
 * src/nicknames.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef CU_NICKNAMES_H
#define CU_NICKNAMES_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Canonical group ids of a folded first-name token (len bytes): writes up to
 * max ids into ids, in ascending order, and returns how many were written
 * (0 when the token is not a known first name or nickname).  A canonical
 * name itself belongs to its own group.  No token belongs to more than
 * NICKNAME_MAX_GROUPS groups, so an array of that size is always enough.
 */
#define NICKNAME_MAX_GROUPS 8
extern int	NicknameGroups(const char *token, int len, int32_t *ids, int max);

/*
 * True when the two folded tokens share a nickname group (and are not simply
 * equal strings).  Not transitive: 'sandy' matches 'alexandra' and 'sandra',
 * but 'alexandra' does not match 'sandra'.
 */
extern bool NicknamesEquivalent(const char *a, int alen,
								const char *b, int blen);

/*
 * Canonical (label) name of a group id returned by NicknameGroups, or NULL
 * when the id is out of range.  For diagnostics and tests.
 */
extern const char *NicknameGroupName(int32_t id);

#endif							/* CU_NICKNAMES_H */
