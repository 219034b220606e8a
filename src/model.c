/*
 * model.c
 *	  The Fellegi-Sunter match model at work: comparison levels of each
 *	  scheme, the trained model loaded from the model tables, and the scoring
 *	  and explanation of a pair of staged records (rows of cu_records).
 *
 * A pair is compared attribute by attribute; each comparison gives a level
 * (0 = exact agreement ... last = disagreement, -1 = a value is missing).  The
 * model holds, for each level, m = P(level | same person) and u = P(level |
 * different persons); the pair's match weight is the log2 prior odds plus the
 * sum of log2(m/u) over its levels, plus a term-frequency adjustment on exact
 * agreements (a shared rare surname says more than a shared "Martin"), and its
 * probability is 1 / (1 + 2^-weight).
 *
 * The model is read from the tables cu_model, cu_model_comparisons,
 * cu_model_levels and cu_model_tf once per backend, and read again whenever
 * cu_model's version row changes (every write to a model table bumps it).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/typcache.h"

#include "codepoints.h"
#include "compare.h"
#include "customer_unify.h"
#include "model.h"
#include "name_similarity.h"

/* ---------------------------------------------------------------------------
 * Schemes and their levels
 * ---------------------------------------------------------------------------
 */

static const char *const scheme_names[NUM_SCHEMES] = {
	"name", "text", "email", "phone", "code", "date", "exact", "number"
};

static const char *const scheme_labels[NUM_SCHEMES][MODEL_MAX_LEVELS] = {
	{"exact (in any word order)", "nearly equal (similarity >= 0.92: typo, accent, nickname)",
	"similar (similarity >= 0.80: sounds alike, initial)", "weakly similar (similarity >= 0.65)", "different"},
	{"exact (in any word order)", "nearly equal (similarity >= 0.92)", "similar (similarity >= 0.80)",
	"weakly similar (similarity >= 0.65)", "different"},
	{"exact", "same mailbox name, or one typo (same digits)", "two typos (same digits)", "different"},
	{"exact", "one typo, or the same last 8 digits", "different"},
	{"exact", "one typo", "different"},
	{"exact", "one typo, or day and month swapped", "within a year", "different"},
	{"equal", "different"},
	{"equal", "within 5%", "different"}
};

static const int scheme_nlevels[NUM_SCHEMES] = {5, 5, 4, 3, 3, 4, 2, 3};

/* See model.h. */
int
SchemeFromName(const char *name)
{
	for (int i = 0; i < NUM_SCHEMES; i++)
		if (strcmp(name, scheme_names[i]) == 0)
			return i;
	return -1;
}

/* See model.h. */
int
SchemeLevels(int scheme)
{
	return scheme_nlevels[scheme];
}

/* See model.h. */
const char *
SchemeLevelLabel(int scheme, int level)
{
	if (level < 0)
		return "missing";
	return scheme_labels[scheme][level];
}

/* The scheme named by a text argument, or an error naming it. */
static int
SchemeArg(text *arg)
{
	char	   *name = text_to_cstring(arg);
	int			scheme = SchemeFromName(name);

	if (scheme < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown comparison scheme \"%s\"", name),
				 errhint("Schemes: name, text, email, phone, code, date, exact, number.")));
	return scheme;
}

/*
 * cu_scheme_levels(scheme text): the labels of a scheme's levels, best first,
 * as written into cu_model_levels by cu_train.
 */
PG_FUNCTION_INFO_V1(cu_scheme_levels);
Datum
cu_scheme_levels(PG_FUNCTION_ARGS)
{
	int			scheme = SchemeArg(PG_GETARG_TEXT_PP(0));
	Datum		elems[MODEL_MAX_LEVELS];

	for (int i = 0; i < scheme_nlevels[scheme]; i++)
		elems[i] = CStringGetTextDatum(scheme_labels[scheme][i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, scheme_nlevels[scheme], TEXTOID, -1, false, TYPALIGN_INT));
}

/* ---------------------------------------------------------------------------
 * Values and levels
 * ---------------------------------------------------------------------------
 */

/* One attribute value of a record: text, or a date. */
typedef struct FieldValue
{
	bool		isnull;
	bool		isdate;
	const char *str;
	int			len;
	DateADT		date;
} FieldValue;

/* Edit distance (optimal string alignment) of two strings, up to max + 1. */
static int
StringOsa(const char *a, int alen, const char *b, int blen, int max)
{
	int32		bufa[CU_STACK_CHARS];
	int32		bufb[CU_STACK_CHARS];
	Codepoints	ca;
	Codepoints	cb;
	int			d;

	DecodeCodepoints(a, alen, bufa, CU_STACK_CHARS, &ca);
	DecodeCodepoints(b, blen, bufb, CU_STACK_CHARS, &cb);
	d = OsaDistance(ca.chars, ca.len, cb.chars, cb.len, max);
	FreeCodepoints(&ca);
	FreeCodepoints(&cb);
	return d;
}

static int
WordCmp(const void *x, const void *y)
{
	const char *const *a = x;
	const char *const *b = y;
	int			la = strcspn(*a, " ");
	int			lb = strcspn(*b, " ");
	int			c = memcmp(*a, *b, Min(la, lb));

	return c != 0 ? c : la - lb;
}

/*
 * Sort the words of a NUL-terminated copy of a string; -1 when it has more
 * than max words (the caller then compares the strings otherwise).
 */
static int
SortedWords(char *s, const char **words, int max)
{
	int			n = 0;

	for (char *p = s; *p;)
	{
		if (n == max)
			return -1;
		words[n++] = p;
		p += strcspn(p, " ");
		while (*p == ' ')
			p++;
	}
	qsort(words, n, sizeof(char *), WordCmp);
	return n;
}

/* The same words, in another order ("dupont jean" and "jean dupont")? */
static bool
SameWords(const FieldValue *a, const FieldValue *b)
{
	char	   *sa;
	char	   *sb;
	const char *wa[16];
	const char *wb[16];
	int			na,
				nb;
	bool		same;

	if (a->len != b->len || memchr(a->str, ' ', a->len) == NULL)
		return false;
	sa = pnstrdup(a->str, a->len);
	sb = pnstrdup(b->str, b->len);
	na = SortedWords(sa, wa, 16);
	nb = SortedWords(sb, wb, 16);
	same = (na >= 0 && na == nb);
	for (int i = 0; same && i < na; i++)
		same = WordCmp(&wa[i], &wb[i]) == 0;
	pfree(sa);
	pfree(sb);
	return same;
}

/*
 * Level of two names or texts, from their word-aware similarity; the same
 * words in another order count as exact.  Names come normalised from
 * cu_records; texts are only folded, and get the name normalisation here.
 */
static int
LevelSimilarity(const FieldValue *a, const FieldValue *b, bool normalized)
{
	double		s;

	if (SameWords(a, b))
		return 0;
	s = NameSimilarityExt(a->str, a->len, b->str, b->len, normalized);

	if (s >= 0.92)
		return 1;
	if (s >= 0.80)
		return 2;
	if (s >= 0.65)
		return 3;
	return 4;
}

/* Length of the mailbox name (before the last '@') of an address. */
static int
MailboxLength(const char *s, int len)
{
	for (int i = len - 1; i >= 0; i--)
		if (s[i] == '@')
			return i;
	return len;
}

/*
 * Do two strings hold the same digits in the same order?  Numbers in e-mail
 * addresses tell accounts apart (jean.martin12 and jean.martin45 are two
 * people), so a typo never explains a different number.
 */
static bool
SameDigits(const char *a, int alen, const char *b, int blen)
{
	int			i = 0,
				j = 0;

	for (;;)
	{
		while (i < alen && !(a[i] >= '0' && a[i] <= '9'))
			i++;
		while (j < blen && !(b[j] >= '0' && b[j] <= '9'))
			j++;
		if (i == alen || j == blen)
			return i == alen && j == blen;
		if (a[i++] != b[j++])
			return false;
	}
}

static int
LevelEmail(const FieldValue *a, const FieldValue *b)
{
	int			la = MailboxLength(a->str, a->len);
	int			lb = MailboxLength(b->str, b->len);
	int			d;

	if (la == lb && la >= 3 && memcmp(a->str, b->str, la) == 0)
		return 1;
	if (!SameDigits(a->str, a->len, b->str, b->len))
		return 3;
	d = StringOsa(a->str, a->len, b->str, b->len, 2);
	return d <= 1 ? 1 : (d <= 2 ? 2 : 3);
}

static int
LevelPhone(const FieldValue *a, const FieldValue *b)
{
	if (a->len >= 8 && b->len >= 8 &&
		memcmp(a->str + a->len - 8, b->str + b->len - 8, 8) == 0)
		return 1;
	if (StringOsa(a->str, a->len, b->str, b->len, 1) <= 1)
		return 1;
	return 2;
}

static int
LevelCode(const FieldValue *a, const FieldValue *b)
{
	return StringOsa(a->str, a->len, b->str, b->len, 1) <= 1 ? 1 : 2;
}

/* Read 'YYYY-MM-DD' (as jsonb renders a date) into a date; false if not one. */
static bool
ParseIsoDate(const char *s, int len, DateADT *out)
{
	int			y,
				m,
				d;
	char		buf[16];

	if (len != 10)
		return false;
	memcpy(buf, s, 10);
	buf[10] = '\0';
	if (sscanf(buf, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	*out = date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
	return true;
}

static int
LevelDate(const FieldValue *a, const FieldValue *b)
{
	int			ya,
				ma,
				da,
				yb,
				mb,
				db;
	char		sa[32],
				sb[32];
	int			d;

	j2date(a->date + POSTGRES_EPOCH_JDATE, &ya, &ma, &da);
	j2date(b->date + POSTGRES_EPOCH_JDATE, &yb, &mb, &db);
	if (ya == yb && ma == db && da == mb)
		return 1;
	snprintf(sa, sizeof(sa), "%04d%02d%02d", ya, ma, da);
	snprintf(sb, sizeof(sb), "%04d%02d%02d", yb, mb, db);
	d = StringOsa(sa, strlen(sa), sb, strlen(sb), 2);
	if (d <= 1)
		return 1;
	if (d <= 2 || abs(a->date - b->date) <= 365)
		return 2;
	return 3;
}

static int
LevelNumber(const FieldValue *a, const FieldValue *b)
{
	char		bufa[64],
				bufb[64];
	double		x,
				y;
	char	   *end;

	if (a->len >= (int) sizeof(bufa) || b->len >= (int) sizeof(bufb))
		return 2;
	memcpy(bufa, a->str, a->len);
	bufa[a->len] = '\0';
	memcpy(bufb, b->str, b->len);
	bufb[b->len] = '\0';
	x = strtod(bufa, &end);
	if (*end != '\0')
		return 2;
	y = strtod(bufb, &end);
	if (*end != '\0')
		return 2;
	if (x == y)
		return 0;
	if (fabs(x - y) <= 0.05 * Max(fabs(x), fabs(y)))
		return 1;
	return 2;
}

/* The level of two values under a scheme; -1 when either is missing. */
static int
CompareValues(int scheme, const FieldValue *a, const FieldValue *b)
{
	if (a->isnull || b->isnull)
		return -1;
	if (scheme == SCHEME_DATE)
	{
		if (!a->isdate || !b->isdate)
			return -1;
		return a->date == b->date ? 0 : LevelDate(a, b);
	}
	if (a->len == b->len && memcmp(a->str, b->str, a->len) == 0)
		return 0;
	switch (scheme)
	{
		case SCHEME_NAME:
			return LevelSimilarity(a, b, true);
		case SCHEME_TEXT:
			return LevelSimilarity(a, b, false);
		case SCHEME_EMAIL:
			return LevelEmail(a, b);
		case SCHEME_PHONE:
			return LevelPhone(a, b);
		case SCHEME_CODE:
			return LevelCode(a, b);
		case SCHEME_NUMBER:
			return LevelNumber(a, b);
		default:
			return 1;
	}
}

/* ---------------------------------------------------------------------------
 * The model, loaded from the model tables
 * ---------------------------------------------------------------------------
 */

/* Frequencies of the values of one attribute (open addressing). */
typedef struct TfEntry
{
	uint32		hash;
	int			len;
	const char *str;			/* NULL: free slot */
	double		frequency;
} TfEntry;

typedef struct TfTable
{
	uint32		mask;
	TfEntry    *slots;
} TfTable;

typedef struct ModelComparison
{
	char	   *attribute;
	int			scheme;
	int			nlevels;
	bool		trained;		/* m and u known for every level */
	double		m[MODEL_MAX_LEVELS];
	double		u[MODEL_MAX_LEVELS];
	double		weight[MODEL_MAX_LEVELS];	/* log2(m / u) */
	bool		tf;				/* adjust exact agreements by frequency */
	double		tf_mean;		/* frequency of an agreeing value, on average */
	double		tf_default;		/* frequency of a value not in cu_model_tf */
	TfTable    *tf_table;
} ModelComparison;

typedef struct Model
{
	MemoryContext cxt;
	int64		version;
	TransactionId xmin;
	double		prior;			/* P(same person) of a candidate pair */
	double		prior_weight;	/* log2 of the prior odds */
	int			ncomp;
	int			given_idx;		/* comparisons of given_name, surname, full_name */
	int			surname_idx;
	int			full_idx;
	int			postcode_idx;	/* comparisons of postcode and city */
	int			city_idx;
	ModelComparison comp[MODEL_MAX_COMPARISONS];
} Model;

/* The backend's model, and models replaced during this transaction. */
static Model *current_model = NULL;
static List *retired_models = NIL;
static bool xact_callback_registered = false;

/* The saved query of the model's version, and the schema it reads. */
static SPIPlanPtr version_plan = NULL;
static char version_plan_nsp[2 * NAMEDATALEN + 3];

/* Free replaced models at the end of the transaction, when no query uses them. */
static void
ModelXactCallback(XactEvent event, void *arg)
{
	ListCell   *lc;

	if (event != XACT_EVENT_COMMIT && event != XACT_EVENT_ABORT &&
		event != XACT_EVENT_PARALLEL_COMMIT && event != XACT_EVENT_PARALLEL_ABORT)
		return;
	foreach(lc, retired_models)
		MemoryContextDelete(((Model *) lfirst(lc))->cxt);
	/* the list cells live in TopMemoryContext */
	list_free(retired_models);
	retired_models = NIL;
}

static uint32
TfHash(const char *s, int len)
{
	return hash_bytes((const unsigned char *) s, len);
}

static TfEntry *
TfSlot(TfTable *t, const char *s, int len, uint32 h)
{
	uint32		i = h & t->mask;

	for (;;)
	{
		TfEntry    *e = &t->slots[i];

		if (e->str == NULL ||
			(e->hash == h && e->len == len && memcmp(e->str, s, len) == 0))
			return e;
		i = (i + 1) & t->mask;
	}
}

/* Frequency of a value, or the attribute's default for unseen values. */
static double
TfFrequency(const ModelComparison *c, const char *s, int len)
{
	TfEntry    *e;

	if (c->tf_table == NULL)
		return c->tf_default;
	e = TfSlot(c->tf_table, s, len, TfHash(s, len));
	return e->str ? e->frequency : c->tf_default;
}

static int
ComparisonIndex(Model *model, const char *attribute)
{
	for (int i = 0; i < model->ncomp; i++)
		if (strcmp(model->comp[i].attribute, attribute) == 0)
			return i;
	return -1;
}

/* The schema of the extension, from the function being called. */
static char *
ExtensionSchema(FunctionCallInfo fcinfo)
{
	Oid			nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	char	   *name = get_namespace_name(nsp);

	if (name == NULL)
		elog(ERROR, "cache lookup failed for the namespace of function %u", fcinfo->flinfo->fn_oid);
	return pstrdup(quote_identifier(name));
}

/* Read the whole model through SPI (already connected). */
static Model *
LoadModel(const char *nsp, int64 version, TransactionId xmin)
{
	MemoryContext cxt = AllocSetContextCreate(TopMemoryContext, "customer_unify model",
											  ALLOCSET_DEFAULT_SIZES);
	Model	   *model = MemoryContextAllocZero(cxt, sizeof(Model));
	StringInfoData q;
	bool		isnull;

	model->cxt = cxt;
	model->version = version;
	model->xmin = xmin;
	model->given_idx = model->surname_idx = model->full_idx = -1;
	model->postcode_idx = model->city_idx = -1;
	initStringInfo(&q);

	PG_TRY();
	{
		/* the prior */
		appendStringInfo(&q, "SELECT prior FROM %s.cu_model", nsp);
		if (SPI_execute(q.data, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "customer_unify: cannot read cu_model");
		isnull = true;
		if (SPI_processed == 1)
			model->prior = DatumGetFloat8(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		if (isnull)
			model->prior = NAN;
		else
		{
			double		p = Min(Max(model->prior, 1e-12), 1.0 - 1e-12);

			model->prior_weight = log2(p / (1.0 - p));
		}

		/* the comparisons */
		resetStringInfo(&q);
		appendStringInfo(&q, "SELECT attribute, scheme, tf, tf_mean, tf_default FROM %s.cu_model_comparisons ORDER BY position, attribute", nsp);
		if (SPI_execute(q.data, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "customer_unify: cannot read cu_model_comparisons");
		if (SPI_processed > MODEL_MAX_COMPARISONS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("the model compares %d attributes, more than the %d supported",
							(int) SPI_processed, MODEL_MAX_COMPARISONS)));
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = SPI_tuptable->vals[r];
			TupleDesc	td = SPI_tuptable->tupdesc;
			ModelComparison *c = &model->comp[model->ncomp++];
			char	   *scheme = SPI_getvalue(tup, td, 2);
			Datum		d;

			c->attribute = MemoryContextStrdup(cxt, SPI_getvalue(tup, td, 1));
			c->scheme = SchemeFromName(scheme);
			if (c->scheme < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("attribute \"%s\" of cu_model_comparisons has unknown scheme \"%s\"",
								c->attribute, scheme)));
			c->nlevels = scheme_nlevels[c->scheme];
			d = SPI_getbinval(tup, td, 3, &isnull);
			c->tf = !isnull && DatumGetBool(d);
			d = SPI_getbinval(tup, td, 4, &isnull);
			c->tf_mean = isnull ? 0 : DatumGetFloat8(d);
			d = SPI_getbinval(tup, td, 5, &isnull);
			c->tf_default = isnull ? 0 : DatumGetFloat8(d);
			if (!(c->tf_mean > 0 && c->tf_default > 0))
				c->tf = false;
			for (int l = 0; l < MODEL_MAX_LEVELS; l++)
				c->m[l] = c->u[l] = NAN;
		}
		model->given_idx = ComparisonIndex(model, "given_name");
		model->surname_idx = ComparisonIndex(model, "surname");
		model->full_idx = ComparisonIndex(model, "full_name");
		model->postcode_idx = ComparisonIndex(model, "postcode");
		model->city_idx = ComparisonIndex(model, "city");

		/* the levels */
		resetStringInfo(&q);
		appendStringInfo(&q, "SELECT attribute, level, m, u FROM %s.cu_model_levels", nsp);
		if (SPI_execute(q.data, true, 0) != SPI_OK_SELECT)
			elog(ERROR, "customer_unify: cannot read cu_model_levels");
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = SPI_tuptable->vals[r];
			TupleDesc	td = SPI_tuptable->tupdesc;
			int			i = ComparisonIndex(model, SPI_getvalue(tup, td, 1));
			int			level = DatumGetInt16(SPI_getbinval(tup, td, 2, &isnull));
			Datum		m = SPI_getbinval(tup, td, 3, &isnull);
			bool		mnull = isnull;
			Datum		u = SPI_getbinval(tup, td, 4, &isnull);

			if (i < 0 || level < 0 || level >= model->comp[i].nlevels || mnull || isnull)
				continue;
			model->comp[i].m[level] = DatumGetFloat8(m);
			model->comp[i].u[level] = DatumGetFloat8(u);
		}
		for (int i = 0; i < model->ncomp; i++)
		{
			ModelComparison *c = &model->comp[i];

			c->trained = true;
			for (int l = 0; l < c->nlevels; l++)
			{
				if (isnan(c->m[l]) || isnan(c->u[l]))
				{
					c->trained = false;
					break;
				}
				c->weight[l] = log2(Min(Max(c->m[l], 1e-10), 1.0) / Min(Max(c->u[l], 1e-10), 1.0));
			}
			/*
			 * A better level never weighs less than a worse one: a level that
			 * training rarely saw (no exact full name when one silo writes
			 * the surname first) gets the weight of the next level.
			 */
			if (c->trained)
				for (int l = c->nlevels - 2; l >= 0; l--)
					c->weight[l] = Max(c->weight[l], c->weight[l + 1]);
		}

		/* the term frequencies */
		for (int i = 0; i < model->ncomp; i++)
		{
			ModelComparison *c = &model->comp[i];
			TfTable    *t;
			uint32		size = 16;

			if (!c->tf)
				continue;
			resetStringInfo(&q);
			appendStringInfo(&q, "SELECT value, frequency FROM %s.cu_model_tf WHERE attribute = %s",
							 nsp, quote_literal_cstr(c->attribute));
			if (SPI_execute(q.data, true, 0) != SPI_OK_SELECT)
				elog(ERROR, "customer_unify: cannot read cu_model_tf");
			if (SPI_processed == 0)
				continue;
			while (size < SPI_processed * 2)
				size <<= 1;
			t = MemoryContextAlloc(cxt, sizeof(TfTable));
			t->mask = size - 1;
			t->slots = MemoryContextAllocHuge(cxt, sizeof(TfEntry) * size);
			memset(t->slots, 0, sizeof(TfEntry) * size);
			for (uint64 r = 0; r < SPI_processed; r++)
			{
				HeapTuple	tup = SPI_tuptable->vals[r];
				TupleDesc	td = SPI_tuptable->tupdesc;
				text	   *v = DatumGetTextPP(SPI_getbinval(tup, td, 1, &isnull));
				double		f;
				TfEntry    *e;
				char	   *s;
				int			len;
				uint32		hash;

				if (isnull)
					continue;
				f = DatumGetFloat8(SPI_getbinval(tup, td, 2, &isnull));
				if (isnull || !(f > 0))
					continue;
				len = VARSIZE_ANY_EXHDR(v);
				s = MemoryContextAlloc(cxt, len + 1);
				memcpy(s, VARDATA_ANY(v), len);
				s[len] = '\0';
				hash = TfHash(s, len);
				e = TfSlot(t, s, len, hash);
				e->hash = hash;
				e->len = len;
				e->str = s;
				e->frequency = f;
			}
			c->tf_table = t;
			SPI_freetuptable(SPI_tuptable);
		}
	}
	PG_CATCH();
	{
		MemoryContextDelete(cxt);
		PG_RE_THROW();
	}
	PG_END_TRY();
	return model;
}

/*
 * The current model: checks cu_model's version once (per query, through
 * fn_extra) and reloads the tables when they changed.
 */
static Model *
GetModel(FunctionCallInfo fcinfo)
{
	char	   *nsp = ExtensionSchema(fcinfo);
	int64		version;
	TransactionId xmin;
	bool		isnull;

	if (!xact_callback_registered)
	{
		RegisterXactCallback(ModelXactCallback, NULL);
		xact_callback_registered = true;
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* the version query, prepared once per schema (real time runs it per row) */
	if (version_plan == NULL || strcmp(version_plan_nsp, nsp) != 0)
	{
		SPIPlanPtr	plan;

		if (version_plan != NULL)
		{
			SPI_freeplan(version_plan);
			version_plan = NULL;
		}
		plan = SPI_prepare_cursor(psprintf("SELECT version, xmin::text::bigint FROM %s.cu_model", nsp),
								  0, NULL, CURSOR_OPT_GENERIC_PLAN);
		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "customer_unify: cannot prepare the model's version query");
		strlcpy(version_plan_nsp, nsp, sizeof(version_plan_nsp));
		version_plan = plan;
	}
	if (SPI_execute_plan(version_plan, NULL, NULL, true, 2) != SPI_OK_SELECT)
		elog(ERROR, "customer_unify: cannot read cu_model");
	/* no row yet: an untrained model, version 0 */
	version = 0;
	xmin = InvalidTransactionId;
	if (SPI_processed == 1)
	{
		version = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		xmin = (TransactionId) DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	}
	if (current_model == NULL || current_model->version != version || current_model->xmin != xmin)
	{
		Model	   *model = LoadModel(nsp, version, xmin);

		if (current_model != NULL)
		{
			MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

			retired_models = lappend(retired_models, current_model);
			MemoryContextSwitchTo(old);
		}
		current_model = model;
	}
	SPI_finish();
	return current_model;
}

/* ---------------------------------------------------------------------------
 * Pairs of records
 * ---------------------------------------------------------------------------
 */

/* Per-query state of a pair function: the model and where each attribute is. */
typedef struct PairCall
{
	Model	   *model;
	Oid			rowtype;
	TupleDesc	tupdesc;
	int			attno[MODEL_MAX_COMPARISONS];	/* column index, or -1: in extra */
	int			extra_attno;
	Datum	   *values[2];
	bool	   *nulls[2];
} PairCall;

/* One pair's comparison, attribute by attribute. */
typedef struct PairResult
{
	FieldValue	a[MODEL_MAX_COMPARISONS];
	FieldValue	b[MODEL_MAX_COMPARISONS];
	int			level[MODEL_MAX_COMPARISONS];
	double		tf_adjustment[MODEL_MAX_COMPARISONS];
	bool		swapped;		/* given name and surname compared crosswise */
	int			implied_by[MODEL_MAX_COMPARISONS];	/* agreement implied by another
													 * attribute's, or -1 */
	double		weight;			/* prior + evidence, in bits */
} PairResult;

static PairCall *
GetPairCall(FunctionCallInfo fcinfo, HeapTupleHeader row, bool need_trained)
{
	PairCall   *pc = (PairCall *) fcinfo->flinfo->fn_extra;
	Oid			rowtype = HeapTupleHeaderGetTypeId(row);

	if (pc == NULL || pc->rowtype != rowtype)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	td = lookup_rowtype_tupdesc(rowtype, HeapTupleHeaderGetTypMod(row));
		Model	   *model;

		pc = palloc0(sizeof(PairCall));
		pc->tupdesc = CreateTupleDescCopy(td);
		ReleaseTupleDesc(td);
		pc->rowtype = rowtype;
		for (int s = 0; s < 2; s++)
		{
			pc->values[s] = palloc(sizeof(Datum) * pc->tupdesc->natts);
			pc->nulls[s] = palloc(sizeof(bool) * pc->tupdesc->natts);
		}
		MemoryContextSwitchTo(old);

		model = GetModel(fcinfo);
		pc->model = model;
		pc->extra_attno = -1;
		for (int k = 0; k < pc->tupdesc->natts; k++)
			if (strcmp(NameStr(TupleDescAttr(pc->tupdesc, k)->attname), "extra") == 0)
				pc->extra_attno = k;
		for (int i = 0; i < model->ncomp; i++)
		{
			pc->attno[i] = -1;
			for (int k = 0; k < pc->tupdesc->natts; k++)
			{
				Form_pg_attribute att = TupleDescAttr(pc->tupdesc, k);

				if (!att->attisdropped && strcmp(NameStr(att->attname), model->comp[i].attribute) == 0)
					pc->attno[i] = k;
			}
			if (pc->attno[i] < 0 && pc->extra_attno < 0)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("the records compared have no attribute \"%s\"", model->comp[i].attribute)));
		}
		fcinfo->flinfo->fn_extra = pc;
	}
	if (need_trained)
	{
		if (isnan(pc->model->prior))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the match model is not trained"),
					 errhint("Run SELECT cu_train(); first.")));
		for (int i = 0; i < pc->model->ncomp; i++)
			if (!pc->model->comp[i].trained)
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("the match model has no m and u probabilities for every level of attribute \"%s\"",
								pc->model->comp[i].attribute),
						 errhint("Run SELECT cu_train(); or complete cu_model_levels.")));
	}
	return pc;
}

/* Read attribute i of a deformed record. */
static void
GetField(PairCall *pc, int side, int i, FieldValue *v)
{
	ModelComparison *c = &pc->model->comp[i];
	int			k = pc->attno[i];

	v->isnull = true;
	v->isdate = false;
	if (k >= 0)
	{
		Oid			typ = TupleDescAttr(pc->tupdesc, k)->atttypid;
		Datum		d = pc->values[side][k];

		if (pc->nulls[side][k])
			return;
		if (typ == DATEOID)
		{
			v->date = DatumGetDateADT(d);
			if (DATE_NOT_FINITE(v->date))
				return;
			v->isdate = true;
			v->isnull = false;
			return;
		}
		if (typ != TEXTOID && typ != VARCHAROID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("attribute \"%s\" of the records compared must be text or date", c->attribute)));
		{
			text	   *t = DatumGetTextPP(d);

			v->str = VARDATA_ANY(t);
			v->len = VARSIZE_ANY_EXHDR(t);
		}
	}
	else
	{
		Jsonb	   *jb;
		JsonbValue	buf;
		JsonbValue *jv;

		if (pc->nulls[side][pc->extra_attno])
			return;
		jb = DatumGetJsonbP(pc->values[side][pc->extra_attno]);
		if (!JB_ROOT_IS_OBJECT(jb))
			return;
		jv = getKeyJsonValueFromContainer(&jb->root, c->attribute, strlen(c->attribute), &buf);
		if (jv == NULL)
			return;
		switch (jv->type)
		{
			case jbvString:
				v->str = jv->val.string.val;
				v->len = jv->val.string.len;
				break;
			case jbvNumeric:
				v->str = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(jv->val.numeric)));
				v->len = strlen(v->str);
				break;
			case jbvBool:
				v->str = jv->val.boolean ? "true" : "false";
				v->len = strlen(v->str);
				break;
			default:
				return;
		}
	}
	if (c->scheme == SCHEME_DATE)
	{
		if (!ParseIsoDate(v->str, v->len, &v->date))
			return;
		v->isdate = true;
	}
	v->isnull = false;
}

static void
DeformRecord(PairCall *pc, int side, HeapTupleHeader row)
{
	HeapTupleData tuple;

	if (HeapTupleHeaderGetTypeId(row) != pc->rowtype)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the two records compared must be of the same row type")));
	tuple.t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&(tuple.t_self));
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = row;
	heap_deform_tuple(&tuple, pc->tupdesc, pc->values[side], pc->nulls[side]);
}

/* Term-frequency adjustment (bits) of an exact agreement of comparison i. */
static double
TfAdjustment(const ModelComparison *c, const FieldValue *v)
{
	double		adj;

	if (!c->tf || v->isnull || v->isdate)
		return 0.0;
	adj = log2(c->tf_mean / TfFrequency(c, v->str, v->len));
	return Min(Max(adj, -MODEL_TF_MAX_BITS), MODEL_TF_MAX_BITS);
}

/*
 * A postcode names its town: two records with one postcode have one city
 * whether or not they are one person, so the city's agreement tells nothing
 * more (its weight given the postcode's is zero) and is not counted again.
 * Counted, two views of one fact outweigh a differing first name and glue
 * neighbours together.  A disagreement is never implied.  (The address does
 * not imply its postcode: '12 rue de la Gare' is in every town.)
 */
static void
ImplyLocation(const Model *model, PairResult *res)
{
	int			p = model->postcode_idx;
	int			c = model->city_idx;

	if (p >= 0 && c >= 0 && res->level[p] == 0 && res->level[c] == 0)
	{
		res->level[c] = -1;
		res->implied_by[c] = p;
	}
}

/*
 * Compare two records attribute by attribute; with weights, also score them.
 * Given name and surname are also tried crosswise (records that swapped them),
 * and the whole name only counts when a side has no name in parts.
 */
static void
ComparePair(PairCall *pc, HeapTupleHeader ra, HeapTupleHeader rb, bool weigh, PairResult *res)
{
	Model	   *model = pc->model;
	int			g = model->given_idx;
	int			s = model->surname_idx;
	int			f = model->full_idx;

	DeformRecord(pc, 0, ra);
	DeformRecord(pc, 1, rb);
	res->swapped = false;
	for (int i = 0; i < model->ncomp; i++)
	{
		GetField(pc, 0, i, &res->a[i]);
		GetField(pc, 1, i, &res->b[i]);
		res->level[i] = CompareValues(model->comp[i].scheme, &res->a[i], &res->b[i]);
		res->tf_adjustment[i] = 0.0;
		res->implied_by[i] = -1;
	}
	if (g >= 0 && s >= 0 && res->level[g] >= 0 && res->level[s] >= 0 &&
		res->level[g] + res->level[s] >= 3)
	{
		int			cg = CompareValues(model->comp[g].scheme, &res->a[g], &res->b[s]);
		int			cs = CompareValues(model->comp[s].scheme, &res->a[s], &res->b[g]);

		if (cg + cs < res->level[g] + res->level[s])
		{
			FieldValue	t = res->b[g];

			res->b[g] = res->b[s];
			res->b[s] = t;
			res->level[g] = cg;
			res->level[s] = cs;
			res->swapped = true;
		}
	}
	if (f >= 0 && (g >= 0 || s >= 0))
	{
		bool		parts_a = (g >= 0 && !res->a[g].isnull) || (s >= 0 && !res->a[s].isnull);
		bool		parts_b = (g >= 0 && !res->b[g].isnull) || (s >= 0 && !res->b[s].isnull);

		if (parts_a && parts_b)
			res->level[f] = -1;
	}
	ImplyLocation(model, res);
	if (!weigh)
		return;
	res->weight = model->prior_weight;
	for (int i = 0; i < model->ncomp; i++)
	{
		ModelComparison *c = &model->comp[i];

		if (res->level[i] < 0)
			continue;
		res->weight += c->weight[res->level[i]];
		if (res->level[i] == 0)
		{
			res->tf_adjustment[i] = TfAdjustment(c, &res->a[i]);
			res->weight += res->tf_adjustment[i];
		}
	}
}

/* Probability of a match weight (bits of log odds). */
static double
WeightProbability(double w)
{
	return 1.0 / (1.0 + pow(2.0, -w));
}

/*
 * cu_compare_records(a cu_records, b cu_records): the comparison level of
 * each attribute of the model, -1 where a value is missing; what training
 * counts.  Records are taken as cu_records holds them: names normalised.
 */
PG_FUNCTION_INFO_V1(cu_compare_records);
Datum
cu_compare_records(PG_FUNCTION_ARGS)
{
	HeapTupleHeader ra = PG_GETARG_HEAPTUPLEHEADER(0);
	HeapTupleHeader rb = PG_GETARG_HEAPTUPLEHEADER(1);
	PairCall   *pc = GetPairCall(fcinfo, ra, false);
	PairResult	res;
	Datum		elems[MODEL_MAX_COMPARISONS];

	ComparePair(pc, ra, rb, false, &res);
	for (int i = 0; i < pc->model->ncomp; i++)
		elems[i] = Int16GetDatum((int16) res.level[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, pc->model->ncomp, INT2OID, 2, true, TYPALIGN_SHORT));
}

/*
 * cu_match_weight(a cu_records, b cu_records): the match weight of two
 * records in bits (log2 odds that they are one person).
 */
PG_FUNCTION_INFO_V1(cu_match_weight);
Datum
cu_match_weight(PG_FUNCTION_ARGS)
{
	HeapTupleHeader ra = PG_GETARG_HEAPTUPLEHEADER(0);
	HeapTupleHeader rb = PG_GETARG_HEAPTUPLEHEADER(1);
	PairCall   *pc = GetPairCall(fcinfo, ra, true);
	PairResult	res;

	ComparePair(pc, ra, rb, true, &res);
	PG_RETURN_FLOAT8(res.weight);
}

/*
 * cu_match_probability(a cu_records, b cu_records): the probability that two
 * records are one person.
 */
PG_FUNCTION_INFO_V1(cu_match_probability);
Datum
cu_match_probability(PG_FUNCTION_ARGS)
{
	HeapTupleHeader ra = PG_GETARG_HEAPTUPLEHEADER(0);
	HeapTupleHeader rb = PG_GETARG_HEAPTUPLEHEADER(1);
	PairCall   *pc = GetPairCall(fcinfo, ra, true);
	PairResult	res;

	ComparePair(pc, ra, rb, true, &res);
	PG_RETURN_FLOAT8(WeightProbability(res.weight));
}

static void
AppendJsonValue(StringInfo buf, const FieldValue *v)
{
	if (v->isnull)
		appendStringInfoString(buf, "null");
	else if (v->isdate)
	{
		int			y,
					m,
					d;

		j2date(v->date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
		appendStringInfo(buf, "\"%04d-%02d-%02d\"", y, m, d);
	}
	else
	{
		char	   *s = pnstrdup(v->str, v->len);

		escape_json(buf, s);
		pfree(s);
	}
}

/* A float for JSON: finite, with enough digits to be read back. */
static void
AppendJsonNumber(StringInfo buf, double x)
{
	if (isnan(x))
		appendStringInfoString(buf, "null");
	else if (isinf(x))
		appendStringInfoString(buf, x > 0 ? "1e308" : "-1e308");
	else
		appendStringInfo(buf, "%.6g", x);
}

/*
 * cu_explain_records(a cu_records, b cu_records): the comparison of two
 * records field by field (values, level, m, u, weight, term-frequency
 * adjustment) with the prior, the total weight and the probability.
 */
PG_FUNCTION_INFO_V1(cu_explain_records);
Datum
cu_explain_records(PG_FUNCTION_ARGS)
{
	HeapTupleHeader ra = PG_GETARG_HEAPTUPLEHEADER(0);
	HeapTupleHeader rb = PG_GETARG_HEAPTUPLEHEADER(1);
	PairCall   *pc = GetPairCall(fcinfo, ra, true);
	Model	   *model = pc->model;
	PairResult	res;
	StringInfoData buf;

	ComparePair(pc, ra, rb, true, &res);
	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"prior\": ");
	AppendJsonNumber(&buf, model->prior);
	appendStringInfoString(&buf, ", \"prior_weight\": ");
	AppendJsonNumber(&buf, model->prior_weight);
	appendStringInfo(&buf, ", \"names_swapped\": %s, \"attributes\": [", res.swapped ? "true" : "false");
	for (int i = 0; i < model->ncomp; i++)
	{
		ModelComparison *c = &model->comp[i];
		int			l = res.level[i];

		if (i > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoString(&buf, "{\"attribute\": ");
		escape_json(&buf, c->attribute);
		appendStringInfoString(&buf, ", \"value_a\": ");
		AppendJsonValue(&buf, &res.a[i]);
		appendStringInfoString(&buf, ", \"value_b\": ");
		AppendJsonValue(&buf, &res.b[i]);
		appendStringInfo(&buf, ", \"level\": %d, \"label\": ", l);
		if (res.implied_by[i] >= 0)
		{
			char	   *label = psprintf("equal, implied by the %s",
										 model->comp[res.implied_by[i]].attribute);

			escape_json(&buf, label);
		}
		else
			escape_json(&buf, (l < 0 && !res.a[i].isnull && !res.b[i].isnull) ?
						"counted in the name parts" : SchemeLevelLabel(c->scheme, l));
		appendStringInfoString(&buf, ", \"m\": ");
		AppendJsonNumber(&buf, l >= 0 ? c->m[l] : NAN);
		appendStringInfoString(&buf, ", \"u\": ");
		AppendJsonNumber(&buf, l >= 0 ? c->u[l] : NAN);
		appendStringInfoString(&buf, ", \"weight\": ");
		AppendJsonNumber(&buf, l >= 0 ? c->weight[l] : 0.0);
		appendStringInfoString(&buf, ", \"tf_adjustment\": ");
		AppendJsonNumber(&buf, res.tf_adjustment[i]);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "], \"weight\": ");
	AppendJsonNumber(&buf, res.weight);
	appendStringInfoString(&buf, ", \"probability\": ");
	AppendJsonNumber(&buf, WeightProbability(res.weight));
	appendStringInfoChar(&buf, '}');
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}
