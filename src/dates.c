/*
 * dates.c
 *	  cu_parse_date: dates of birth as silos write them, read without error.
 *
 * A CRM column of dates is often text: '1970-03-02', '19700302' (FEBRL),
 * '02/03/1970' (French order), '2.3.1970'.  Casting such a column fails on
 * the first bad row; resolution needs a date or NULL for every row instead.
 */
#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/date.h"
#include "utils/datetime.h"

/* Read up to maxd digits at *p; returns the number of digits read. */
static int
ReadDigits(const char **p, const char *end, int maxd, int *value)
{
	int			n = 0;

	*value = 0;
	while (*p < end && n < maxd && **p >= '0' && **p <= '9')
	{
		*value = *value * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n;
}

/* Is every byte of [p, end) a digit? */
static bool
AllDigits(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/*
 * The date written in str, or false.  Year first when it has four digits
 * (YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD), otherwise day first (DD/MM/YYYY,
 * DD.MM.YYYY, DD-MM-YYYY), as in France and most of Europe.
 */
static bool
ParseDate(const char *str, int len, int *year, int *month, int *day)
{
	const char *p = str;
	const char *end = str + len;
	int			a;
	int			b;
	int			c;
	int			na;
	int			nb;
	int			nc;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end - p == 8 && AllDigits(p, end))
	{
		/* YYYYMMDD */
		na = ReadDigits(&p, end, 4, &a);
		nb = ReadDigits(&p, end, 2, &b);
		nc = ReadDigits(&p, end, 2, &c);
		if (na != 4 || nb != 2 || nc != 2 || p != end)
			return false;
		*year = a, *month = b, *day = c;
	}
	else
	{
		char		sep;

		na = ReadDigits(&p, end, 4, &a);
		if (na == 0 || p >= end || (*p != '-' && *p != '/' && *p != '.'))
			return false;
		sep = *p++;
		nb = ReadDigits(&p, end, 2, &b);
		if (nb == 0 || p >= end || *p != sep)
			return false;
		p++;
		nc = ReadDigits(&p, end, 4, &c);
		if (nc == 0 || p != end)
			return false;
		if (na == 4 && nc <= 2)
			*year = a, *month = b, *day = c;
		else if (na <= 2 && nc == 4)
			*year = c, *month = b, *day = a;
		else
			return false;
	}
	return *month >= 1 && *month <= 12 && *day >= 1 &&
		*day <= day_tab[isleap(*year) ? 1 : 0][*month - 1] &&
		*year >= 1 && IS_VALID_JULIAN(*year, *month, *day);
}

/*
 * cu_parse_date(text): the date written in the text, or NULL when it is not
 * a valid date in a known layout (never an error).
 */
PG_FUNCTION_INFO_V1(cu_parse_date);
Datum
cu_parse_date(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int			year;
	int			month;
	int			day;

	if (!ParseDate(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &year, &month, &day))
		PG_RETURN_NULL();
	PG_RETURN_DATEADT(date2j(year, month, day) - POSTGRES_EPOCH_JDATE);
}
