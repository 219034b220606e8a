/*
 * phone.h
 *	  Phone numbers to E.164: the PostgreSQL-independent core behind
 *	  cu_normalize_phone.
 *
 * The core only needs the C library and ICU's character properties, so that
 * phone.c also compiles without the server headers (-DPHONE_STANDALONE) and
 * can be unit-tested on its own.
 */
#ifndef PHONE_H
#define PHONE_H

#include <stdbool.h>

/*
 * Size of the buffer NormalizePhone writes into: '+', at most 15 digits
 * (E.164), and the terminating NUL.
 */
#define PHONE_E164_BUFSIZE 17

/*
 * Inputs longer than this many bytes are never a phone number: they are
 * answered "not a number" without being read.
 */
#define PHONE_MAX_INPUT_BYTES 1024

/* Region index for an ISO 3166-1 alpha-2 code (case-insensitive), or -1. */
extern int	PhoneRegionLookup(const char *code, int len);

/*
 * E.164 form of phone (UTF-8, len bytes) written in region; writes it into
 * out (at least PHONE_E164_BUFSIZE bytes) and returns true, or returns false
 * when the text cannot be a phone number.
 */
extern bool NormalizePhone(const char *phone, int len, int region, char *out);

/* Comma-separated list of the supported region codes, for error hints. */
extern const char *PhoneRegionList(void);

#endif							/* PHONE_H */
