/*
 * blocking.c
 *	  Blocking keys: which records are worth comparing.  Two records become a
 *	  candidate pair when they share a key; cu_resolve and cu_train join the
 *	  records on their keys (a hash join), never the whole table with itself.
 *
 * A key is "rule:value".  The rules, each catching what the others miss:
 *	 email           the same e-mail address
 *	 mailbox         the same mailbox name at another provider (3+ characters)
 *	 phone           the same phone number
 *	 names           the sound (Double Metaphone) of two words of the name,
 *	                 in any order: typos that keep the sound, swapped names
 *	 birth_name      the date of birth and the sound of one word of the name
 *	 postcode_name   the postcode and the sound of one word of the name
 *	 city_name       the city and the sound of one word of the name
 *	 birth_postcode  the date of birth and the postcode: a name badly typed
 *	 birth_city      the date of birth and the city: the same, or no name
 *	 year_name       the year of birth and the sound of one word of the name:
 *	                 typos in the date and in the other words
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "phonetic.h"

/* Words of a name that give keys, and the length of their sound codes. */
#define BLOCK_MAX_WORDS 6
#define BLOCK_CODE_LENGTH 4

/* Shortest mailbox name that is a key on its own. */
#define BLOCK_MIN_MAILBOX 3

typedef struct KeyList
{
	Datum	   *keys;
	int			n;
	int			cap;
	bool		hashed;			/* keys as rule-tagged 64-bit hashes */
} KeyList;

/* The rules, in the order of their numbers (cu_blocking_rules()). */
static const char *const rule_names[] = {
	"email", "mailbox", "phone", "names", "birth_name", "postcode_name", "city_name",
	"birth_postcode", "birth_city", "year_name"
};

#define NUM_RULES ((int) lengthof(rule_names))

/* A hashed key holds its rule number in its top bits. */
#define RULE_SHIFT 58

static void
AddKey(KeyList *kl, const char *rule, const char *v1, int l1, const char *v2, int l2)
{
	StringInfoData buf;

	if (kl->n == kl->cap)
	{
		kl->cap *= 2;
		kl->keys = repalloc(kl->keys, sizeof(Datum) * kl->cap);
	}
	initStringInfo(&buf);
	appendStringInfoString(&buf, rule);
	appendStringInfoChar(&buf, ':');
	appendBinaryStringInfo(&buf, v1, l1);
	if (v2 != NULL)
	{
		appendStringInfoChar(&buf, '|');
		appendBinaryStringInfo(&buf, v2, l2);
	}
	if (kl->hashed)
	{
		int			r = 0;
		uint64		h = hash_bytes_extended((const unsigned char *) buf.data, buf.len, 0);

		while (r < NUM_RULES && strcmp(rule_names[r], rule) != 0)
			r++;
		Assert(r < NUM_RULES);
		kl->keys[kl->n++] = Int64GetDatum((int64) (((uint64) r << RULE_SHIFT) |
												   (h & ((UINT64CONST(1) << RULE_SHIFT) - 1))));
	}
	else
		kl->keys[kl->n++] = PointerGetDatum(cstring_to_text_with_len(buf.data, buf.len));
	pfree(buf.data);
}

static int
CodeCmp(const void *a, const void *b)
{
	return strcmp((const char *) a, (const char *) b);
}

/* The keys of the record given as arguments, as text or as hashes. */
static KeyList
BuildKeys(FunctionCallInfo fcinfo, bool hashed)
{
	KeyList		kl;
	char		codes[BLOCK_MAX_WORDS][BLOCK_CODE_LENGTH + 1];
	int			ncodes = 0;
	char		datebuf[16];
	int			datelen = 0;
	text	   *postcode = PG_ARGISNULL(4) ? NULL : PG_GETARG_TEXT_PP(4);
	text	   *city = PG_ARGISNULL(5) ? NULL : PG_GETARG_TEXT_PP(5);

	kl.cap = 16;
	kl.n = 0;
	kl.hashed = hashed;
	kl.keys = palloc(sizeof(Datum) * kl.cap);

	if (!PG_ARGISNULL(1))
	{
		text	   *email = PG_GETARG_TEXT_PP(1);
		const char *s = VARDATA_ANY(email);
		int			len = VARSIZE_ANY_EXHDR(email);
		int			at = len;

		if (len > 0)
		{
			AddKey(&kl, "email", s, len, NULL, 0);
			while (at > 0 && s[at - 1] != '@')
				at--;
			if (at - 1 >= BLOCK_MIN_MAILBOX)
				AddKey(&kl, "mailbox", s, at - 1, NULL, 0);
		}
	}
	if (!PG_ARGISNULL(2))
	{
		text	   *phone = PG_GETARG_TEXT_PP(2);

		if (VARSIZE_ANY_EXHDR(phone) > 0)
			AddKey(&kl, "phone", VARDATA_ANY(phone), VARSIZE_ANY_EXHDR(phone), NULL, 0);
	}
	if (!PG_ARGISNULL(3))
	{
		DateADT		d = PG_GETARG_DATEADT(3);
		int			y,
					m,
					dd;

		if (!DATE_NOT_FINITE(d))
		{
			j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
			datelen = snprintf(datebuf, sizeof(datebuf), "%04d-%02d-%02d", y, m, dd);
			/* the year is the first four characters of the date */
		}
	}

	/* the sound of each word of the name (initials give none) */
	if (!PG_ARGISNULL(0))
	{
		text	   *name = PG_GETARG_TEXT_PP(0);
		const char *s = VARDATA_ANY(name);
		int			len = VARSIZE_ANY_EXHDR(name);
		int			pos = 0;

		while (pos < len && ncodes < BLOCK_MAX_WORDS)
		{
			int			end = pos;
			char		alt[BLOCK_CODE_LENGTH + 1];

			while (end < len && s[end] != ' ')
				end++;
			if (end - pos >= 2)
			{
				DoubleMetaphone(s + pos, end - pos, BLOCK_CODE_LENGTH, codes[ncodes], alt);
				if (codes[ncodes][0] != '\0')
				{
					bool		dup = false;

					for (int i = 0; i < ncodes; i++)
						dup |= (strcmp(codes[i], codes[ncodes]) == 0);
					if (!dup)
						ncodes++;
				}
			}
			pos = end + 1;
		}
		qsort(codes, ncodes, sizeof(codes[0]), CodeCmp);
	}
	for (int i = 0; i < ncodes; i++)
		for (int j = i + 1; j < ncodes; j++)
			AddKey(&kl, "names", codes[i], strlen(codes[i]), codes[j], strlen(codes[j]));
	for (int i = 0; i < ncodes; i++)
	{
		if (datelen > 0)
		{
			AddKey(&kl, "birth_name", datebuf, datelen, codes[i], strlen(codes[i]));
			AddKey(&kl, "year_name", datebuf, 4, codes[i], strlen(codes[i]));
		}
		if (postcode != NULL && VARSIZE_ANY_EXHDR(postcode) > 0)
			AddKey(&kl, "postcode_name", VARDATA_ANY(postcode), VARSIZE_ANY_EXHDR(postcode),
				   codes[i], strlen(codes[i]));
		if (city != NULL && VARSIZE_ANY_EXHDR(city) > 0)
			AddKey(&kl, "city_name", VARDATA_ANY(city), VARSIZE_ANY_EXHDR(city),
				   codes[i], strlen(codes[i]));
	}
	if (datelen > 0 && postcode != NULL && VARSIZE_ANY_EXHDR(postcode) > 0)
		AddKey(&kl, "birth_postcode", datebuf, datelen, VARDATA_ANY(postcode), VARSIZE_ANY_EXHDR(postcode));
	if (datelen > 0 && city != NULL && VARSIZE_ANY_EXHDR(city) > 0)
		AddKey(&kl, "birth_city", datebuf, datelen, VARDATA_ANY(city), VARSIZE_ANY_EXHDR(city));
	return kl;
}

/*
 * cu_blocking_keys(full_name, email, phone, birth_date, postcode, city): the
 * blocking keys of a staged record (normalised values), as "rule:value".
 */
PG_FUNCTION_INFO_V1(cu_blocking_keys);
Datum
cu_blocking_keys(PG_FUNCTION_ARGS)
{
	KeyList		kl = BuildKeys(fcinfo, false);

	PG_RETURN_ARRAYTYPE_P(construct_array(kl.keys, kl.n, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * cu_blocking_hashes(full_name, email, phone, birth_date, postcode, city):
 * the same keys as 64-bit hashes whose top six bits hold the rule's number
 * (its position in cu_blocking_rules(), from 0): what the blocking joins use,
 * being eight bytes instead of a string.
 */
PG_FUNCTION_INFO_V1(cu_blocking_hashes);
Datum
cu_blocking_hashes(PG_FUNCTION_ARGS)
{
	KeyList		kl = BuildKeys(fcinfo, true);

	PG_RETURN_ARRAYTYPE_P(construct_array(kl.keys, kl.n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * cu_blocking_rules(): the names of the rules, in the order of their numbers
 * in cu_blocking_hashes (the one list: SQL reads it from here).
 */
PG_FUNCTION_INFO_V1(cu_blocking_rules);
Datum
cu_blocking_rules(PG_FUNCTION_ARGS)
{
	Datum		names[NUM_RULES];

	for (int r = 0; r < NUM_RULES; r++)
		names[r] = CStringGetTextDatum(rule_names[r]);
	PG_RETURN_ARRAYTYPE_P(construct_array(names, NUM_RULES, TEXTOID, -1, false, TYPALIGN_INT));
}
