/*-------------------------------------------------------------------------
 *
 * phonetic.h
 *	  Phonetic keys of folded names: Double Metaphone (Lawrence Philips)
 *	  and a French phonetic code.
 *
 * Both functions are plain C (no palloc, no PostgreSQL types) so that they
 * can be called on folded tokens by the name-similarity code and compiled
 * standalone for unit tests (phonetic.c with -DPHONETIC_STANDALONE).
 *
 *-------------------------------------------------------------------------
 */
#ifndef PHONETIC_H
#define PHONETIC_H

/* Largest code length accepted by cu_double_metaphone(text, max_length). */
#define CU_DMETAPHONE_MAX_LENGTH 64

/*
 * Double Metaphone codes of word (len bytes, ASCII; any case; non-letters
 * are skipped as the original algorithm does).  primary and alternate must
 * each hold maxlen + 1 bytes; codes are NUL-terminated, at most maxlen chars.
 */
extern void DoubleMetaphone(const char *word, int len, int maxlen,
							char *primary, char *alternate);

/*
 * French phonetic key of one token (ASCII lower-case letters/digits, len
 * bytes).  Writes a NUL-terminated upper-case code into out, which holds at
 * least 2*len+2 bytes.  Returns its length (never more than 2*len).
 */
extern int	FrenchPhonetic(const char *token, int len, char *out);

#endif							/* PHONETIC_H */
