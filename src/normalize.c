/*
 * normalize.c
 *	  Folding identity fields into comparable forms: cu_fold (ICU
 *	  transliteration to lower-case Latin), cu_normalize_name and
 *	  cu_normalize_email.
 *
 * Folding is the first step of every comparison: 'Frédérique LE GOFF-Ñúñez',
 * 'frederique le goff nunez' and 'ФРЕДЕРИК' must meet on common ground
 * before any distance is computed.  The ICU transliterator is opened once per
 * backend; pure-ASCII input, the common case, never reaches ICU.
 */
#include "postgres.h"

#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "customer_unify.h"
#include "normalize.h"

/*
 * The fold transform: every script to Latin, Latin to ASCII where ASCII has a
 * letter for it (ß -> ss, Ø -> o, Æ -> ae), leftover accents removed, lower
 * case.  Whatever remains outside ASCII (a script without a Latin
 * transliteration) is kept, never dropped.
 */
#define FOLD_TRANSFORM "Any-Latin; Latin-ASCII; NFD; [:Nonspacing Mark:] Remove; Lower; NFC"

/*
 * Input is transliterated in chunks of about this many bytes, cut at a
 * separator, so that a cancel is honoured between chunks and the UTF-16
 * buffers stay small.
 */
#define FOLD_CHUNK_BYTES 16384

/* Limits of an e-mail address (RFC 5321). */
#define EMAIL_MAX_LOCAL 64
#define EMAIL_MAX_DOMAIN 253
#define EMAIL_MAX_LABEL 63
#define EMAIL_MAX_TOTAL 254

static UTransliterator *fold_transliterator = NULL;

/* Folded output under construction: spaces are collapsed as text arrives. */
typedef struct FoldOutput
{
	StringInfoData buf;
	bool		pending_space;
} FoldOutput;

/*
 * The backend's fold transliterator, opened on first use.  Opening it costs
 * milliseconds (Han-Latin loads large tables), so it is never done per call.
 */
static UTransliterator *
GetFoldTransliterator(void)
{
	if (fold_transliterator == NULL)
	{
		UChar		id[sizeof(FOLD_TRANSFORM)];
		UParseError perr;
		UErrorCode	status = U_ZERO_ERROR;

		u_uastrncpy(id, FOLD_TRANSFORM, lengthof(id));
		fold_transliterator = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0,
										   &perr, &status);
		if (U_FAILURE(status))
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not open ICU transliterator \"%s\": %s",
							FOLD_TRANSFORM, u_errorName(status))));
	}
	return fold_transliterator;
}

/* Convert a string in the server encoding to UTF-8; no copy when UTF-8. */
char *
ServerToUtf8(const char *str, int len, int *outlen)
{
	char	   *res;

	if (GetDatabaseEncoding() == PG_UTF8)
	{
		*outlen = len;
		return (char *) str;
	}
	res = (char *) pg_do_encoding_conversion((unsigned char *) unconstify(char *, str),
											 len, GetDatabaseEncoding(), PG_UTF8);
	*outlen = (res == str) ? len : (int) strlen(res);
	return res;
}

/* Convert a UTF-8 string back to the server encoding; no copy when UTF-8. */
char *
Utf8ToServer(const char *str, int len, int *outlen)
{
	char	   *res;

	if (GetDatabaseEncoding() == PG_UTF8)
	{
		*outlen = len;
		return (char *) str;
	}
	res = (char *) pg_do_encoding_conversion((unsigned char *) unconstify(char *, str),
											 len, PG_UTF8, GetDatabaseEncoding());
	*outlen = (res == str) ? len : (int) strlen(res);
	return res;
}

/* Note a separator: it becomes one space, and only between two words. */
static inline void
FoldSeparator(FoldOutput *out)
{
	if (out->buf.len > 0)
		out->pending_space = true;
}

/* Append n bytes of a word (UTF-8), after a pending space. */
static inline void
FoldAppend(FoldOutput *out, const char *bytes, int n)
{
	if (out->buf.len + n + 2 > out->buf.maxlen)
		enlargeStringInfo(&out->buf, n + 2);
	if (out->pending_space)
	{
		out->buf.data[out->buf.len++] = ' ';
		out->pending_space = false;
	}
	memcpy(out->buf.data + out->buf.len, bytes, n);
	out->buf.len += n;
}

/*
 * Folded form of each ASCII character: lower-case letter, digit, or 0 for a
 * separator.
 */
static inline char
FoldAsciiChar(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char) (c + ('a' - 'A'));
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return (char) c;
	return 0;
}

/* Append the fold of ASCII text (a transliteration result, or input). */
static inline void
FoldAppendAscii(FoldOutput *out, const char *s, int len)
{
	int			i;

	for (i = 0; i < len; i++)
	{
		char		f = FoldAsciiChar((unsigned char) s[i]);

		if (f != 0)
			FoldAppend(out, &f, 1);
		else
			FoldSeparator(out);
	}
}

/* Fold ASCII bytes: letters to lower case, digits kept, anything else a separator. */
static void
FoldAscii(FoldOutput *out, const char *s, int len)
{
	int			i;

	for (i = 0; i < len; i += CU_INTERRUPT_INTERVAL)
	{
		CHECK_FOR_INTERRUPTS();
		FoldAppendAscii(out, s + i, Min(CU_INTERRUPT_INTERVAL, len - i));
	}
}

/*
 * Append transliterated UTF-16 text: letters, digits and marks are kept
 * (lower-cased), modifier letters dropped, everything else separates words.
 */
static void
FoldAppendUChars(FoldOutput *out, const UChar *u, int32_t ulen)
{
	int32_t		i = 0;

	while (i < ulen)
	{
		UChar32		c;

		U16_NEXT(u, i, ulen, c);
		if (c < 0x80)
		{
			char		a = (char) c;

			FoldAppendAscii(out, &a, 1);
		}
		else if ((U_GET_GC_MASK(c) & U_GC_LM_MASK) != 0)
		{
			/* modifier letters left by transliteration (the ayin in ʿly) */
			continue;
		}
		else if (u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0)
		{
			unsigned char utf8[8];

			c = u_tolower(c);
			unicode_to_utf8((pg_wchar) c, utf8);
			FoldAppend(out, (const char *) utf8, pg_utf_mblen(utf8));
		}
		else
			FoldSeparator(out);
	}
}

/*
 * The fold of each Latin-1 and Latin Extended-A/B character (U+0080 to
 * U+024F), as the transliterator itself gives it, taken once per backend:
 * names written in Latin scripts ('Lefèvre', 'Łódź', 'Straße') then fold
 * without calling ICU.  These characters transliterate one by one, with no
 * context, so the result is identical (a regression test checks every one).
 * A character whose fold is not short ASCII is marked absent and sends its
 * text through ICU.
 */
#define LATIN_TABLE_END 0x0250
#define LATIN_FOLD_MAX 4

typedef struct LatinFold
{
	int8		len;			/* -1: not in the table */
	char		ascii[LATIN_FOLD_MAX];
} LatinFold;

static LatinFold latin_fold[LATIN_TABLE_END];
static bool latin_fold_ready = false;

/* Fill latin_fold by transliterating each character alone. */
static void
BuildLatinFoldTable(void)
{
	UTransliterator *trans = GetFoldTransliterator();
	UChar32		c;

	for (c = 0; c < LATIN_TABLE_END; c++)
	{
		UChar		u[16];
		int32_t		ulen = 0;
		int32_t		limit;
		UErrorCode	status = U_ZERO_ERROR;
		int			i;

		latin_fold[c].len = -1;
		if (c < 0x80)
			continue;
		U16_APPEND_UNSAFE(u, ulen, c);
		limit = ulen;
		utrans_transUChars(trans, u, &ulen, lengthof(u), 0, &limit, &status);
		if (U_FAILURE(status) || ulen > LATIN_FOLD_MAX)
			continue;
		for (i = 0; i < ulen; i++)
			if (u[i] >= 0x80)
				break;
		if (i < ulen)
			continue;
		for (i = 0; i < ulen; i++)
			latin_fold[c].ascii[i] = (char) u[i];
		latin_fold[c].len = (int8) ulen;
	}
	latin_fold_ready = true;
}

/*
 * Fold UTF-8 text made only of ASCII and table characters, without ICU.
 * Returns false (having appended nothing) when some character is not in the
 * table.
 */
static bool
FoldLatin(FoldOutput *out, const char *s, int len)
{
	const unsigned char *u = (const unsigned char *) s;
	int			i;

	if (!latin_fold_ready)
		BuildLatinFoldTable();
	/* first pass: is every character covered? */
	for (i = 0; i < len;)
	{
		if (u[i] < 0x80)
			i++;
		else if ((u[i] & 0xE0) == 0xC0 && i + 1 < len && (u[i + 1] & 0xC0) == 0x80 &&
				 ((((u[i] & 0x1F) << 6) | (u[i + 1] & 0x3F)) < LATIN_TABLE_END) &&
				 latin_fold[((u[i] & 0x1F) << 6) | (u[i + 1] & 0x3F)].len >= 0)
			i += 2;
		else
			return false;
	}
	for (i = 0; i < len;)
	{
		if (u[i] < 0x80)
		{
			FoldAppendAscii(out, s + i, 1);
			i++;
		}
		else
		{
			const LatinFold *f = &latin_fold[((u[i] & 0x1F) << 6) | (u[i + 1] & 0x3F)];

			FoldAppendAscii(out, f->ascii, f->len);
			i += 2;
		}
	}
	return true;
}

/* Transliterate one chunk of UTF-8 text and append its folded form. */
static void
FoldUtf8Chunk(FoldOutput *out, const char *s, int len)
{
	UTransliterator *trans = GetFoldTransliterator();
	int32_t		capacity = len * 4 + 64;

	for (;;)
	{
		UChar	   *u = (UChar *) palloc(sizeof(UChar) * capacity);
		int32_t		ulen;
		int32_t		limit;
		UErrorCode	status = U_ZERO_ERROR;

		u_strFromUTF8WithSub(u, capacity, &ulen, s, len, 0xFFFD, NULL, &status);
		if (U_FAILURE(status))
			elog(ERROR, "could not convert text to UTF-16: %s", u_errorName(status));

		limit = ulen;
		utrans_transUChars(trans, u, &ulen, capacity, 0, &limit, &status);
		if (status == U_BUFFER_OVERFLOW_ERROR)
		{
			/* the transliteration grew past the buffer: start over bigger */
			pfree(u);
			capacity *= 2;
			continue;
		}
		if (U_FAILURE(status))
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("ICU transliteration failed: %s", u_errorName(status))));
		FoldAppendUChars(out, u, ulen);
		pfree(u);
		return;
	}
}

/*
 * Length of the next chunk of s to transliterate: at most about
 * FOLD_CHUNK_BYTES, ending after an ASCII separator when one is near, and
 * never inside a UTF-8 sequence.
 */
static int
FoldChunkLength(const char *s, int len)
{
	int			end;
	int			i;

	if (len <= FOLD_CHUNK_BYTES)
		return len;
	/* look for an ASCII separator in the last quarter of the chunk */
	for (i = FOLD_CHUNK_BYTES; i > FOLD_CHUNK_BYTES * 3 / 4; i--)
	{
		unsigned char c = (unsigned char) s[i - 1];

		if (c < 0x80 && !isalnum(c))
			return i;
	}
	/* none: cut before the start of a character */
	end = FOLD_CHUNK_BYTES;
	while (end > 1 && ((unsigned char) s[end] & 0xC0) == 0x80)
		end--;
	return end;
}

/*
 * Fold a UTF-8 string into out.  Chunks of ASCII and Latin letters skip ICU;
 * others are transliterated by ICU.
 */
static void
FoldUtf8(FoldOutput *out, const char *s, int len)
{
	int			pos = 0;

	while (pos < len)
	{
		int			chunk = FoldChunkLength(s + pos, len - pos);
		bool		ascii = true;
		int			i;

		CHECK_FOR_INTERRUPTS();
		for (i = 0; i < chunk; i++)
		{
			if ((unsigned char) s[pos + i] >= 0x80)
			{
				ascii = false;
				break;
			}
		}
		if (ascii)
			FoldAscii(out, s + pos, chunk);
		else if (!FoldLatin(out, s + pos, chunk))
			FoldUtf8Chunk(out, s + pos, chunk);
		pos += chunk;
	}
}

/* See normalize.h. */
char *
FoldString(const char *str, int len, int *outlen)
{
	FoldOutput	out;
	int			ulen;
	const char *u = ServerToUtf8(str, len, &ulen);
	char	   *res;

	initStringInfo(&out.buf);
	out.pending_space = false;
	FoldUtf8(&out, u, ulen);
	res = Utf8ToServer(out.buf.data, out.buf.len, outlen);
	if (res != out.buf.data)
		pfree(out.buf.data);
	return res;
}

/*
 * cu_fold(text): lower-case Latin without diacritics, punctuation turned into
 * spaces, spaces collapsed; other scripts transliterated.
 */
PG_FUNCTION_INFO_V1(cu_fold);
Datum
cu_fold(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int			len;
	char	   *folded = FoldString(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &len);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(folded, len));
}

/*
 * Words dropped from names.  Sorted (strcmp order) for binary search; all in
 * folded form.  Honorifics are dropped at the start of a name, suffixes at the
 * end, particles anywhere; none is dropped when it is the last word left.
 */
/* No word of these lists is longer. */
#define NAME_WORD_MAX 12

static const char *const name_honorifics[] = {
	"dame", "doc", "docteur", "doctor", "dr", "lady", "lord", "m", "madame",
	"mademoiselle", "maitre", "master", "me", "messrs", "miss", "mister",
	"mlle", "mlles", "mm", "mme", "mmes", "monsieur", "mr", "mrs", "ms",
	"mx", "pr", "prof", "professeur", "professor", "rev", "sir", "sr"
};

static const char *const name_suffixes[] = {
	"esq", "ii", "iii", "iv", "jr", "junior", "phd", "senior", "sr"
};

static const char *const name_particles[] = {
	"al", "bin", "d", "da", "das", "de", "dei", "del", "della", "den", "der",
	"des", "di", "do", "dos", "du", "el", "ibn", "l", "la", "le", "les",
	"ten", "ter", "van", "von", "y", "zu"
};

/* Is the word (len bytes, not NUL-terminated) in the sorted list? */
static bool
InWordList(const char *word, int len, const char *const *list, int n)
{
	int			lo = 0;
	int			hi = n - 1;

	if (len > NAME_WORD_MAX)
		return false;
	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			cmp = (unsigned char) list[mid][0] - (unsigned char) word[0];

		if (cmp == 0)
			cmp = strncmp(list[mid], word, len);

		if (cmp == 0)
			cmp = (list[mid][len] == '\0') ? 0 : 1;
		if (cmp == 0)
			return true;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

/* See normalize.h. */
char *
NormalizeName(const char *str, int len, int *outlen)
{
	int			flen;
	char	   *folded = FoldString(str, len, &flen);
	int			ntokens = 0;
	int			maxtokens = flen / 2 + 1;
	int			starts_buf[64];
	int			lens_buf[64];
	bool		keep_buf[64];
	int		   *starts = starts_buf;
	int		   *lens = lens_buf;
	bool	   *keep = keep_buf;
	int			kept;
	int			first;
	int			last;
	int			w;
	int			i;

	if (maxtokens > (int) lengthof(starts_buf))
	{
		starts = (int *) palloc(sizeof(int) * maxtokens);
		lens = (int *) palloc(sizeof(int) * maxtokens);
		keep = (bool *) palloc(sizeof(bool) * maxtokens);
	}

	/* split on the single spaces left by folding */
	for (i = 0; i < flen;)
	{
		int			j = i;

		while (j < flen && folded[j] != ' ')
			j++;
		starts[ntokens] = i;
		lens[ntokens] = j - i;
		keep[ntokens] = true;
		ntokens++;
		i = j + 1;
	}
	kept = ntokens;

	/* honorifics at the start */
	for (first = 0; first < ntokens && kept > 1; first++)
	{
		if (!InWordList(folded + starts[first], lens[first], name_honorifics,
						lengthof(name_honorifics)))
			break;
		keep[first] = false;
		kept--;
	}
	/* suffixes at the end */
	for (last = ntokens - 1; last >= first && kept > 1; last--)
	{
		if (!InWordList(folded + starts[last], lens[last], name_suffixes,
						lengthof(name_suffixes)))
			break;
		keep[last] = false;
		kept--;
	}
	/* particles anywhere */
	for (i = 0; i < ntokens && kept > 1; i++)
	{
		if (keep[i] && InWordList(folded + starts[i], lens[i], name_particles,
								  lengthof(name_particles)))
		{
			keep[i] = false;
			kept--;
		}
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}

	/* the kept words, moved down in place */
	w = 0;
	for (i = 0; i < ntokens; i++)
	{
		if (!keep[i])
			continue;
		if (w > 0)
			folded[w++] = ' ';
		memmove(folded + w, folded + starts[i], lens[i]);
		w += lens[i];
	}
	folded[w] = '\0';
	if (starts != starts_buf)
	{
		pfree(starts);
		pfree(lens);
		pfree(keep);
	}
	*outlen = w;
	return folded;
}

/*
 * cu_normalize_name(text): a folded person name without honorifics (M., Mme,
 * Dr, Mr, Mrs...), suffixes (Jr, III) and particles (de, van, le...).
 */
PG_FUNCTION_INFO_V1(cu_normalize_name);
Datum
cu_normalize_name(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int			len;
	char	   *name = NormalizeName(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &len);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(name, len));
}

/* ASCII characters allowed in the local part of an address, besides letters and digits. */
static inline bool
IsEmailAtextSymbol(unsigned char c)
{
	return c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

/*
 * Append the lower-cased UTF-8 character at s (returning its byte length), or
 * return 0 when it is not a letter, digit or mark.
 */
static int
AppendLowerNonAscii(StringInfo buf, const unsigned char *s, int avail)
{
	int			n = pg_utf_mblen(s);
	pg_wchar	c;
	unsigned char utf8[8];

	if (n > avail || !pg_utf8_islegal(s, n))
		return 0;
	c = utf8_to_unicode(s);
	if (!u_isalnum((UChar32) c) && (U_GET_GC_MASK((UChar32) c) & U_GC_M_MASK) == 0)
		return 0;
	c = (pg_wchar) u_tolower((UChar32) c);
	unicode_to_utf8(c, utf8);
	appendBinaryStringInfo(buf, (const char *) utf8, pg_utf_mblen(utf8));
	return n;
}

/* Lower-cased local part into buf; false when it is not a valid dot-atom. */
static bool
EmailLocalPart(StringInfo buf, const unsigned char *s, int len)
{
	int			i = 0;

	if (len < 1 || len > EMAIL_MAX_LOCAL || s[0] == '.' || s[len - 1] == '.')
		return false;
	while (i < len)
	{
		unsigned char c = s[i];

		if (c >= 0x80)
		{
			int			n = AppendLowerNonAscii(buf, s + i, len - i);

			if (n == 0)
				return false;
			i += n;
			continue;
		}
		if (c == '.' && s[i + 1] == '.')
			return false;
		if (isalnum(c) || c == '.' || IsEmailAtextSymbol(c))
			appendStringInfoChar(buf, (char) pg_ascii_tolower(c));
		else
			return false;
		i++;
	}
	return true;
}

/*
 * Lower-cased domain into buf; false unless it is at least two labels of
 * letters, digits and inner hyphens with a top-level label that is not numeric.
 */
static bool
EmailDomain(StringInfo buf, const unsigned char *s, int len)
{
	int			i = 0;
	int			labels = 0;
	int			label_start;
	bool		tld_numeric = true;

	if (len > 0 && s[len - 1] == '.')
		len--;					/* a fully-qualified trailing dot */
	if (len < 3 || len > EMAIL_MAX_DOMAIN)
		return false;
	while (i < len)
	{
		int			chars = 0;

		label_start = i;
		tld_numeric = true;
		while (i < len && s[i] != '.')
		{
			unsigned char c = s[i];

			if (c >= 0x80)
			{
				int			n = AppendLowerNonAscii(buf, s + i, len - i);

				if (n == 0)
					return false;
				i += n;
				tld_numeric = false;
			}
			else if (isalnum(c) || c == '-')
			{
				if (c == '-' && (i == label_start || i + 1 == len || s[i + 1] == '.'))
					return false;
				if (!isdigit(c))
					tld_numeric = false;
				appendStringInfoChar(buf, (char) pg_ascii_tolower(c));
				i++;
			}
			else
				return false;
			chars++;
		}
		if (chars == 0 || i - label_start > EMAIL_MAX_LABEL)
			return false;
		labels++;
		if (i < len)
		{
			/* a dot: another label must follow */
			if (i + 1 == len)
				return false;
			appendStringInfoChar(buf, '.');
			i++;
		}
	}
	/* the top-level label: at least two characters, not a number */
	return labels >= 2 && !tld_numeric && i - label_start >= 2;
}

/* Is c white space, ASCII or the UTF-8 no-break space, at s? Returns its length or 0. */
static inline int
EmailSpaceLength(const unsigned char *s, int avail)
{
	if (avail >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
		return 1;
	if (avail >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	return 0;
}

/*
 * Canonical form of an e-mail address (UTF-8 in, UTF-8 out), or NULL when it
 * is not one.  Accepts 'Name <addr>' and 'mailto:addr'.
 */
char *
NormalizeEmail(const char *str, int len)
{
	const unsigned char *s = (const unsigned char *) str;
	const unsigned char *at = NULL;
	const unsigned char *lt;
	StringInfoData local;
	StringInfoData domain;
	int			n;
	int			i;
	char	   *res;

	/* trim */
	while (len > 0 && (n = EmailSpaceLength(s, len)) > 0)
		s += n, len -= n;
	while (len > 0 && (s[len - 1] == ' ' || (s[len - 1] >= '\t' && s[len - 1] <= '\r') ||
					   (len >= 2 && s[len - 2] == 0xC2 && s[len - 1] == 0xA0)))
		len -= (s[len - 1] == 0xA0) ? 2 : 1;

	/* 'Display Name <address>' */
	lt = (len > 0) ? memchr(s, '<', len) : NULL;
	if (lt != NULL)
	{
		const unsigned char *gt;
		int			rest = len - (int) (lt - s) - 1;

		gt = memchr(lt + 1, '>', rest);
		if (gt == NULL)
			return NULL;
		s = lt + 1;
		len = (int) (gt - s);
	}
	if (len >= 7 && pg_strncasecmp((const char *) s, "mailto:", 7) == 0)
		s += 7, len -= 7;
	if (len < 1 || len > EMAIL_MAX_TOTAL)
		return NULL;

	for (i = 0; i < len; i++)
	{
		if (s[i] == '@')
		{
			if (at != NULL)
				return NULL;	/* quoted local parts are not supported */
			at = s + i;
		}
	}
	if (at == NULL)
		return NULL;

	initStringInfo(&local);
	initStringInfo(&domain);
	if (!EmailLocalPart(&local, s, (int) (at - s)) ||
		!EmailDomain(&domain, at + 1, len - (int) (at - s) - 1))
		return NULL;

	/* provider rules */
	if (strcmp(domain.data, "gmail.com") == 0 || strcmp(domain.data, "googlemail.com") == 0)
	{
		/* Gmail ignores dots and everything after '+' */
		int			w = 0;

		for (i = 0; i < local.len && local.data[i] != '+'; i++)
			if (local.data[i] != '.')
				local.data[w++] = local.data[i];
		local.data[w] = '\0';
		local.len = w;
		resetStringInfo(&domain);
		appendStringInfoString(&domain, "gmail.com");
	}
	else
	{
		/* sub-addressing: 'name+tag' delivers to 'name' */
		char	   *plus = strchr(local.data, '+');

		if (plus != NULL && plus != local.data)
		{
			*plus = '\0';
			local.len = (int) (plus - local.data);
		}
	}
	if (local.len == 0 || local.data[local.len - 1] == '.')
		return NULL;

	res = psprintf("%s@%s", local.data, domain.data);
	pfree(local.data);
	pfree(domain.data);
	return res;
}

/*
 * cu_normalize_email(text): canonical e-mail address (trimmed, lower case,
 * Gmail dots and '+tag' sub-addresses removed) or NULL when not an address.
 */
PG_FUNCTION_INFO_V1(cu_normalize_email);
Datum
cu_normalize_email(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int			ulen;
	char	   *u = ServerToUtf8(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &ulen);
	char	   *email = NormalizeEmail(u, ulen);
	int			len;

	if (email == NULL)
		PG_RETURN_NULL();
	email = Utf8ToServer(email, strlen(email), &len);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(email, len));
}
