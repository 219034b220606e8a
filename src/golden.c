/*
 * golden.c
 *	  Survivorship aggregates: among the values a customer's records hold for
 *	  one attribute, the one that survives into the golden record (the most
 *	  recent, the oldest, the most frequent, the most trusted, the longest,
 *	  the shortest; the most complete record), the validity rules that keep
 *	  placeholders and malformed values from winning, and trust that decays
 *	  with age.
 *
 * Every aggregate keeps an internal state with combine, serialize and
 * deserialize functions, so that it runs in parallel plans (and on engines
 * that aggregate on several nodes); no result depends on the order rows
 * arrive in: ties left by the rule are broken by the value itself (the
 * smallest in the type's order).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "parser/parse_coerce.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/formatting.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "golden.h"
#include "normalize.h"
#include "phone.h"

/* ---------------------------------------------------------------------------
 * Validity
 * ---------------------------------------------------------------------------
 */

static int
CStringCmp(const void *x, const void *y)
{
	return strcmp(*(char *const *) x, *(char *const *) y);
}

/* A value folded for the placeholder test: trimmed, lower case; palloc'd. */
static char *
FoldPlaceholder(const char *s, int len)
{
	while (len > 0 && isspace((unsigned char) *s))
		s++, len--;
	while (len > 0 && isspace((unsigned char) s[len - 1]))
		len--;
	return str_tolower(s, len, DEFAULT_COLLATION_OID);
}

/*
 * The placeholders of cu_placeholders (in the schema of the function
 * called), folded and sorted, allocated in cxt.
 */
Placeholders *
LoadPlaceholders(FunctionCallInfo fcinfo, MemoryContext cxt)
{
	Oid			nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	char	   *query = psprintf("SELECT value FROM %s.cu_placeholders",
								 quote_identifier(get_namespace_name(nsp)));
	Placeholders *ph;
	MemoryContext old;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute(query, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "customer_unify: cannot read cu_placeholders");
	old = MemoryContextSwitchTo(cxt);
	ph = palloc0(sizeof(Placeholders));
	ph->values = palloc(sizeof(char *) * Max(SPI_processed, 1));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);
		text	   *t;
		char	   *f;

		if (isnull)
			continue;
		t = DatumGetTextPP(d);
		f = FoldPlaceholder(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		ph->values[ph->n++] = f;
		ph->maxlen = Max(ph->maxlen, (int) strlen(f));
	}
	qsort(ph->values, ph->n, sizeof(char *), CStringCmp);
	MemoryContextSwitchTo(old);
	SPI_finish();
	return ph;
}

/* The kind named by a kind argument: text, name, email, phone or phone:XX. */
void
ParseKind(text *kind, KindSpec *spec)
{
	char	   *k = text_to_cstring(kind);

	spec->region = PhoneRegionLookup("FR", 2);
	if (strcmp(k, "text") == 0)
		spec->kind = KIND_TEXT;
	else if (strcmp(k, "name") == 0)
		spec->kind = KIND_NAME;
	else if (strcmp(k, "email") == 0)
		spec->kind = KIND_EMAIL;
	else if (strcmp(k, "phone") == 0)
		spec->kind = KIND_PHONE;
	else if (strncmp(k, "phone:", 6) == 0)
	{
		spec->kind = KIND_PHONE;
		spec->region = PhoneRegionLookup(k + 6, strlen(k + 6));
		if (spec->region < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unsupported phone region \"%s\" in kind \"%s\"", k + 6, k),
					 errhint("Supported regions are: %s.", PhoneRegionList())));
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown attribute kind \"%s\"", k),
				 errhint("Kinds are text, name, email, phone and phone:XX (a region code).")));
}

/*
 * The tier of a string value of a kind: nothing (empty, a placeholder, one
 * character repeated as in 'xxx' or '0000000000'), invalid for its kind, or
 * valid.
 */
int
StringTier(const char *s, int len, const KindSpec *spec, const Placeholders *ph)
{
	int			i;

	while (len > 0 && isspace((unsigned char) *s))
		s++, len--;
	while (len > 0 && isspace((unsigned char) s[len - 1]))
		len--;
	if (len == 0)
		return TIER_NONE;
	if (len >= 3)
	{
		for (i = 1; i < len && s[i] == s[0]; i++)
			;
		if (i == len)
			return TIER_NONE;
	}
	if (ph != NULL && len <= ph->maxlen * 2)
	{
		char		buf[256];
		char	   *f = buf;
		bool		ascii = true;
		bool		found;

		for (i = 0; i < len && ascii; i++)
			ascii = !IS_HIGHBIT_SET(s[i]);
		if (ascii && len < (int) sizeof(buf))
		{
			/* the common case, without a locale: ASCII lower case */
			for (i = 0; i < len; i++)
				buf[i] = pg_ascii_tolower((unsigned char) s[i]);
			buf[len] = '\0';
		}
		else
			f = FoldPlaceholder(s, len);
		found = bsearch(&f, ph->values, ph->n, sizeof(char *), CStringCmp) != NULL;
		if (f != buf)
			pfree(f);
		if (found)
			return TIER_NONE;
	}
	switch (spec->kind)
	{
		case KIND_TEXT:
			break;
		case KIND_NAME:
			for (i = 0; i < len; i++)
				if (isalpha((unsigned char) s[i]) || IS_HIGHBIT_SET(s[i]))
					break;
			if (i == len)
				return TIER_INVALID;
			break;
		case KIND_EMAIL:
			{
				int			ulen;
				char	   *u = ServerToUtf8(s, len, &ulen);

				if (NormalizeEmail(u, ulen) == NULL)
					return TIER_INVALID;
				break;
			}
		case KIND_PHONE:
			{
				char		e164[PHONE_E164_BUFSIZE];
				int			ulen;
				char	   *u = ServerToUtf8(s, len, &ulen);

				if (len > 1024 || !NormalizePhone(u, ulen, spec->region, e164))
					return TIER_INVALID;
				break;
			}
	}
	return TIER_VALID;
}

/* What the aggregates need of the value's type, looked up once per call site. */
typedef struct TypeFacts
{
	Oid			typid;
	int16		typlen;
	bool		typbyval;
	bool		is_string;		/* checked as a string (text-like) */
	TypeCacheEntry *tc;			/* its order, for ties */
} TypeFacts;

/* Per-call-site cache of a survivorship function: placeholders, the type, the kind. */
typedef struct CallCache
{
	TypeFacts	type;			/* of the value argument */
	Placeholders *ph;
	bool		kind_set;
	KindSpec	kind;
} CallCache;

static bool IsStringType(Oid typid);
static TypeCacheEntry *TypeEntry(Oid typid);

static void
SetTypeFacts(TypeFacts *tf, Oid typid)
{
	tf->typid = typid;
	get_typlenbyval(typid, &tf->typlen, &tf->typbyval);
	tf->is_string = IsStringType(typid);
	tf->tc = TypeEntry(typid);
}

/* The call site's cache; the placeholders are loaded if asked (once). */
static CallCache *
GetCallCache(FunctionCallInfo fcinfo, bool placeholders)
{
	CallCache  *cc = (CallCache *) fcinfo->flinfo->fn_extra;

	if (cc == NULL)
	{
		Oid			typid = get_fn_expr_argtype(fcinfo->flinfo, 1);

		if (!OidIsValid(typid))
			elog(ERROR, "could not determine the type of the value");
		cc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CallCache));
		SetTypeFacts(&cc->type, typid);
		fcinfo->flinfo->fn_extra = cc;
	}
	if (placeholders && cc->ph == NULL)
		cc->ph = LoadPlaceholders(fcinfo, fcinfo->flinfo->fn_mcxt);
	return cc;
}

/*
 * The facts of a type named by a state (combine and deserialize functions,
 * which have no value argument), kept in the function's cache.
 */
static const TypeFacts *
StateTypeFacts(FunctionCallInfo fcinfo, Oid typid)
{
	TypeFacts  *tf = (TypeFacts *) fcinfo->flinfo->fn_extra;

	if (tf == NULL)
	{
		tf = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(TypeFacts));
		fcinfo->flinfo->fn_extra = tf;
	}
	if (tf->typid != typid)
		SetTypeFacts(tf, typid);
	return tf;
}

/* The kind given as argument argno (NULL or absent: text), parsed once. */
static const KindSpec *
CallKind(FunctionCallInfo fcinfo, CallCache *cc, int argno)
{
	if (!cc->kind_set)
	{
		if (argno < PG_NARGS() && !PG_ARGISNULL(argno))
			ParseKind(PG_GETARG_TEXT_PP(argno), &cc->kind);
		else
		{
			cc->kind.kind = KIND_TEXT;
			cc->kind.region = 0;
		}
		cc->kind_set = true;
	}
	return &cc->kind;
}

/* Is a type text-like (its values are checked as strings)? */
static bool
IsStringType(Oid typid)
{
	Oid			base;

	if (typid == TEXTOID || typid == VARCHAROID || typid == BPCHAROID)
		return true;
	/* text-like varlenas (citext, domains); not name, a fixed-size string */
	base = getBaseType(typid);
	return TypeCategory(base) == TYPCATEGORY_STRING && get_typlen(base) == -1;
}

/* The tier of a non-NULL value of any type (is_string: of a text-like type). */
static int
ValueTier(Datum value, bool is_string, const KindSpec *spec, const Placeholders *ph)
{
	text	   *t;

	if (!is_string)
		return TIER_VALID;
	t = DatumGetTextPP(value);
	return StringTier(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), spec, ph);
}

/*
 * cu_valid(value text, kind text DEFAULT 'text'): is the value worth keeping
 * for an attribute of that kind (not empty, not a placeholder of
 * cu_placeholders, well formed for an e-mail or a phone)?
 */
PG_FUNCTION_INFO_V1(cu_valid);
Datum
cu_valid(PG_FUNCTION_ARGS)
{
	CallCache  *cc = GetCallCache(fcinfo, true);
	const KindSpec *spec;
	text	   *t = PG_GETARG_TEXT_PP(0);

	if (PG_NARGS() > 1)
	{
		/* the kind may change from row to row here */
		cc->kind_set = false;
		if (PG_ARGISNULL(1))
			PG_RETURN_NULL();
	}
	spec = CallKind(fcinfo, cc, 1);
	PG_RETURN_BOOL(StringTier(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), spec, cc->ph) == TIER_VALID);
}

/* ---------------------------------------------------------------------------
 * Single-value aggregates: the best value by a rule
 * ---------------------------------------------------------------------------
 */


/* A value with what ranks it. */
typedef struct Pick
{
	SurvivorRank rank;
	Datum		value;
} Pick;

typedef struct PickState
{
	Pick		best;			/* best.value points into area when by reference */
	uint32		room;			/* bytes of area */
	Oid			typid;
	int16		typlen;
	bool		typbyval;
	bool		has;
	int8		rule;
	char		area[FLEXIBLE_ARRAY_MEMBER];	/* the best value's bytes, from PickArea */
} PickState;

/* The best value's bytes (maximally aligned, for any type). */
#define PICK_HEADER MAXALIGN(offsetof(PickState, area))
#define PickArea(st) ((char *) (st) + PICK_HEADER)
/* Bytes of area a new state has: 128 bytes in all, with the header. */
#define PICK_ROOM (128 - PICK_HEADER)

/* The type's order of two values, or the order of their text forms. */
static int
CompareValues(TypeCacheEntry *tc, Datum a, Datum b)
{
	if (OidIsValid(tc->cmp_proc))
		return DatumGetInt32(FunctionCall2Coll(&tc->cmp_proc_finfo, DEFAULT_COLLATION_OID, a, b));
	else
	{
		Oid			out;
		bool		varlena;
		char	   *x;
		char	   *y;

		getTypeOutputInfo(tc->type_id, &out, &varlena);
		x = OidOutputFunctionCall(out, a);
		y = OidOutputFunctionCall(out, b);
		return strcmp(x, y);
	}
}

static TypeCacheEntry *
TypeEntry(Oid typid)
{
	return lookup_type_cache(typid, TYPECACHE_CMP_PROC_FINFO);
}

/* Order two times, a missing one below any (cu_golden's ties too). */
int
CompareAt(const SurvivorRank *a, const SurvivorRank *b)
{
	if (a->at_null || b->at_null)
		return a->at_null == b->at_null ? 0 : (a->at_null ? -1 : 1);
	return a->at < b->at ? -1 : a->at > b->at;
}

/* Order two keys (trust, length, filled fields), a missing one below any. */
static int
CompareKey(const SurvivorRank *a, const SurvivorRank *b)
{
	if (a->key_null || b->key_null)
		return a->key_null == b->key_null ? 0 : (a->key_null ? -1 : 1);
	return a->key < b->key ? -1 : a->key > b->key;
}

/*
 * How two candidates compare under a rule: > 0 when a wins, < 0 when b
 * wins, 0 for a tie left to the caller (the values themselves).  A higher
 * tier always wins.
 */
int
CompareSurvivors(SurvivorRule rule, const SurvivorRank *a, const SurvivorRank *b)
{
	int			d;

	if (a->tier != b->tier)
		return a->tier > b->tier ? 1 : -1;
	switch (rule)
	{
		case SURVIVE_RECENT:
			return CompareAt(a, b);
		case SURVIVE_OLDEST:
			if (a->at_null != b->at_null)
				return a->at_null ? -1 : 1;
			return -CompareAt(a, b);
		case SURVIVE_FREQUENT:
			if (a->count != b->count)
				return a->count > b->count ? 1 : -1;
			return CompareAt(a, b);
		case SURVIVE_TRUSTED:
		case SURVIVE_COMPLETE:
			d = CompareKey(a, b);
			return d != 0 ? d : CompareAt(a, b);
		case SURVIVE_LONGEST:
			return CompareKey(a, b);
		case SURVIVE_SHORTEST:
			return -CompareKey(a, b);
	}
	elog(ERROR, "unknown survivorship rule %d", rule);
	return 0;
}

/* Does candidate c beat the current best b under a rule? */
static bool
PickBeats(SurvivorRule rule, TypeCacheEntry *tc, const Pick *c, const Pick *b)
{
	int			d = CompareSurvivors(rule, &c->rank, &b->rank);

	if (d != 0)
		return d > 0;
	/* a tie: the smallest value, whatever the order of arrival */
	return CompareValues(tc, c->value, b->value) < 0;
}

static MemoryContext
AggContext(FunctionCallInfo fcinfo, const char *name)
{
	MemoryContext cxt;

	if (!AggCheckCallContext(fcinfo, &cxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s can only be called as part of an aggregate", name)));
	return cxt;
}

/*
 * A new state, with room for a value of the type in the same allocation:
 * with a million customers hashed, a value kept apart would cost a cache
 * miss on every row.
 */
static PickState *
NewPickState(MemoryContext cxt, SurvivorRule rule, const TypeFacts *tf)
{
	Size		room = tf->typbyval ? 0 : tf->typlen > 0 ? (Size) tf->typlen : PICK_ROOM;
	PickState  *st = MemoryContextAllocZero(cxt, PICK_HEADER + room);

	st->rule = rule;
	st->typid = tf->typid;
	st->typlen = tf->typlen;
	st->typbyval = tf->typbyval;
	st->room = room;
	return st;
}

/*
 * Keep a copy of a winning value in the state, which moves when the value
 * does not fit: the state is returned.
 */
static PickState *
PickKeep(PickState *st, Datum value)
{
	Pointer		ptr;
	Size		sz;

	if (st->typbyval)
	{
		st->best.value = value;
		return st;
	}
	ptr = DatumGetPointer(value);
	if (st->typlen == -1 && VARATT_IS_EXTERNAL_EXPANDED(ptr))
		ptr = DatumGetPointer(datumCopy(value, false, -1));	/* flattened */
	sz = st->typlen == -1 ? VARSIZE_ANY(ptr) : st->typlen == -2 ? strlen(ptr) + 1 : (Size) st->typlen;
	if (sz > st->room)
	{
		Size		room = Max(sz, st->room * 2);

		st = repalloc(st, PICK_HEADER + room);
		st->room = room;
	}
	memcpy(PickArea(st), ptr, sz);
	st->best.value = PointerGetDatum(PickArea(st));
	return st;
}

/* Offer a candidate to a state (the value is copied when it wins); the state is returned. */
static PickState *
PickOffer(PickState *st, const Pick *c, TypeCacheEntry *tc)
{
	if (st->has && !PickBeats(st->rule, tc, c, &st->best))
		return st;
	st->best = *c;
	st->has = true;
	return PickKeep(st, c->value);
}

/* Characters of a string value. */
static double
CharLength(Datum value)
{
	text	   *t = DatumGetTextPP(value);

	return pg_mbstrlen_with_len(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

/* Filled fields of a row: not NULL, and for strings not empty nor a placeholder. */
static double
FilledFields(Datum row, const Placeholders *ph)
{
	HeapTupleHeader th = DatumGetHeapTupleHeader(row);
	TupleDesc	td = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th), HeapTupleHeaderGetTypMod(th));
	HeapTupleData tuple;
	Datum	   *values = palloc(sizeof(Datum) * td->natts);
	bool	   *nulls = palloc(sizeof(bool) * td->natts);
	KindSpec	text_kind = {KIND_TEXT, 0};
	int			filled = 0;

	tuple.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = th;
	heap_deform_tuple(&tuple, td, values, nulls);
	for (int i = 0; i < td->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(td, i);

		if (att->attisdropped || nulls[i])
			continue;
		if (ValueTier(values[i], IsStringType(att->atttypid), &text_kind, ph) != TIER_NONE)
			filled++;
	}
	ReleaseTupleDesc(td);
	pfree(values);
	pfree(nulls);
	return filled;
}

/*
 * The transition of every pick aggregate: (state, value, ...) where the
 * arguments after the value depend on the rule (see the SQL declarations).
 */
static Datum
PickStep(FunctionCallInfo fcinfo, SurvivorRule rule)
{
	MemoryContext cxt = AggContext(fcinfo, "a survivorship aggregate");
	PickState  *st = PG_ARGISNULL(0) ? NULL : (PickState *) PG_GETARG_POINTER(0);
	CallCache  *cc = GetCallCache(fcinfo, true);
	Oid			typid = cc->type.typid;
	int			at_arg = -1;
	int			key_arg = -1;
	int			kind_arg = -1;
	Pick		c;

	switch (rule)
	{
		case SURVIVE_RECENT:
		case SURVIVE_OLDEST:
			at_arg = 2, kind_arg = 3;
			break;
		case SURVIVE_TRUSTED:
			key_arg = 2, at_arg = 3, kind_arg = 4;
			break;
		case SURVIVE_LONGEST:
		case SURVIVE_SHORTEST:
			kind_arg = 2;
			break;
		case SURVIVE_COMPLETE:
			at_arg = 2;
			break;
		case SURVIVE_FREQUENT:
			elog(ERROR, "cu_most_frequent has its own transition function");
	}
	if (st == NULL)
		st = NewPickState(cxt, rule, &cc->type);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);

	memset(&c, 0, sizeof(c));
	c.value = PG_GETARG_DATUM(1);
	c.rank.tier = TIER_VALID;	/* for now: checked below when it matters */
	if (rule == SURVIVE_COMPLETE)
	{
		if (!type_is_rowtype(typid))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("cu_most_complete takes a whole row, not a value of type %s", format_type_be(typid)),
					 errhint("Pass the row: cu_most_complete(t, t.updated_at).")));
		c.rank.key = FilledFields(c.value, cc->ph);
	}
	c.rank.at_null = at_arg < 0 || at_arg >= PG_NARGS() || PG_ARGISNULL(at_arg);
	if (!c.rank.at_null)
		c.rank.at = PG_GETARG_TIMESTAMPTZ(at_arg);
	if (rule == SURVIVE_TRUSTED)
	{
		c.rank.key_null = PG_ARGISNULL(key_arg);
		if (!c.rank.key_null)
		{
			c.rank.key = PG_GETARG_FLOAT8(key_arg);
			if (isnan(c.rank.key))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("the trust of a value cannot be NaN")));
		}
	}
	else if (rule == SURVIVE_LONGEST || rule == SURVIVE_SHORTEST)
		c.rank.key = CharLength(c.value);

	/*
	 * Against a valid best value, a candidate that would lose even if valid
	 * is dropped without checking it: most rows of a group are, and the
	 * check (an e-mail or phone parsed) costs more than the rest of the step.
	 */
	if (st->has && st->best.rank.tier == TIER_VALID && !PickBeats(rule, cc->type.tc, &c, &st->best))
		PG_RETURN_POINTER(st);
	if (rule != SURVIVE_COMPLETE)
	{
		c.rank.tier = ValueTier(c.value, cc->type.is_string, CallKind(fcinfo, cc, kind_arg), cc->ph);
		if (c.rank.tier == TIER_NONE)
			PG_RETURN_POINTER(st);
	}
	PG_RETURN_POINTER(PickOffer(st, &c, cc->type.tc));
}

PG_FUNCTION_INFO_V1(cu_pick_recent_step);
Datum
cu_pick_recent_step(PG_FUNCTION_ARGS)
{
	return PickStep(fcinfo, SURVIVE_RECENT);
}

PG_FUNCTION_INFO_V1(cu_pick_oldest_step);
Datum
cu_pick_oldest_step(PG_FUNCTION_ARGS)
{
	return PickStep(fcinfo, SURVIVE_OLDEST);
}

PG_FUNCTION_INFO_V1(cu_pick_trusted_step);
Datum
cu_pick_trusted_step(PG_FUNCTION_ARGS)
{
	return PickStep(fcinfo, SURVIVE_TRUSTED);
}

PG_FUNCTION_INFO_V1(cu_pick_longest_step);
Datum
cu_pick_longest_step(PG_FUNCTION_ARGS)
{
	return PickStep(fcinfo, SURVIVE_LONGEST);
}

PG_FUNCTION_INFO_V1(cu_pick_shortest_step);
Datum
cu_pick_shortest_step(PG_FUNCTION_ARGS)
{
	return PickStep(fcinfo, SURVIVE_SHORTEST);
}

PG_FUNCTION_INFO_V1(cu_pick_complete_step);
Datum
cu_pick_complete_step(PG_FUNCTION_ARGS)
{
	return PickStep(fcinfo, SURVIVE_COMPLETE);
}

/* cu_pick_combine(internal, internal): the better of two partial states. */
PG_FUNCTION_INFO_V1(cu_pick_combine);
Datum
cu_pick_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = AggContext(fcinfo, "cu_pick_combine");
	PickState  *a = PG_ARGISNULL(0) ? NULL : (PickState *) PG_GETARG_POINTER(0);
	PickState  *b = PG_ARGISNULL(1) ? NULL : (PickState *) PG_GETARG_POINTER(1);
	const TypeFacts *tf;

	if (b == NULL)
		PG_RETURN_POINTER(a);
	tf = StateTypeFacts(fcinfo, b->typid);
	if (a == NULL)
		a = NewPickState(cxt, b->rule, tf);
	if (b->has)
		a = PickOffer(a, &b->best, tf->tc);
	PG_RETURN_POINTER(a);
}

/* Write the fields of a pick (the value through datumSerialize). */
static void
SendPick(StringInfo buf, const Pick *p, bool typbyval, int16 typlen)
{
	Size		sz = datumEstimateSpace(p->value, false, typbyval, typlen);
	char	   *dst;

	pq_sendint8(buf, p->rank.tier);
	pq_sendint8(buf, p->rank.at_null);
	pq_sendint64(buf, p->rank.at);
	pq_sendint8(buf, p->rank.key_null);
	pq_sendfloat8(buf, p->rank.key);
	pq_sendint32(buf, (int32) sz);
	enlargeStringInfo(buf, sz);
	dst = buf->data + buf->len;
	datumSerialize(p->value, false, typbyval, typlen, &dst);
	buf->len += sz;
	buf->data[buf->len] = '\0';
}

static void
ReceivePick(StringInfo buf, Pick *p)
{
	int32		sz;
	char	   *src;
	bool		isnull;

	p->rank.tier = pq_getmsgint(buf, 1);
	p->rank.at_null = pq_getmsgint(buf, 1);
	p->rank.at = pq_getmsgint64(buf);
	p->rank.key_null = pq_getmsgint(buf, 1);
	p->rank.key = pq_getmsgfloat8(buf);
	sz = pq_getmsgint(buf, 4);
	if (sz < 0 || buf->cursor + sz > buf->len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid survivorship state")));
	src = buf->data + buf->cursor;
	p->rank.count = 0;
	p->value = datumRestore(&src, &isnull);
	buf->cursor += sz;
}

/* cu_pick_serialize(internal) → bytea. */
PG_FUNCTION_INFO_V1(cu_pick_serialize);
Datum
cu_pick_serialize(PG_FUNCTION_ARGS)
{
	PickState  *st = (PickState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, st->rule);
	pq_sendint32(&buf, st->typid);
	pq_sendint8(&buf, st->has);
	if (st->has)
		SendPick(&buf, &st->best, st->typbyval, st->typlen);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* cu_pick_deserialize(bytea, internal) → internal. */
PG_FUNCTION_INFO_V1(cu_pick_deserialize);
Datum
cu_pick_deserialize(PG_FUNCTION_ARGS)
{
	/* the per-row context: the combine function copies what it keeps */
	MemoryContext cxt = CurrentMemoryContext;
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	PickState  *st;
	int32		rule;
	Oid			typid;
	const TypeFacts *tf;

	(void) AggContext(fcinfo, "cu_pick_deserialize");	/* only as an aggregate */
	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	rule = pq_getmsgint(&buf, 4);
	typid = pq_getmsgint(&buf, 4);
	if (rule < SURVIVE_RECENT || rule > SURVIVE_COMPLETE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid survivorship state")));
	tf = StateTypeFacts(fcinfo, typid);
	st = NewPickState(cxt, rule, tf);
	if (pq_getmsgint(&buf, 1))
	{
		Pick		p;

		/* restored in the current (per-call) context, then copied into the state */
		ReceivePick(&buf, &p);
		st = PickOffer(st, &p, tf->tc);
	}
	PG_RETURN_POINTER(st);
}

/* The final function of every pick aggregate: the winning value, or NULL. */
PG_FUNCTION_INFO_V1(cu_pick_final);
Datum
cu_pick_final(PG_FUNCTION_ARGS)
{
	PickState  *st = PG_ARGISNULL(0) ? NULL : (PickState *) PG_GETARG_POINTER(0);

	if (st == NULL || !st->has)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(st->best.value);
}

/* ---------------------------------------------------------------------------
 * cu_most_frequent: the value most records agree on
 * ---------------------------------------------------------------------------
 */

/*
 * The state is one allocation: the header, the entries, then the bytes of
 * the values they hold (by reference types), so that counting a row touches
 * one block of memory, not one per value: with a million customers hashed,
 * every separate block is a cache miss.  It moves when it grows; the step
 * returns where it is.
 */
typedef struct FrequentEntry
{
	uint32		hash;
	uint32		len;			/* bytes of the value's image (by reference) */
	uint32		off;			/* where they are in the value area */
	int8		tier;
	bool		at_null;
	int64		count;			/* rows holding the value */
	TimestampTz at;				/* the latest of them */
	Datum		value;			/* the value, when by value */
} FrequentEntry;

/* Past this many distinct values, a state finds its values through a hash index. */
#define FREQUENT_LINEAR 16

/* An entry not checked yet: it ranks as valid until the final function checks it. */
#define TIER_UNCHECKED (-1)

typedef struct FrequentState
{
	Oid			typid;
	KindSpec	kind;			/* what the values are checked as */
	bool		is_string;		/* checked as strings (else always valid) */
	int16		typlen;
	bool		typbyval;
	int32		n;				/* entries used */
	int32		size;			/* entries allocated */
	uint32		used;			/* bytes of the value area used */
	uint32		room;			/* bytes of the value area allocated */
	int32		nslots;			/* 0, or a power of two above 2 n */
	int32	   *slots;			/* entry index + 1, 0 for a free slot */
	TypeCacheEntry *tc;
	FrequentEntry entries[FLEXIBLE_ARRAY_MEMBER];	/* then the value area */
} FrequentState;

#define FrequentArea(st) ((char *) &(st)->entries[(st)->size])

/* A new state with room for size entries and room bytes of values. */
static FrequentState *
NewFrequentStateSized(MemoryContext cxt, const TypeFacts *tf, const KindSpec *kind, int size, uint32 room)
{
	FrequentState *st = MemoryContextAllocZero(cxt, offsetof(FrequentState, entries) +
											   sizeof(FrequentEntry) * size + room);

	st->typid = tf->typid;
	st->kind = *kind;
	st->is_string = tf->is_string;
	st->typlen = tf->typlen;
	st->typbyval = tf->typbyval;
	st->tc = tf->tc;
	st->size = size;
	st->room = room;
	return st;
}

/* A state for a first value: one entry and room for a short value, 128 bytes in all. */
static FrequentState *
NewFrequentState(MemoryContext cxt, const TypeFacts *tf, const KindSpec *kind)
{
	return NewFrequentStateSized(cxt, tf, kind, 1,
								 tf->typbyval ? 0 : tf->typlen > 0 ? MAXALIGN(tf->typlen) : 40);
}

/* A copy of a whole state, in one block without spare room (and its index). */
static FrequentState *
CopyFrequentState(MemoryContext cxt, const FrequentState *b)
{
	int			size = Max(b->n, 1);
	FrequentState *a = MemoryContextAlloc(cxt, offsetof(FrequentState, entries) +
										  sizeof(FrequentEntry) * size + b->used);

	memcpy(a, b, offsetof(FrequentState, entries) + sizeof(FrequentEntry) * b->n);
	a->size = size;
	a->room = b->used;
	memcpy(FrequentArea(a), FrequentArea(b), b->used);
	if (b->nslots > 0)
	{
		a->slots = MemoryContextAlloc(cxt, sizeof(int32) * b->nslots);
		memcpy(a->slots, b->slots, sizeof(int32) * b->nslots);
	}
	return a;
}

/* An entry's rank, as the rules compare them. */
static SurvivorRank
EntryRank(const FrequentEntry *e)
{
	SurvivorRank r;

	memset(&r, 0, sizeof(r));
	r.tier = e->tier == TIER_UNCHECKED ? TIER_VALID : e->tier;
	r.at_null = e->at_null;
	r.at = e->at;
	r.count = e->count;
	return r;
}

/* Count more rows of an entry's value, the latest at at. */
static void
EntryCount(FrequentEntry *e, int64 count, bool at_null, TimestampTz at)
{
	e->count += count;
	if (!at_null && (e->at_null || at > e->at))
	{
		e->at_null = false;
		e->at = at;
	}
}

/*
 * The image of a by-reference value: the bytes equal values share (a
 * varlena's data, detoasted, without its header).
 */
static const char *
FrequentImage(const FrequentState *st, Datum value, uint32 *len)
{
	if (st->typlen == -1)
	{
		struct varlena *v = PG_DETOAST_DATUM_PACKED(value);

		*len = VARSIZE_ANY_EXHDR(v);
		return VARDATA_ANY(v);
	}
	if (st->typlen == -2)
	{
		*len = strlen(DatumGetCString(value)) + 1;
		return DatumGetCString(value);
	}
	*len = st->typlen;
	return DatumGetPointer(value);
}

static uint32
FrequentHash(const FrequentState *st, Datum value, const char *image, uint32 len)
{
	if (st->typbyval)
		return hash_bytes((const unsigned char *) &value, sizeof(Datum));
	return hash_bytes((const unsigned char *) image, len);
}

static bool
FrequentEqual(const FrequentState *st, const FrequentEntry *e, Datum value, const char *image, uint32 len)
{
	if (st->typbyval)
		return e->value == value;
	return e->len == len &&
		memcmp(FrequentArea(st) + e->off + (st->typlen == -1 ? VARHDRSZ : 0), image, len) == 0;
}

/* An entry's value as a Datum of its type (pointing into the state). */
static Datum
FrequentValue(const FrequentState *st, const FrequentEntry *e)
{
	if (st->typbyval)
		return e->value;
	return PointerGetDatum(FrequentArea(st) + e->off);
}

/* Index the entries again, in a table of nslots (a power of two). */
static void
FrequentRehash(FrequentState *st, MemoryContext cxt, int nslots)
{
	if (st->slots)
		pfree(st->slots);
	st->nslots = nslots;
	st->slots = MemoryContextAllocZero(cxt, sizeof(int32) * nslots);
	for (int i = 0; i < st->n; i++)
	{
		uint32		j = st->entries[i].hash & (nslots - 1);

		while (st->slots[j] != 0)
			j = (j + 1) & (nslots - 1);
		st->slots[j] = i + 1;
	}
}

/*
 * The entry of a value, or NULL; *slot is where a new entry goes when the
 * state has an index.
 */
static FrequentEntry *
FrequentFind(FrequentState *st, Datum value, const char *image, uint32 len, uint32 h, uint32 *slot)
{
	if (st->nslots == 0)
	{
		for (int i = 0; i < st->n; i++)
		{
			FrequentEntry *e = &st->entries[i];

			if (e->hash == h && FrequentEqual(st, e, value, image, len))
				return e;
		}
		return NULL;
	}
	for (uint32 j = h & (st->nslots - 1);; j = (j + 1) & (st->nslots - 1))
	{
		FrequentEntry *e;

		if (st->slots[j] == 0)
		{
			*slot = j;
			return NULL;
		}
		e = &st->entries[st->slots[j] - 1];
		if (e->hash == h && FrequentEqual(st, e, value, image, len))
			return e;
	}
}

/*
 * A new entry for a value FrequentFind did not find (its image, hash and
 * slot), with count rows of rank (its tier and latest time).  The state may
 * move: it is returned.
 */
static FrequentState *
FrequentInsert(FrequentState *st, MemoryContext cxt, Datum value, const char *image, uint32 len,
			   uint32 h, uint32 slot, const SurvivorRank *rank, int64 count)
{
	FrequentEntry *e;
	Size		need;

	/* room for one more entry and its image (a varlena gets a 4-byte header back) */
	need = st->typbyval ? 0 : MAXALIGN((Size) len + (st->typlen == -1 ? VARHDRSZ : 0));
	if (st->n == st->size || st->used + need > st->room)
	{
		int			size = st->n == st->size ? st->size * 2 : st->size;
		Size		room = st->typbyval ? 0 : Max(st->room, 64);
		FrequentState *grown;

		while (st->used + need > room)
			room *= 2;
		if ((Size) size * sizeof(FrequentEntry) + room >= MaxAllocSize / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("cu_most_frequent: too many distinct values in one group")));
		grown = MemoryContextAlloc(cxt, offsetof(FrequentState, entries) +
								   sizeof(FrequentEntry) * size + room);
		memcpy(grown, st, offsetof(FrequentState, entries) + sizeof(FrequentEntry) * st->n);
		grown->size = size;
		grown->room = room;
		memcpy(FrequentArea(grown), FrequentArea(st), st->used);
		pfree(st);
		st = grown;
	}
	e = &st->entries[st->n];
	e->hash = h;
	e->len = len;
	e->off = st->used;
	e->value = st->typbyval ? value : (Datum) 0;
	e->tier = rank->tier;
	e->at_null = rank->at_null;
	e->at = rank->at;
	e->count = count;
	if (!st->typbyval)
	{
		char	   *dst = FrequentArea(st) + st->used;

		if (st->typlen == -1)
		{
			SET_VARSIZE(dst, len + VARHDRSZ);
			memcpy(VARDATA(dst), image, len);
		}
		else
			memcpy(dst, image, len);
		st->used += need;
	}
	if (st->nslots > 0)
		st->slots[slot] = st->n + 1;
	st->n++;
	if (st->n > FREQUENT_LINEAR && st->n * 2 > st->nslots)
	{
		int			nslots = 64;

		while (nslots < st->n * 4)
			nslots *= 2;
		FrequentRehash(st, cxt, nslots);
	}
	return st;
}

/*
 * Count count rows of a value (rank: its tier and latest time) in a state,
 * which may move: the state is returned.
 */
static FrequentState *
FrequentAdd(FrequentState *st, MemoryContext cxt, Datum value, const SurvivorRank *rank, int64 count)
{
	uint32		len = 0;
	const char *image = st->typbyval ? NULL : FrequentImage(st, value, &len);
	uint32		h = FrequentHash(st, value, image, len);
	uint32		slot = 0;
	FrequentEntry *e = FrequentFind(st, value, image, len, h, &slot);

	if (e == NULL)
		return FrequentInsert(st, cxt, value, image, len, h, slot, rank, count);
	EntryCount(e, count, rank->at_null, rank->at);
	if (e->tier == TIER_UNCHECKED)
		e->tier = rank->tier;
	return st;
}

/*
 * cu_frequent_step(state, value [, at [, kind]]): count one value.  Values
 * are checked (placeholder, malformed e-mail or phone) only by the final
 * function, and only those that could win: most often one per group.
 */
PG_FUNCTION_INFO_V1(cu_frequent_step);
Datum
cu_frequent_step(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = AggContext(fcinfo, "cu_most_frequent");
	FrequentState *st = PG_ARGISNULL(0) ? NULL : (FrequentState *) PG_GETARG_POINTER(0);
	CallCache  *cc = GetCallCache(fcinfo, false);
	SurvivorRank rank;
	Datum		value;
	uint32		len = 0;
	const char *image;
	uint32		h;
	uint32		slot = 0;
	FrequentEntry *e;

	if (st == NULL)
		st = NewFrequentState(cxt, &cc->type, CallKind(fcinfo, cc, 3));
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	value = PG_GETARG_DATUM(1);
	memset(&rank, 0, sizeof(rank));
	rank.at_null = PG_NARGS() < 3 || PG_ARGISNULL(2);
	if (!rank.at_null)
		rank.at = PG_GETARG_TIMESTAMPTZ(2);
	image = st->typbyval ? NULL : FrequentImage(st, value, &len);
	h = FrequentHash(st, value, image, len);
	e = FrequentFind(st, value, image, len, h, &slot);
	if (e != NULL)
	{
		EntryCount(e, 1, rank.at_null, rank.at);
		PG_RETURN_POINTER(st);
	}
	rank.tier = cc->type.is_string ? TIER_UNCHECKED : TIER_VALID;
	PG_RETURN_POINTER(FrequentInsert(st, cxt, value, image, len, h, slot, &rank, 1));
}

/* cu_frequent_combine(internal, internal): the counts of both. */
PG_FUNCTION_INFO_V1(cu_frequent_combine);
Datum
cu_frequent_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = AggContext(fcinfo, "cu_frequent_combine");
	FrequentState *a = PG_ARGISNULL(0) ? NULL : (FrequentState *) PG_GETARG_POINTER(0);
	FrequentState *b = PG_ARGISNULL(1) ? NULL : (FrequentState *) PG_GETARG_POINTER(1);

	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
		PG_RETURN_POINTER(CopyFrequentState(cxt, b));
	for (int i = 0; i < b->n; i++)
	{
		SurvivorRank r = EntryRank(&b->entries[i]);

		r.tier = b->entries[i].tier;
		a = FrequentAdd(a, cxt, FrequentValue(b, &b->entries[i]), &r, r.count);
	}
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(cu_frequent_serialize);
Datum
cu_frequent_serialize(PG_FUNCTION_ARGS)
{
	FrequentState *st = (FrequentState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			n = 0;

	/* the values that can win: not the placeholders */
	for (int i = 0; i < st->n; i++)
		n += st->entries[i].tier != TIER_NONE;
	pq_begintypsend(&buf);
	pq_sendint32(&buf, st->typid);
	pq_sendint32(&buf, st->kind.kind);
	pq_sendint32(&buf, st->kind.region);
	pq_sendint32(&buf, n);
	for (int i = 0; i < st->n; i++)
	{
		Pick		p;

		if (st->entries[i].tier == TIER_NONE)
			continue;
		p.rank = EntryRank(&st->entries[i]);
		p.rank.tier = st->entries[i].tier;
		p.value = FrequentValue(st, &st->entries[i]);
		pq_sendint64(&buf, p.rank.count);
		SendPick(&buf, &p, st->typbyval, st->typlen);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(cu_frequent_deserialize);
Datum
cu_frequent_deserialize(PG_FUNCTION_ARGS)
{
	/* the per-row context: the combine function copies what it keeps */
	MemoryContext cxt = CurrentMemoryContext;
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	FrequentState *st;
	Oid			typid;
	const TypeFacts *tf;
	KindSpec	kind;
	int32		n;

	(void) AggContext(fcinfo, "cu_frequent_deserialize");	/* only as an aggregate */
	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	typid = pq_getmsgint(&buf, 4);
	kind.kind = pq_getmsgint(&buf, 4);
	kind.region = pq_getmsgint(&buf, 4);
	if (kind.kind < KIND_TEXT || kind.kind > KIND_PHONE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid survivorship state")));
	n = pq_getmsgint(&buf, 4);
	if (n < 0 || n > buf.len - buf.cursor)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid survivorship state")));
	/* sized at once: the values take less than the rest of the message */
	tf = StateTypeFacts(fcinfo, typid);
	st = NewFrequentStateSized(cxt, tf, &kind, Max(n, 1),
							   tf->typbyval ? 0 : MAXALIGN(buf.len - buf.cursor) + 8 * n);
	for (int i = 0; i < n; i++)
	{
		int64		count = pq_getmsgint64(&buf);
		Pick		p;

		/* restored in the current (per-call) context, then copied into the state */
		ReceivePick(&buf, &p);
		st = FrequentAdd(st, cxt, p.value, &p.rank, count);
	}
	PG_RETURN_POINTER(st);
}

/* The entry ranking first among those that may still win (unchecked ones as valid). */
static FrequentEntry *
FrequentLeader(FrequentState *st)
{
	FrequentEntry *best = NULL;
	SurvivorRank er;
	SurvivorRank br;

	for (int i = 0; i < st->n; i++)
	{
		FrequentEntry *e = &st->entries[i];
		int			d;

		if ((i & 4095) == 4095)
			CHECK_FOR_INTERRUPTS();
		if (e->tier == TIER_NONE)
			continue;
		if (best == NULL)
		{
			best = e;
			continue;
		}
		er = EntryRank(e);
		br = EntryRank(best);
		d = CompareSurvivors(SURVIVE_FREQUENT, &er, &br);
		if (d == 0)
			d = -CompareValues(st->tc, FrequentValue(st, e), FrequentValue(st, best));
		if (d > 0)
			best = e;
	}
	return best;
}

/*
 * cu_frequent_final: the valid value held by the most records; ties go to the
 * value seen most recently, then to the smallest value.  Values are checked
 * here, the leading one first: the next is looked at only if it fails.  Past
 * a few dozen values, all are checked at once rather than ranked again after
 * each failure.
 */
PG_FUNCTION_INFO_V1(cu_frequent_final);
Datum
cu_frequent_final(PG_FUNCTION_ARGS)
{
	FrequentState *st = PG_ARGISNULL(0) ? NULL : (FrequentState *) PG_GETARG_POINTER(0);
	Placeholders *ph;
	FrequentEntry *best;

	if (st == NULL)
		PG_RETURN_NULL();
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = LoadPlaceholders(fcinfo, fcinfo->flinfo->fn_mcxt);
	ph = (Placeholders *) fcinfo->flinfo->fn_extra;
	if (st->n > 32)
		for (int i = 0; i < st->n; i++)
		{
			FrequentEntry *e = &st->entries[i];

			if (e->tier == TIER_UNCHECKED)
				e->tier = ValueTier(FrequentValue(st, e), st->is_string, &st->kind, ph);
			if ((i & 255) == 255)
				CHECK_FOR_INTERRUPTS();
		}
	for (;;)
	{
		best = FrequentLeader(st);
		if (best == NULL || best->tier != TIER_UNCHECKED)
			break;
		best->tier = ValueTier(FrequentValue(st, best), st->is_string, &st->kind, ph);
	}
	if (best == NULL)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(FrequentValue(st, best));
}

/* ---------------------------------------------------------------------------
 * Trust that decays with age
 * ---------------------------------------------------------------------------
 */

/* Seconds of an interval (a year of 365.25 days, as extract(epoch ...)). */
double
IntervalSeconds(const Interval *iv)
{
	return iv->time / (double) USECS_PER_SEC +
		(iv->day + (double) iv->month * (DAYS_PER_YEAR / MONTHS_PER_YEAR)) * SECS_PER_DAY;
}

/* Age in seconds of at, seen from as_of (never negative: the future is now). */
static double
AgeSeconds(TimestampTz at, TimestampTz as_of)
{
	if (TIMESTAMP_NOT_FINITE(at) || TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cu_trust needs finite timestamps")));
	return Max((as_of - at) / (double) USECS_PER_SEC, 0.0);
}

static double
LifeSeconds(const Interval *iv, const char *what)
{
	double		s = IntervalSeconds(iv);

	if (!(s > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the %s must be a positive interval", what)));
	return s;
}

/*
 * cu_trust(base, at, half_life [, as_of]): base trust halved every half_life
 * of age (exponential decay), seen from as_of (now() by default).
 */
PG_FUNCTION_INFO_V1(cu_trust);
Datum
cu_trust(PG_FUNCTION_ARGS)
{
	double		base = PG_GETARG_FLOAT8(0);
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(1);
	double		half = LifeSeconds(PG_GETARG_INTERVAL_P(2), "half-life");
	TimestampTz as_of = PG_NARGS() > 3 ? PG_GETARG_TIMESTAMPTZ(3) : GetCurrentTransactionStartTimestamp();

	PG_RETURN_FLOAT8(base * pow(0.5, AgeSeconds(at, as_of) / half));
}

/*
 * cu_trust_linear(base, at, lifetime [, as_of]): base trust falling in a
 * straight line to zero over lifetime.
 */
PG_FUNCTION_INFO_V1(cu_trust_linear);
Datum
cu_trust_linear(PG_FUNCTION_ARGS)
{
	double		base = PG_GETARG_FLOAT8(0);
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(1);
	double		life = LifeSeconds(PG_GETARG_INTERVAL_P(2), "lifetime");
	TimestampTz as_of = PG_NARGS() > 3 ? PG_GETARG_TIMESTAMPTZ(3) : GetCurrentTransactionStartTimestamp();

	PG_RETURN_FLOAT8(base * Max(0.0, 1.0 - AgeSeconds(at, as_of) / life));
}
