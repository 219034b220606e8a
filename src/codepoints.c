/*
 * codepoints.c
 *	  Decoding text in the server encoding into arrays of characters.
 *
 * Edit distances and Jaro-Winkler count characters, not bytes: 'Müller' and
 * 'Muller' are one substitution apart, not two.  Comparisons only need
 * character equality, so the server's own wide-character decoding serves
 * every server encoding (for UTF-8 it yields Unicode code points).
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "codepoints.h"

/*
 * Decode bytes into out->chars, using stackbuf when the string fits in it.
 * Pure ASCII, the common case for folded names, is copied byte by byte.
 */
void
DecodeCodepoints(const char *str, int bytes, int32 *stackbuf, int stackcap,
				 Codepoints *out)
{
	const unsigned char *s = (const unsigned char *) str;
	int			i;

	/* n bytes hold at most n characters, plus the terminator the server writes */
	if (bytes < stackcap)
	{
		out->chars = stackbuf;
		out->palloced = false;
	}
	else
	{
		if ((Size) bytes + 1 > MaxAllocSize / sizeof(int32))
			out->chars = (int32 *) palloc_extended(((Size) bytes + 1) * sizeof(int32),
												   MCXT_ALLOC_HUGE);
		else
			out->chars = (int32 *) palloc(((Size) bytes + 1) * sizeof(int32));
		out->palloced = true;
	}

	for (i = 0; i < bytes; i++)
	{
		if (s[i] >= 0x80)
			break;
		out->chars[i] = s[i];
	}
	if (i == bytes)
	{
		out->len = bytes;
		return;
	}

	/* not pure ASCII: let the server decode the rest */
	out->len = i + pg_mb2wchar_with_len(str + i, (pg_wchar *) (out->chars + i),
										bytes - i);
}

/* Release what DecodeCodepoints allocated, if anything. */
void
FreeCodepoints(Codepoints *cp)
{
	if (cp->palloced)
		pfree(cp->chars);
	cp->chars = NULL;
}
