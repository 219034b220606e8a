/*
 * golden_record.c
 *	  cu_golden: the golden record of a customer, merged field by field from
 *	  the records of its sources, each field by a survivorship rule (default
 *	  rules by attribute kind, overridable), with the lineage of every value:
 *	  the source, the record, the time and the rule that made it win.  Fields
 *	  of a group (street, postcode, city) come from one record together.
 *
 * The state holds the customer's records (a customer has a handful); the
 * rules run in the final function, in an order that does not depend on the
 * order the records arrived in.  Internal state with combine, serialize and
 * deserialize: parallel safe.
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/varlena.h"
#include "utils/timestamp.h"

#include "golden.h"

/* One record of the customer. */
typedef struct GoldenRow
{
	Jsonb	   *attrs;
	text	   *source;
	bool		at_null;
	TimestampTz at;
} GoldenRow;

typedef struct GoldenState
{
	int			n;
	int			size;
	GoldenRow  *rows;
	Jsonb	   *rules;			/* the first rules given, or NULL */
} GoldenState;


/* The rules a field may name, by SurvivorRule (most_complete is for rows). */
static const char *const rule_names[] = {
	"most_recent", "oldest", "most_frequent", "most_trusted", "longest", "shortest"
};

#define GOLDEN_MAX_GROUPS 16

/* What the final function needs of the rules. */
typedef struct GoldenRules
{
	Jsonb	   *rules;
	JsonbContainer *trust;		/* _trust: source -> trust, or NULL */
	bool		decay;
	double		half_life;		/* seconds */
	int			ngroups;
	int			group_len[GOLDEN_MAX_GROUPS];
	char	  **group[GOLDEN_MAX_GROUPS];
} GoldenRules;

/* A candidate value of a field (or of a group's lead field) in one record. */
typedef struct Candidate
{
	int			row;
	JsonbValue	value;
	char	   *text;			/* the value as text, for lengths and ties */
	int			textlen;
	bool		checked;		/* rank.tier is known (else assumed valid) */
	bool		passed;			/* ChooseField: led the ranking and was not valid */
	SurvivorRank rank;			/* key: trust, or length in characters */
} Candidate;

static MemoryContext
GoldenContext(FunctionCallInfo fcinfo)
{
	MemoryContext cxt;

	if (!AggCheckCallContext(fcinfo, &cxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cu_golden can only be called as an aggregate")));
	return cxt;
}

static GoldenState *
NewGoldenState(MemoryContext cxt)
{
	GoldenState *st = MemoryContextAllocZero(cxt, sizeof(GoldenState));

	st->size = 4;
	st->rows = MemoryContextAlloc(cxt, sizeof(GoldenRow) * st->size);
	return st;
}

static Jsonb *
CopyJsonb(MemoryContext cxt, Jsonb *j)
{
	Jsonb	   *c = MemoryContextAlloc(cxt, VARSIZE(j));

	memcpy(c, j, VARSIZE(j));
	return c;
}

/* Keep a record (copied into the aggregate's context). */
static void
GoldenAdd(GoldenState *st, MemoryContext cxt, Jsonb *attrs, text *source, bool at_null, TimestampTz at)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	GoldenRow  *r;

	if (st->n == st->size)
	{
		st->size *= 2;
		st->rows = repalloc(st->rows, sizeof(GoldenRow) * st->size);
	}
	r = &st->rows[st->n++];
	r->attrs = (Jsonb *) pg_detoast_datum_copy((struct varlena *) attrs);
	r->source = source ? (text *) pg_detoast_datum_copy((struct varlena *) source) : NULL;
	r->at_null = at_null;
	r->at = at;
	MemoryContextSwitchTo(old);
}

/*
 * cu_golden_step(state, attrs jsonb, source text, at timestamptz [, rules
 * jsonb]): keep one record.
 */
PG_FUNCTION_INFO_V1(cu_golden_step);
Datum
cu_golden_step(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = GoldenContext(fcinfo);
	GoldenState *st = PG_ARGISNULL(0) ? NewGoldenState(cxt) : (GoldenState *) PG_GETARG_POINTER(0);
	Jsonb	   *attrs;

	if (PG_NARGS() > 4 && !PG_ARGISNULL(4) && st->rules == NULL)
		st->rules = CopyJsonb(cxt, PG_GETARG_JSONB_P(4));
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	attrs = PG_GETARG_JSONB_P(1);
	if (!JB_ROOT_IS_OBJECT(attrs) || JB_ROOT_IS_SCALAR(attrs))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the attributes of a record must be a JSON object")));
	GoldenAdd(st, cxt, attrs, PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2),
			  PG_ARGISNULL(3), PG_ARGISNULL(3) ? 0 : PG_GETARG_TIMESTAMPTZ(3));
	PG_RETURN_POINTER(st);
}

/* cu_golden_combine(internal, internal): the records of both. */
PG_FUNCTION_INFO_V1(cu_golden_combine);
Datum
cu_golden_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = GoldenContext(fcinfo);
	GoldenState *a = PG_ARGISNULL(0) ? NULL : (GoldenState *) PG_GETARG_POINTER(0);
	GoldenState *b = PG_ARGISNULL(1) ? NULL : (GoldenState *) PG_GETARG_POINTER(1);

	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		a = NewGoldenState(cxt);
	if (a->rules == NULL && b->rules != NULL)
		a->rules = CopyJsonb(cxt, b->rules);
	for (int i = 0; i < b->n; i++)
		GoldenAdd(a, cxt, b->rows[i].attrs, b->rows[i].source, b->rows[i].at_null, b->rows[i].at);
	PG_RETURN_POINTER(a);
}

static void
SendVarlena(StringInfo buf, void *v)
{
	if (v == NULL)
	{
		pq_sendint32(buf, -1);
		return;
	}
	pq_sendint32(buf, VARSIZE_ANY(v));
	pq_sendbytes(buf, (const char *) v, VARSIZE_ANY(v));
}

static void *
ReceiveVarlena(StringInfo buf)
{
	int32		len = pq_getmsgint(buf, 4);
	char	   *v;

	if (len == -1)
		return NULL;
	if (len < (int32) VARHDRSZ_SHORT || len > buf->len - buf->cursor)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid golden record state")));
	v = palloc(len);
	pq_copymsgbytes(buf, v, len);
	return v;
}

PG_FUNCTION_INFO_V1(cu_golden_serialize);
Datum
cu_golden_serialize(PG_FUNCTION_ARGS)
{
	GoldenState *st = (GoldenState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	SendVarlena(&buf, st->rules);
	pq_sendint32(&buf, st->n);
	for (int i = 0; i < st->n; i++)
	{
		pq_sendint8(&buf, st->rows[i].at_null);
		pq_sendint64(&buf, st->rows[i].at);
		SendVarlena(&buf, st->rows[i].source);
		SendVarlena(&buf, st->rows[i].attrs);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(cu_golden_deserialize);
Datum
cu_golden_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = GoldenContext(fcinfo);
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	GoldenState *st = NewGoldenState(cxt);
	int32		n;
	MemoryContext old = MemoryContextSwitchTo(cxt);

	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	st->rules = ReceiveVarlena(&buf);
	n = pq_getmsgint(&buf, 4);
	for (int i = 0; i < n; i++)
	{
		bool		at_null = pq_getmsgint(&buf, 1);
		TimestampTz at = pq_getmsgint64(&buf);
		text	   *source = ReceiveVarlena(&buf);
		Jsonb	   *attrs = ReceiveVarlena(&buf);

		if (attrs == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid golden record state")));
		GoldenAdd(st, cxt, attrs, source, at_null, at);
	}
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(st);
}

/* ---------------------------------------------------------------------------
 * The rules
 * ---------------------------------------------------------------------------
 */

static JsonbValue *
ObjectKey(JsonbContainer *c, const char *key, JsonbValue *buf)
{
	if (c == NULL)
		return NULL;
	return getKeyJsonValueFromContainer(c, key, strlen(key), buf);
}

static char *
JsonString(const JsonbValue *v)
{
	return pnstrdup(v->val.string.val, v->val.string.len);
}

static bool
NameIs(const char *field, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(field, *names) == 0)
			return true;
	return false;
}

static const char *const phone_fields[] = {"phone", "mobile", "tel", "telephone", "phone_number", NULL};
static const char *const name_fields[] = {"given_name", "surname", "full_name", "name", "first_name", "last_name", NULL};
static const char *const email_fields[] = {"email", "e_mail", "mail", NULL};

/* The rule and kind of a field: the rules' entry, or the default of its kind. */
static void
FieldRule(const GoldenRules *gr, const char *field, SurvivorRule *rule, KindSpec *kind)
{
	JsonbValue	buf;
	JsonbValue *v = gr->rules ? ObjectKey(&gr->rules->root, field, &buf) : NULL;
	char	   *rule_name = NULL;

	kind->region = 0;
	kind->kind = KIND_TEXT;
	if (NameIs(field, email_fields))
	{
		*rule = SURVIVE_FREQUENT;
		kind->kind = KIND_EMAIL;
	}
	else if (NameIs(field, phone_fields))
	{
		*rule = SURVIVE_TRUSTED;
		ParseKind(cstring_to_text("phone"), kind);
	}
	else if (NameIs(field, name_fields))
	{
		*rule = SURVIVE_FREQUENT;
		kind->kind = KIND_NAME;
	}
	else if (strcmp(field, "birth_date") == 0 || strcmp(field, "gender") == 0)
		*rule = SURVIVE_FREQUENT;
	else
		*rule = SURVIVE_RECENT;

	if (v == NULL)
		return;
	if (v->type == jbvString)
		rule_name = JsonString(v);
	else if (v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data))
	{
		JsonbValue	b2;
		JsonbValue *r = ObjectKey(v->val.binary.data, "rule", &b2);
		JsonbValue *k;

		if (r != NULL && r->type == jbvString)
			rule_name = JsonString(r);
		k = ObjectKey(v->val.binary.data, "kind", &b2);
		if (k != NULL && k->type == jbvString)
			ParseKind(cstring_to_text(JsonString(k)), kind);
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the rule of field \"%s\" must be a rule name or an object {\"rule\": ..., \"kind\": ...}", field)));
	if (rule_name != NULL)
	{
		int			i;

		for (i = 0; i < (int) lengthof(rule_names); i++)
			if (strcmp(rule_name, rule_names[i]) == 0)
				break;
		if (i == (int) lengthof(rule_names))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown survivorship rule \"%s\" for field \"%s\"", rule_name, field),
					 errhint("Rules are most_recent, oldest, most_frequent, most_trusted, longest and shortest.")));
		*rule = (SurvivorRule) i;
	}
}

/* Read the rules: trust by source, decay, groups (default: the postal address). */
static void
ParseRules(Jsonb *rules, GoldenRules *gr)
{
	static const char *const address[] = {"address", "postcode", "city", "country"};
	JsonbValue	buf;
	JsonbValue *v;

	memset(gr, 0, sizeof(GoldenRules));
	if (rules != NULL && !(JB_ROOT_IS_OBJECT(rules) && !JB_ROOT_IS_SCALAR(rules)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the rules of cu_golden must be a JSON object")));
	gr->rules = rules;
	v = rules ? ObjectKey(&rules->root, "_trust", &buf) : NULL;
	if (v != NULL)
	{
		if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"_trust\" must be an object giving each source its trust")));
		gr->trust = v->val.binary.data;
	}
	v = rules ? ObjectKey(&rules->root, "_half_life", &buf) : NULL;
	if (v != NULL)
	{
		Interval   *iv;

		if (v->type != jbvString)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"_half_life\" must be an interval, as text")));
		iv = DatumGetIntervalP(DirectFunctionCall3(interval_in, CStringGetDatum(JsonString(v)),
												   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
		gr->half_life = IntervalSeconds(iv);
		if (!(gr->half_life > 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("\"_half_life\" must be a positive interval")));
		gr->decay = true;
	}
	v = rules ? ObjectKey(&rules->root, "_groups", &buf) : NULL;
	if (v == NULL)
	{
		gr->ngroups = 1;
		gr->group_len[0] = lengthof(address);
		gr->group[0] = (char **) address;
		return;
	}
	if (v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"_groups\" must be an array of arrays of field names")));
	{
		JsonbContainer *arr = v->val.binary.data;
		int			n = JsonContainerSize(arr);

		if (n > GOLDEN_MAX_GROUPS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("at most %d groups of fields", GOLDEN_MAX_GROUPS)));
		for (int g = 0; g < n; g++)
		{
			JsonbValue *e = getIthJsonbValueFromContainer(arr, g);
			int			m;

			if (e == NULL || e->type != jbvBinary || !JsonContainerIsArray(e->val.binary.data))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("\"_groups\" must be an array of arrays of field names")));
			m = JsonContainerSize(e->val.binary.data);
			gr->group[g] = palloc(sizeof(char *) * Max(m, 1));
			gr->group_len[g] = m;
			for (int i = 0; i < m; i++)
			{
				JsonbValue *f = getIthJsonbValueFromContainer(e->val.binary.data, i);

				if (f == NULL || f->type != jbvString)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("\"_groups\" must be an array of arrays of field names")));
				gr->group[g][i] = JsonString(f);
			}
		}
		gr->ngroups = n;
	}
}

/* The trust of a record: its source's, decayed with its age if asked. */
static double
RowTrust(const GoldenRules *gr, const GoldenRow *r)
{
	double		trust = 1.0;

	if (gr->trust != NULL && r->source != NULL)
	{
		JsonbValue	buf;
		char	   *s = text_to_cstring(r->source);
		JsonbValue *v = ObjectKey(gr->trust, s, &buf);

		if (v != NULL && v->type == jbvNumeric)
			trust = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
	}
	if (gr->decay && !r->at_null)
	{
		double		age = (GetCurrentTransactionStartTimestamp() - r->at) / (double) USECS_PER_SEC;

		trust *= pow(0.5, Max(age, 0.0) / gr->half_life);
	}
	return trust;
}

/* ---------------------------------------------------------------------------
 * Choosing
 * ---------------------------------------------------------------------------
 */

/* Order two times, a missing one below any. */
static int
CompareRowTimes(const Candidate *a, const Candidate *b)
{
	if (a->rank.at_null || b->rank.at_null)
		return a->rank.at_null == b->rank.at_null ? 0 : (a->rank.at_null ? -1 : 1);
	return a->rank.at < b->rank.at ? -1 : a->rank.at > b->rank.at;
}

static int
CompareText(const Candidate *a, const Candidate *b)
{
	int			d = memcmp(a->text, b->text, Min(a->textlen, b->textlen));

	if (d != 0)
		return d;
	return a->textlen < b->textlen ? -1 : a->textlen > b->textlen;
}

/* Compare two records' sources then ids, for ties between equal values. */
static int
CompareRows(const GoldenState *st, int a, int b)
{
	text	   *sa = st->rows[a].source;
	text	   *sb = st->rows[b].source;
	int			d;

	if (sa == NULL || sb == NULL)
		d = (sa == NULL) - (sb == NULL);
	else
		d = varstr_cmp(VARDATA_ANY(sa), VARSIZE_ANY_EXHDR(sa), VARDATA_ANY(sb), VARSIZE_ANY_EXHDR(sb), C_COLLATION_OID);
	if (d != 0)
		return d;
	return a < b ? -1 : a > b;
}

/* Does a beat b under the rule?  Ties: the smaller value, then the record. */
static bool
Beats(const GoldenState *st, SurvivorRule rule, const Candidate *a, const Candidate *b)
{
	int			d = CompareSurvivors(rule, &a->rank, &b->rank);

	if (d != 0)
		return d > 0;
	d = CompareText(a, b);
	if (d != 0)
		return d < 0;
	return CompareRows(st, a->row, b->row) < 0;
}

/*
 * The value of a field in a record as a candidate (its tier assumed valid
 * until checked); false when it has none.
 */
static bool
FieldCandidate(const GoldenState *st, const GoldenRules *gr, int row, const char *field,
			   SurvivorRule rule, Candidate *c)
{
	JsonbValue *v = getKeyJsonValueFromContainer(&st->rows[row].attrs->root, field, strlen(field), &c->value);

	if (v == NULL || v->type == jbvNull)
		return false;
	c->row = row;
	memset(&c->rank, 0, sizeof(SurvivorRank));
	c->rank.count = 1;
	if (v->type == jbvString)
	{
		c->text = v->val.string.val;
		c->textlen = v->val.string.len;
		c->rank.tier = TIER_VALID;	/* for now: ChooseField checks the strings that could win */
		c->checked = false;
		c->passed = false;
	}
	else
	{
		if (v->type == jbvBinary)
			c->text = JsonbToCString(NULL, v->val.binary.data, v->val.binary.len);
		else
		{
			Jsonb	   *j = JsonbValueToJsonb(v);

			c->text = JsonbToCString(NULL, &j->root, VARSIZE(j));
		}
		c->textlen = strlen(c->text);
		c->rank.tier = TIER_VALID;
		c->checked = true;
		c->passed = false;
	}
	c->rank.at_null = st->rows[row].at_null;
	c->rank.at = st->rows[row].at;
	if (rule == SURVIVE_TRUSTED)
		c->rank.key = RowTrust(gr, &st->rows[row]);
	else if (rule == SURVIVE_LONGEST || rule == SURVIVE_SHORTEST)
		c->rank.key = pg_mbstrlen_with_len(c->text, c->textlen);
	return true;
}

/*
 * The winning candidate of a field among the records (NULL: none).  For
 * most_frequent, equal values are counted together and the record shown is
 * the latest holding the value.
 */
static Candidate *
ChooseField(const GoldenState *st, const GoldenRules *gr, const char *field, SurvivorRule rule,
			const KindSpec *kind, const Placeholders *ph)
{
	Candidate  *cands = palloc(sizeof(Candidate) * Max(st->n, 1));
	int			n = 0;
	Candidate  *best = NULL;

	for (int i = 0; i < st->n; i++)
		if (FieldCandidate(st, gr, i, field, rule, &cands[n]))
			n++;
	if (rule == SURVIVE_FREQUENT)
	{
		/* fold equal values into their first occurrence */
		for (int i = 0; i < n; i++)
		{
			if (cands[i].rank.count == 0)
				continue;
			for (int j = i + 1; j < n; j++)
			{
				if (cands[j].rank.count == 0 || cands[j].textlen != cands[i].textlen ||
					memcmp(cands[j].text, cands[i].text, cands[i].textlen) != 0)
					continue;
				cands[i].rank.count += cands[j].rank.count;
				cands[j].rank.count = 0;
				/* the latest record holding it represents it */
				if (CompareRowTimes(&cands[j], &cands[i]) > 0 ||
					(CompareRowTimes(&cands[j], &cands[i]) == 0 && CompareRows(st, cands[j].row, cands[i].row) < 0))
				{
					int64		count = cands[i].rank.count;

					cands[i] = cands[j];
					cands[i].rank.count = count;
					cands[j].rank.count = 0;
				}
			}
			if ((i & 255) == 255)
				CHECK_FOR_INTERRUPTS();
		}
	}
	/*
	 * The valid candidate the rule ranks first wins, or failing one, the
	 * first malformed one.  Strings are checked (placeholder, malformed
	 * e-mail or phone) only when they lead the ranking: most often once.
	 * Past a few dozen candidates, checking them all first costs less than
	 * ranking again after each one that fails.
	 */
	if (n > 32)
	{
		for (int i = 0; i < n; i++)
		{
			Candidate  *c = &cands[i];

			if (!c->checked)
				c->rank.tier = StringTier(c->text, c->textlen, kind, ph);
			c->checked = true;
			if (rule == SURVIVE_FREQUENT && c->rank.count == 0)
				continue;
			if (c->rank.tier != TIER_NONE && (best == NULL || Beats(st, rule, c, best)))
				best = c;
			if ((i & 255) == 255)
				CHECK_FOR_INTERRUPTS();
		}
		return best;
	}
	for (;;)
	{
		Candidate  *lead = NULL;

		for (int i = 0; i < n; i++)
		{
			Candidate  *c = &cands[i];

			if ((rule == SURVIVE_FREQUENT && c->rank.count == 0) || c->passed)
				continue;
			if (lead == NULL || Beats(st, rule, c, lead))
				lead = c;
		}
		if (lead == NULL)
			return best;
		if (!lead->checked)
			lead->rank.tier = StringTier(lead->text, lead->textlen, kind, ph);
		lead->checked = true;
		if (lead->rank.tier == TIER_VALID)
			return lead;
		lead->passed = true;
		if (lead->rank.tier == TIER_INVALID && best == NULL)
			best = lead;
	}
}

/* ---------------------------------------------------------------------------
 * The result
 * ---------------------------------------------------------------------------
 */

typedef struct FieldResult
{
	char	   *field;
	int			len;			/* strlen(field) */
	Candidate  *win;
	SurvivorRule	rule;
	const char *group;			/* the lead field of its group, or NULL */
} FieldResult;

static int
FieldResultCmp(const void *x, const void *y)
{
	return strcmp(((const FieldResult *) x)->field, ((const FieldResult *) y)->field);
}

static void
PushString(JsonbParseState **ps, JsonbIteratorToken tok, const char *s)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = strlen(s);
	pushJsonbValue(ps, tok, &v);
}

static void
PushTextValue(JsonbParseState **ps, text *t)
{
	JsonbValue	v;

	if (t == NULL)
	{
		v.type = jbvNull;
		pushJsonbValue(ps, WJB_VALUE, &v);
		return;
	}
	v.type = jbvString;
	v.val.string.val = VARDATA_ANY(t);
	v.val.string.len = VARSIZE_ANY_EXHDR(t);
	pushJsonbValue(ps, WJB_VALUE, &v);
}

/* The lineage of a winning value: source, record id, time, rule. */
static void
PushLineage(JsonbParseState **ps, const GoldenState *st, const FieldResult *fr, char **times)
{
	const GoldenRow *r = &st->rows[fr->win->row];
	JsonbValue	buf;
	JsonbValue *id = getKeyJsonValueFromContainer(&r->attrs->root, "_id", 3, &buf);
	JsonbValue	v;

	pushJsonbValue(ps, WJB_BEGIN_OBJECT, NULL);
	PushString(ps, WJB_KEY, "source");
	PushTextValue(ps, r->source);
	PushString(ps, WJB_KEY, "record_id");
	if (id != NULL)
		pushJsonbValue(ps, WJB_VALUE, id);
	else
	{
		v.type = jbvNull;
		pushJsonbValue(ps, WJB_VALUE, &v);
	}
	PushString(ps, WJB_KEY, "at");
	if (r->at_null)
	{
		v.type = jbvNull;
		pushJsonbValue(ps, WJB_VALUE, &v);
	}
	else
	{
		/* a record often wins several fields: its time is written once */
		if (times[fr->win->row] == NULL)
			times[fr->win->row] = JsonEncodeDateTime(NULL, TimestampTzGetDatum(r->at), TIMESTAMPTZOID, NULL);
		PushString(ps, WJB_VALUE, times[fr->win->row]);
	}
	PushString(ps, WJB_KEY, "rule");
	PushString(ps, WJB_VALUE, rule_names[fr->rule]);
	if (fr->rule == SURVIVE_FREQUENT)
	{
		PushString(ps, WJB_KEY, "records");
		v.type = jbvNumeric;
		v.val.numeric = int64_to_numeric(fr->win->rank.count);
		pushJsonbValue(ps, WJB_VALUE, &v);
	}
	if (fr->group != NULL)
	{
		PushString(ps, WJB_KEY, "with");
		PushString(ps, WJB_VALUE, fr->group);
	}
	pushJsonbValue(ps, WJB_END_OBJECT, NULL);
}

/*
 * cu_golden_final: the golden record and its "_lineage".  Each field takes
 * the value its rule chooses among the valid values (a placeholder or an
 * empty value never wins; a malformed e-mail or phone only when nothing
 * better exists); the fields of a group come from the record that wins for
 * the group's first field present.
 */
PG_FUNCTION_INFO_V1(cu_golden_final);
Datum
cu_golden_final(PG_FUNCTION_ARGS)
{
	GoldenState *st = PG_ARGISNULL(0) ? NULL : (GoldenState *) PG_GETARG_POINTER(0);
	Placeholders *ph;
	GoldenRules gr;
	FieldResult *fields;
	int			nfields = 0;
	int			maxfields = 16;
	JsonbParseState *ps = NULL;
	JsonbValue *res;
	char	  **times;			/* the times of the records, written as JSON */

	if (st == NULL || st->n == 0)
		PG_RETURN_NULL();
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = LoadPlaceholders(fcinfo, fcinfo->flinfo->fn_mcxt);
	ph = (Placeholders *) fcinfo->flinfo->fn_extra;
	ParseRules(st->rules, &gr);

	/* every field of every record, once */
	fields = palloc(sizeof(FieldResult) * maxfields);
	for (int i = 0; i < st->n; i++)
	{
		JsonbIterator *it = JsonbIteratorInit(&st->rows[i].attrs->root);
		JsonbValue	v;
		JsonbIteratorToken tok;

		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			const char *key = v.val.string.val;
			int			keylen = v.val.string.len;
			bool		seen = false;

			if (tok != WJB_KEY || (keylen > 0 && key[0] == '_'))
				continue;
			for (int k = 0; k < nfields && !seen; k++)
				seen = fields[k].len == keylen && memcmp(fields[k].field, key, keylen) == 0;
			if (seen)
				continue;
			if (nfields == maxfields)
			{
				maxfields *= 2;
				fields = repalloc(fields, sizeof(FieldResult) * maxfields);
			}
			fields[nfields].field = JsonString(&v);
			fields[nfields].len = keylen;
			fields[nfields].win = NULL;
			fields[nfields].group = NULL;
			nfields++;
		}
	}
	qsort(fields, nfields, sizeof(FieldResult), FieldResultCmp);

	/* groups first: their fields come from one record */
	for (int g = 0; g < gr.ngroups; g++)
	{
		const char *lead = NULL;
		Candidate  *win = NULL;
		SurvivorRule	rule = SURVIVE_RECENT;
		KindSpec	kind;

		for (int i = 0; i < gr.group_len[g] && win == NULL; i++)
		{
			FieldRule(&gr, gr.group[g][i], &rule, &kind);
			win = ChooseField(st, &gr, gr.group[g][i], rule, &kind, ph);
			lead = gr.group[g][i];
		}
		if (win == NULL)
			continue;
		for (int i = 0; i < gr.group_len[g]; i++)
			for (int k = 0; k < nfields; k++)
			{
				Candidate  *c;

				if (strcmp(fields[k].field, gr.group[g][i]) != 0 || fields[k].group != NULL)
					continue;
				fields[k].group = lead;
				fields[k].rule = rule;
				c = palloc0(sizeof(Candidate));
				c->row = win->row;
				c->rank.count = win->rank.count;
				if (getKeyJsonValueFromContainer(&st->rows[win->row].attrs->root, fields[k].field,
												 fields[k].len, &c->value) != NULL &&
					c->value.type != jbvNull)
					fields[k].win = c;
			}
	}
	for (int k = 0; k < nfields; k++)
	{
		KindSpec	kind;

		if (fields[k].group != NULL)
			continue;
		FieldRule(&gr, fields[k].field, &fields[k].rule, &kind);
		fields[k].win = ChooseField(st, &gr, fields[k].field, fields[k].rule, &kind, ph);
	}

	pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	for (int k = 0; k < nfields; k++)
	{
		PushString(&ps, WJB_KEY, fields[k].field);
		if (fields[k].win != NULL)
			pushJsonbValue(&ps, WJB_VALUE, &fields[k].win->value);
		else
		{
			JsonbValue	v;

			v.type = jbvNull;
			pushJsonbValue(&ps, WJB_VALUE, &v);
		}
	}
	PushString(&ps, WJB_KEY, "_lineage");
	pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	times = palloc0(sizeof(char *) * st->n);
	for (int k = 0; k < nfields; k++)
	{
		if (fields[k].win == NULL)
			continue;
		PushString(&ps, WJB_KEY, fields[k].field);
		PushLineage(&ps, st, &fields[k], times);
	}
	pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	res = pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(res));
}
