/*
 * codepoints.h
 *	  Decoding text into arrays of characters, so that comparators work on
 *	  characters and not on bytes.
 */
#ifndef CODEPOINTS_H
#define CODEPOINTS_H

#include "postgres.h"

/*
 * A decoded string: chars points either to the caller's stack buffer or to
 * palloc'd memory (freed by FreeCodepoints).
 */
typedef struct Codepoints
{
	int32	   *chars;
	int			len;
	bool		palloced;
} Codepoints;

extern void DecodeCodepoints(const char *str, int bytes, int32 *stackbuf,
							 int stackcap, Codepoints *out);
extern void FreeCodepoints(Codepoints *cp);

#endif							/* CODEPOINTS_H */
