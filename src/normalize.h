/*
 * normalize.h
 *	  Folding of identity fields into comparable forms: ICU transliteration
 *	  (cu_fold), person names and e-mail addresses.
 */
#ifndef NORMALIZE_H
#define NORMALIZE_H

#include "postgres.h"

/*
 * cu_fold of a string in the server encoding: palloc'd, NUL-terminated,
 * lower-case Latin letters and digits separated by single spaces (plus the
 * letters of scripts ICU could not transliterate).
 */
extern char *FoldString(const char *str, int len, int *outlen);

/*
 * cu_normalize_name of a string in the server encoding: the folded name with
 * honorifics, suffixes and particles removed; palloc'd, NUL-terminated.
 */
extern char *NormalizeName(const char *str, int len, int *outlen);

/*
 * Canonical form of an e-mail address (UTF-8, len bytes), palloc'd, or NULL
 * when the text is not an address.
 */
extern char *NormalizeEmail(const char *str, int len);

/* Conversions between the server encoding and UTF-8 (no copy when equal). */
extern char *ServerToUtf8(const char *str, int len, int *outlen);
extern char *Utf8ToServer(const char *str, int len, int *outlen);

#endif							/* NORMALIZE_H */
