/*
 * golden_record.c
 *	  cu_golden: the golden record of a customer, merged field by field from
 *	  the records of its sources, each field by a survivorship rule (default
 *	  rules by attribute kind, overridable), with the lineage of every value:
 *	  the source, the record, the time and the rule that made it win.  Fields
 *	  of a group (street, postcode, city) come from one record together.
 *
 * The state keeps, for each field, only what can still win: under a pick
 * rule (most recent, oldest, most trusted, longest, shortest) the best value
 * so far; under most_frequent each distinct value with its count and the
 * latest record holding it.  A customer's state grows with its distinct
 * values, not with its records, and the partial states of parallel workers
 * merge field by field.  Every tie is broken by the value, then the source,
 * then the record id: no result depends on the order records arrive in.
 * Internal state with combine, serialize and deserialize: parallel safe.
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "customer_unify.h"
#include "golden.h"

/* The rules a field may name, by SurvivorRule (most_complete is for rows). */
static const char *const rule_names[] = {
	"most_recent", "oldest", "most_frequent", "most_trusted", "longest", "shortest"
};

#define GOLDEN_MAX_GROUPS 16

/* What the rules say beyond each field's rule. */
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

/* A field as a call site knows it: its rule and kind, in a group or not. */
typedef struct FieldDesc
{
	char	   *name;
	int			len;
	SurvivorRule rule;
	KindSpec	kind;
	bool		grouped;		/* its candidates keep their whole record */
} FieldDesc;

/* A source's trust under the rules, looked up once. */
typedef struct SourceTrust
{
	char	   *name;
	int			len;
	double		trust;
} SourceTrust;

/*
 * One set of rules, parsed, with the fields and sources met under it.  A
 * call site keeps one per distinct rules argument, for the whole query.
 */
typedef struct RulesEntry
{
	Jsonb	   *rules;			/* NULL: the defaults */
	GoldenRules gr;
	int			nfields;
	int			maxfields;
	FieldDesc **fields;
	int			nsources;
	int			maxsources;
	SourceTrust *sources;
	struct RulesEntry *next;
} RulesEntry;

/* What a call site keeps between calls (fn_extra). */
typedef struct GoldenCache
{
	MemoryContext cxt;
	Placeholders *ph;
	RulesEntry *entries;
} GoldenCache;

/*
 * A candidate value of a field, in one flat block (it is copied between
 * states and shipped between processes as is): its rank, the value, and
 * the record it comes from.  Under most_frequent it stands for all the
 * records holding the value (rank.count), the record shown being the
 * latest of them.  The data after the header, each part MAXALIGNed where
 * it is a Jsonb: the record's attributes (fields of a group only), the
 * value's Jsonb (when not a string), the record id's Jsonb (when not a
 * string), then the value as text, the source and the record id as text.
 */
typedef struct Cand
{
	uint32		size;			/* of the block, header included */
	int32		value_len;
	int32		value_jlen;		/* 0: the value is a string */
	int32		source_len;		/* -1: no source */
	int32		id_len;			/* -1: no "_id" */
	int32		id_jlen;		/* 0: the id is a string (or none) */
	int32		attrs_len;		/* 0: record not kept */
	uint32		hash;			/* of the value text (most frequent) */
	SurvivorRank rank;
} Cand;

#define CAND_HDR MAXALIGN(sizeof(Cand))

/* The candidates of one field in a customer's state. */
typedef struct FieldTrack
{
	const FieldDesc *desc;
	Cand	   *best;			/* pick rules */
	int			n;				/* most frequent: distinct values */
	int			max;
	Cand	  **vals;
	int32	   *slots;			/* hash index over vals (index + 1), past a few */
	int			nslots;
} FieldTrack;

typedef struct GoldenState
{
	RulesEntry *re;
	int64		records;
	int			nfields;
	int			maxfields;
	FieldTrack *fields;
} GoldenState;

/* A record being read by the transition function. */
typedef struct RecordInfo
{
	Jsonb	   *attrs;
	const char *source;
	int			source_len;		/* -1: none */
	bool		at_null;
	TimestampTz at;
	bool		id_done;
	const char *id;
	int			id_len;			/* -1: none */
	Jsonb	   *id_j;
	bool		trust_done;
	double		trust;
} RecordInfo;

/* Two candidates seen the same way, for ranking (from a record or a block). */
typedef struct CandView
{
	const SurvivorRank *rank;
	const char *value;
	int			value_len;
	const char *source;
	int			source_len;
	const char *id;
	int			id_len;
} CandView;

#define FREQUENT_LINEAR 8		/* distinct values scanned before hashing */

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

/* ---------------------------------------------------------------------------
 * The rules and fields of a call site
 * ---------------------------------------------------------------------------
 */

static GoldenCache *
GetGoldenCache(FunctionCallInfo fcinfo, bool placeholders)
{
	GoldenCache *gc = (GoldenCache *) fcinfo->flinfo->fn_extra;

	if (gc == NULL)
	{
		gc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(GoldenCache));
		gc->cxt = fcinfo->flinfo->fn_mcxt;
		fcinfo->flinfo->fn_extra = gc;
	}
	if (placeholders && gc->ph == NULL)
		gc->ph = LoadPlaceholders(fcinfo, gc->cxt);
	return gc;
}

/* Is an entry these rules (NULL: the defaults)? */
static bool
RulesAre(const RulesEntry *re, const Jsonb *rules)
{
	if (re->rules == NULL || rules == NULL)
		return re->rules == rules;
	return VARSIZE(re->rules) == VARSIZE(rules) && memcmp(re->rules, rules, VARSIZE(rules)) == 0;
}

/* The entry of a set of rules (NULL: the defaults), parsed on first use. */
static RulesEntry *
FindRules(GoldenCache *gc, Jsonb *rules)
{
	RulesEntry *re;
	MemoryContext old;

	for (re = gc->entries; re != NULL; re = re->next)
		if (RulesAre(re, rules))
			return re;
	old = MemoryContextSwitchTo(gc->cxt);
	re = palloc0(sizeof(RulesEntry));
	re->rules = rules ? (Jsonb *) pg_detoast_datum_copy((struct varlena *) rules) : NULL;
	ParseRules(re->rules, &re->gr);
	re->maxfields = 8;
	re->fields = palloc(sizeof(FieldDesc *) * re->maxfields);
	MemoryContextSwitchTo(old);
	re->next = gc->entries;
	gc->entries = re;
	return re;
}

/* Are two entries (perhaps of two call sites) the same rules? */
static bool
SameRules(const RulesEntry *a, const RulesEntry *b)
{
	return a == b || RulesAre(a, b->rules);
}

/* Is the field in one of the groups of the rules? */
static bool
InGroup(const GoldenRules *gr, const char *field)
{
	for (int g = 0; g < gr->ngroups; g++)
		for (int i = 0; i < gr->group_len[g]; i++)
			if (strcmp(gr->group[g][i], field) == 0)
				return true;
	return false;
}

/* The field of that name under these rules: its rule and kind, found once. */
static const FieldDesc *
InternField(RulesEntry *re, MemoryContext cxt, const char *name, int len)
{
	FieldDesc  *fd;
	MemoryContext old;

	for (int i = 0; i < re->nfields; i++)
		if (re->fields[i]->len == len && memcmp(re->fields[i]->name, name, len) == 0)
			return re->fields[i];
	old = MemoryContextSwitchTo(cxt);
	fd = palloc0(sizeof(FieldDesc));
	fd->name = pnstrdup(name, len);
	fd->len = len;
	FieldRule(&re->gr, fd->name, &fd->rule, &fd->kind);
	fd->grouped = InGroup(&re->gr, fd->name);
	if (re->nfields == re->maxfields)
	{
		re->maxfields *= 2;
		re->fields = repalloc(re->fields, sizeof(FieldDesc *) * re->maxfields);
	}
	re->fields[re->nfields++] = fd;
	MemoryContextSwitchTo(old);
	return fd;
}

/* The trust of a source under the rules (1 when not listed), looked up once. */
static double
SourceBaseTrust(RulesEntry *re, MemoryContext cxt, const char *source, int len)
{
	JsonbValue	buf;
	JsonbValue *v;
	double		trust = 1.0;
	MemoryContext old;

	if (re->gr.trust == NULL || len < 0)
		return 1.0;
	for (int i = 0; i < re->nsources; i++)
		if (re->sources[i].len == len && memcmp(re->sources[i].name, source, len) == 0)
			return re->sources[i].trust;
	v = getKeyJsonValueFromContainer(re->gr.trust, source, len, &buf);
	if (v != NULL && v->type == jbvNumeric)
		trust = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
	old = MemoryContextSwitchTo(cxt);
	if (re->nsources == re->maxsources)
	{
		re->maxsources = Max(8, re->maxsources * 2);
		re->sources = re->sources ? repalloc(re->sources, sizeof(SourceTrust) * re->maxsources)
			: palloc(sizeof(SourceTrust) * re->maxsources);
	}
	re->sources[re->nsources].name = pnstrdup(source, len);
	re->sources[re->nsources].len = len;
	re->sources[re->nsources].trust = trust;
	re->nsources++;
	MemoryContextSwitchTo(old);
	return trust;
}

/* The trust of a record: its source's, decayed with its age if asked. */
static double
RecordTrust(RulesEntry *re, MemoryContext cxt, RecordInfo *rec)
{
	if (!rec->trust_done)
	{
		double		trust = SourceBaseTrust(re, cxt, rec->source, rec->source_len);

		if (re->gr.decay && !rec->at_null)
		{
			double		age = (GetCurrentTransactionStartTimestamp() - rec->at) / (double) USECS_PER_SEC;

			trust *= pow(0.5, Max(age, 0.0) / re->gr.half_life);
		}
		rec->trust = trust;
		rec->trust_done = true;
	}
	return rec->trust;
}

/*
 * The record's "_id", as text and (when not a string) as Jsonb, read once
 * per record and only when needed (a tie, or a value kept); into the view
 * cv when given.
 */
static void
RecordId(RecordInfo *rec, CandView *cv)
{
	if (!rec->id_done)
	{
		JsonbValue	buf;
		JsonbValue *v = getKeyJsonValueFromContainer(&rec->attrs->root, "_id", 3, &buf);

		rec->id_done = true;
		rec->id_len = -1;
		rec->id_j = NULL;
		if (v != NULL && v->type == jbvString)
		{
			rec->id = v->val.string.val;
			rec->id_len = v->val.string.len;
		}
		else if (v != NULL && v->type != jbvNull)
		{
			rec->id_j = JsonbValueToJsonb(v);
			rec->id = JsonbToCString(NULL, &rec->id_j->root, VARSIZE(rec->id_j));
			rec->id_len = strlen(rec->id);
		}
	}
	if (cv != NULL)
	{
		cv->id = rec->id;
		cv->id_len = rec->id_len;
	}
}

/* ---------------------------------------------------------------------------
 * Candidates
 * ---------------------------------------------------------------------------
 */

static inline char *
CandAttrsPtr(const Cand *c)
{
	return (char *) c + CAND_HDR;
}

static inline char *
CandValueJPtr(const Cand *c)
{
	return CandAttrsPtr(c) + MAXALIGN(c->attrs_len);
}

static inline char *
CandIdJPtr(const Cand *c)
{
	return CandValueJPtr(c) + MAXALIGN(c->value_jlen);
}

static inline char *
CandValuePtr(const Cand *c)
{
	return CandIdJPtr(c) + MAXALIGN(c->id_jlen);
}

static inline char *
CandSourcePtr(const Cand *c)
{
	return CandValuePtr(c) + c->value_len;
}

static inline char *
CandIdPtr(const Cand *c)
{
	return CandSourcePtr(c) + Max(c->source_len, 0);
}

/* The size of a block with parts of these lengths. */
static inline uint32
CandSize(int attrs_len, int value_jlen, int id_jlen, int value_len, int source_len, int id_len)
{
	return CAND_HDR + MAXALIGN(attrs_len) + MAXALIGN(value_jlen) + MAXALIGN(id_jlen) +
		value_len + Max(source_len, 0) + Max(id_len, 0);
}

/* A block seen for ranking. */
static void
ViewOfCand(const Cand *c, CandView *v)
{
	v->rank = &c->rank;
	v->value = CandValuePtr(c);
	v->value_len = c->value_len;
	v->source = CandSourcePtr(c);
	v->source_len = c->source_len;
	v->id = CandIdPtr(c);
	v->id_len = c->id_len;
}

/* Order two byte strings, a prefix first. */
static int
CompareBytes(const char *a, int alen, const char *b, int blen)
{
	int			d = memcmp(a, b, Min(alen, blen));

	if (d != 0)
		return d;
	return alen < blen ? -1 : alen > blen;
}

/* Order two records by source then id, a missing one after any. */
static int
CompareRecords(const CandView *a, const CandView *b)
{
	if (a->source_len < 0 || b->source_len < 0)
	{
		if ((a->source_len < 0) != (b->source_len < 0))
			return a->source_len < 0 ? 1 : -1;
	}
	else
	{
		int			d = CompareBytes(a->source, a->source_len, b->source, b->source_len);

		if (d != 0)
			return d;
	}
	if (a->id_len < 0 || b->id_len < 0)
		return (a->id_len < 0) == (b->id_len < 0) ? 0 : (a->id_len < 0 ? 1 : -1);
	return CompareBytes(a->id, a->id_len, b->id, b->id_len);
}

/* Does a beat b under the rule?  Ties: the smaller value, then the record. */
static bool
Beats(SurvivorRule rule, const CandView *a, const CandView *b)
{
	int			d = CompareSurvivors(rule, a->rank, b->rank);

	if (d != 0)
		return d > 0;
	d = CompareBytes(a->value, a->value_len, b->value, b->value_len);
	if (d != 0)
		return d < 0;
	return CompareRecords(a, b) < 0;
}

/* Is a's record the one to show for a value both hold: the later, then the smaller? */
static bool
ShownBefore(const CandView *a, const CandView *b)
{
	int			d = CompareAt(a->rank, b->rank);

	if (d != 0)
		return d > 0;
	return CompareRecords(a, b) < 0;
}

/* A block for a value of a record, in cxt. */
static Cand *
MakeCand(MemoryContext cxt, const SurvivorRank *rank, const char *value, int value_len,
		 const Jsonb *value_j, RecordInfo *rec, bool keep_attrs)
{
	int			attrs_len = keep_attrs ? VARSIZE(rec->attrs) : 0;
	int			value_jlen = value_j ? VARSIZE(value_j) : 0;
	int			id_jlen;
	uint32		size;
	Cand	   *c;

	RecordId(rec, NULL);
	id_jlen = rec->id_j ? VARSIZE(rec->id_j) : 0;
	size = CandSize(attrs_len, value_jlen, id_jlen, value_len, rec->source_len, rec->id_len);
	c = MemoryContextAlloc(cxt, size);
	c->size = size;
	c->value_len = value_len;
	c->value_jlen = value_jlen;
	c->source_len = rec->source_len;
	c->id_len = rec->id_len;
	c->id_jlen = id_jlen;
	c->attrs_len = attrs_len;
	c->hash = 0;
	c->rank = *rank;
	if (attrs_len > 0)
		memcpy(CandAttrsPtr(c), rec->attrs, attrs_len);
	if (value_jlen > 0)
		memcpy(CandValueJPtr(c), value_j, value_jlen);
	if (id_jlen > 0)
		memcpy(CandIdJPtr(c), rec->id_j, id_jlen);
	memcpy(CandValuePtr(c), value, value_len);
	if (rec->source_len > 0)
		memcpy(CandSourcePtr(c), rec->source, rec->source_len);
	if (rec->id_len > 0)
		memcpy(CandIdPtr(c), rec->id, rec->id_len);
	return c;
}

/* A copy of a block in cxt (blocks are flat). */
static Cand *
CopyCand(MemoryContext cxt, const Cand *c)
{
	Cand	   *copy = MemoryContextAlloc(cxt, c->size);

	memcpy(copy, c, c->size);
	return copy;
}

/* The value of a candidate as a JsonbValue to push. */
static void
CandJsonbValue(const Cand *c, JsonbValue *out)
{
	if (c->value_jlen == 0)
	{
		out->type = jbvString;
		out->val.string.val = CandValuePtr(c);
		out->val.string.len = c->value_len;
	}
	else
	{
		Jsonb	   *j = (Jsonb *) CandValueJPtr(c);

		if (JB_ROOT_IS_SCALAR(j))
			*out = *getIthJsonbValueFromContainer(&j->root, 0);
		else
		{
			out->type = jbvBinary;
			out->val.binary.data = &j->root;
			out->val.binary.len = VARSIZE(j) - VARHDRSZ;
		}
	}
}

/* ---------------------------------------------------------------------------
 * The state
 * ---------------------------------------------------------------------------
 */

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

/* An empty state under these rules. */
static GoldenState *
NewGoldenState(MemoryContext cxt, RulesEntry *re)
{
	GoldenState *st = MemoryContextAllocZero(cxt, sizeof(GoldenState));

	st->re = re;
	st->maxfields = 8;
	st->fields = MemoryContextAlloc(cxt, sizeof(FieldTrack) * st->maxfields);
	return st;
}

/* The track of a field in a state, created empty on first sight. */
static FieldTrack *
StateField(GoldenState *st, const FieldDesc *fd)
{
	FieldTrack *ft;

	for (int i = 0; i < st->nfields; i++)
		if (st->fields[i].desc == fd)
			return &st->fields[i];
	if (st->nfields == st->maxfields)
	{
		st->maxfields *= 2;
		st->fields = repalloc(st->fields, sizeof(FieldTrack) * st->maxfields);
	}
	ft = &st->fields[st->nfields++];
	memset(ft, 0, sizeof(FieldTrack));
	ft->desc = fd;
	return ft;
}

/* The track of the field of that name, or NULL. */
static FieldTrack *
StateFieldByName(GoldenState *st, const char *name)
{
	int			len = strlen(name);

	for (int i = 0; i < st->nfields; i++)
		if (st->fields[i].desc->len == len && memcmp(st->fields[i].desc->name, name, len) == 0)
			return &st->fields[i];
	return NULL;
}

/* Build the hash index of a field's distinct values anew, sized for their number. */
static void
FrequentIndex(FieldTrack *ft, MemoryContext cxt)
{
	int			nslots = 16;

	while (nslots < ft->n * 4)
		nslots *= 2;
	if (ft->slots != NULL)
		pfree(ft->slots);
	ft->slots = MemoryContextAllocZero(cxt, sizeof(int32) * nslots);
	ft->nslots = nslots;
	for (int i = 0; i < ft->n; i++)
	{
		uint32		s = ft->vals[i]->hash & (nslots - 1);

		while (ft->slots[s] != 0)
			s = (s + 1) & (nslots - 1);
		ft->slots[s] = i + 1;
	}
}

/* The distinct value equal to this text (its index), or -1. */
static int
FrequentFind(const FieldTrack *ft, const char *value, int len, uint32 hash)
{
	if (ft->slots == NULL)
	{
		for (int i = 0; i < ft->n; i++)
		{
			const Cand *c = ft->vals[i];

			if (c->hash == hash && c->value_len == len && memcmp(CandValuePtr(c), value, len) == 0)
				return i;
		}
		return -1;
	}
	for (uint32 s = hash & (ft->nslots - 1);; s = (s + 1) & (ft->nslots - 1))
	{
		const Cand *c;

		if (ft->slots[s] == 0)
			return -1;
		c = ft->vals[ft->slots[s] - 1];
		if (c->hash == hash && c->value_len == len && memcmp(CandValuePtr(c), value, len) == 0)
			return ft->slots[s] - 1;
	}
}

/* Add a new distinct value (a block already in the aggregate's context). */
static void
FrequentInsert(FieldTrack *ft, MemoryContext cxt, Cand *c)
{
	if (ft->n == ft->max)
	{
		ft->max = Max(4, ft->max * 2);
		ft->vals = ft->vals ? repalloc(ft->vals, sizeof(Cand *) * ft->max)
			: MemoryContextAlloc(cxt, sizeof(Cand *) * ft->max);
	}
	ft->vals[ft->n++] = c;
	if (ft->n > FREQUENT_LINEAR && (ft->slots == NULL || ft->n * 2 > ft->nslots))
		FrequentIndex(ft, cxt);
	else if (ft->slots != NULL)
	{
		uint32		s = c->hash & (ft->nslots - 1);

		while (ft->slots[s] != 0)
			s = (s + 1) & (ft->nslots - 1);
		ft->slots[s] = ft->n;
	}
}

/* The hash of a value's text, for the most frequent index. */
static uint32
ValueHash(const char *value, int len)
{
	return hash_bytes((const unsigned char *) value, len);
}

/*
 * Merge a candidate block into a field's track (combine, deserialize): the
 * block is copied if kept.
 */
static void
TrackMerge(FieldTrack *ft, MemoryContext cxt, const Cand *c)
{
	CandView	a,
				b;

	if (ft->desc->rule == SURVIVE_FREQUENT)
	{
		int			i = FrequentFind(ft, CandValuePtr(c), c->value_len, c->hash);
		Cand	   *mine;
		int64		count;

		if (i < 0)
		{
			FrequentInsert(ft, cxt, CopyCand(cxt, c));
			return;
		}
		mine = ft->vals[i];
		count = mine->rank.count + c->rank.count;
		ViewOfCand(c, &a);
		ViewOfCand(mine, &b);
		if (ShownBefore(&a, &b))
		{
			pfree(mine);
			mine = ft->vals[i] = CopyCand(cxt, c);
		}
		mine->rank.count = count;
		return;
	}
	if (ft->best != NULL)
	{
		ViewOfCand(c, &a);
		ViewOfCand(ft->best, &b);
		if (!Beats(ft->desc->rule, &a, &b))
			return;
		pfree(ft->best);
	}
	ft->best = CopyCand(cxt, c);
}

/* ---------------------------------------------------------------------------
 * The transition: one record
 * ---------------------------------------------------------------------------
 */

/* Offer a record's value of a field to the field's track. */
static void
OfferValue(GoldenState *st, MemoryContext cxt, GoldenCache *gc, FieldTrack *ft,
		   RecordInfo *rec, JsonbValue *v)
{
	const FieldDesc *fd = ft->desc;
	SurvivorRule rule = fd->rule;
	SurvivorRank rank;
	const char *value;
	int			value_len;
	Jsonb	   *value_j = NULL;
	bool		is_string = v->type == jbvString;
	CandView	cv;
	CandView	bv;

	if (is_string)
	{
		value = v->val.string.val;
		value_len = v->val.string.len;
	}
	else
	{
		value_j = JsonbValueToJsonb(v);
		value = JsonbToCString(NULL, &value_j->root, VARSIZE(value_j));
		value_len = strlen(value);
	}
	memset(&rank, 0, sizeof(rank));
	rank.count = 1;
	rank.tier = TIER_VALID;		/* for now: strings are checked when they could win */
	rank.at_null = rec->at_null;
	rank.at = rec->at;
	if (rule == SURVIVE_TRUSTED)
		rank.key = RecordTrust(st->re, gc->cxt, rec);
	else if (rule == SURVIVE_LONGEST || rule == SURVIVE_SHORTEST)
		rank.key = pg_mbstrlen_with_len(value, value_len);

	cv.rank = &rank;
	cv.value = value;
	cv.value_len = value_len;
	cv.source = rec->source;
	cv.source_len = rec->source_len;

	if (rule == SURVIVE_FREQUENT)
	{
		uint32		hash = ValueHash(value, value_len);
		int			i = FrequentFind(ft, value, value_len, hash);
		Cand	   *c;

		if (i >= 0)
		{
			Cand	   *mine = ft->vals[i];

			mine->rank.count++;
			ViewOfCand(mine, &bv);
			rank.count = mine->rank.count;
			/* the latest record holding the value represents it */
			if (CompareAt(&rank, &mine->rank) < 0)
				return;
			RecordId(rec, &cv);
			if (!ShownBefore(&cv, &bv))
				return;
			rank.tier = mine->rank.tier;
			c = MakeCand(cxt, &rank, value, value_len, value_j, rec, fd->grouped);
			c->hash = hash;
			pfree(mine);
			ft->vals[i] = c;
			return;
		}
		/* a new value: checked once; a placeholder is not kept */
		if (is_string)
			rank.tier = StringTier(value, value_len, &fd->kind, gc->ph);
		if (rank.tier == TIER_NONE)
			return;
		c = MakeCand(cxt, &rank, value, value_len, value_j, rec, fd->grouped);
		c->hash = hash;
		FrequentInsert(ft, cxt, c);
		return;
	}

	/*
	 * Against a valid best value, a value that would lose even if valid is
	 * dropped unchecked; ties are settled by the record, whose id is read
	 * only then.
	 */
	if (ft->best != NULL)
	{
		int			d;

		ViewOfCand(ft->best, &bv);
		d = CompareSurvivors(rule, &rank, bv.rank);
		if (d == 0)
			d = -CompareBytes(value, value_len, bv.value, bv.value_len);
		if (d == 0)
		{
			RecordId(rec, &cv);
			d = -CompareRecords(&cv, &bv);
		}
		if (d <= 0 && bv.rank->tier == TIER_VALID)
			return;
	}
	if (is_string)
		rank.tier = StringTier(value, value_len, &fd->kind, gc->ph);
	if (rank.tier == TIER_NONE)
		return;
	if (ft->best != NULL)
	{
		RecordId(rec, &cv);
		if (!Beats(rule, &cv, &bv))
			return;
		pfree(ft->best);
		ft->best = NULL;
	}
	ft->best = MakeCand(cxt, &rank, value, value_len, value_j, rec, fd->grouped);
}

/*
 * cu_golden_step(state, attrs jsonb, source text, at timestamptz [, rules
 * jsonb]): take in one record, field by field.
 */
PG_FUNCTION_INFO_V1(cu_golden_step);
Datum
cu_golden_step(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = GoldenContext(fcinfo);
	GoldenState *st = PG_ARGISNULL(0) ? NULL : (GoldenState *) PG_GETARG_POINTER(0);
	GoldenCache *gc;
	Jsonb	   *rules = NULL;
	RecordInfo	rec;
	JsonbIterator *it;
	JsonbValue	k;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	gc = GetGoldenCache(fcinfo, true);
	if (PG_NARGS() > 4 && !PG_ARGISNULL(4))
		rules = PG_GETARG_JSONB_P(4);
	if (st == NULL)
		st = NewGoldenState(cxt, FindRules(gc, rules));
	else if (!RulesAre(st->re, rules))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the rules of cu_golden must be the same for every record of a customer")));

	memset(&rec, 0, sizeof(rec));
	rec.attrs = PG_GETARG_JSONB_P(1);
	if (!JB_ROOT_IS_OBJECT(rec.attrs) || JB_ROOT_IS_SCALAR(rec.attrs))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the attributes of a record must be a JSON object")));
	if (PG_ARGISNULL(2))
		rec.source_len = -1;
	else
	{
		text	   *source = PG_GETARG_TEXT_PP(2);

		rec.source = VARDATA_ANY(source);
		rec.source_len = VARSIZE_ANY_EXHDR(source);
	}
	rec.at_null = PG_ARGISNULL(3);
	rec.at = rec.at_null ? 0 : PG_GETARG_TIMESTAMPTZ(3);
	st->records++;

	it = JsonbIteratorInit(&rec.attrs->root);
	while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		const FieldDesc *fd;
		FieldTrack *ft;

		if (tok != WJB_KEY)
			continue;
		tok = JsonbIteratorNext(&it, &v, true);
		if (k.val.string.len > 0 && k.val.string.val[0] == '_')
			continue;
		fd = InternField(st->re, gc->cxt, k.val.string.val, k.val.string.len);
		ft = StateField(st, fd);
		if (v.type != jbvNull)
			OfferValue(st, cxt, gc, ft, &rec, &v);
	}
	PG_RETURN_POINTER(st);
}

/* ---------------------------------------------------------------------------
 * Combine, serialize, deserialize
 * ---------------------------------------------------------------------------
 */

/* Merge every candidate of b into a. */
static void
MergeStates(GoldenState *a, MemoryContext cxt, MemoryContext cache_cxt, const GoldenState *b)
{
	if (!SameRules(a->re, b->re))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the rules of cu_golden must be the same for every record of a customer")));
	a->records += b->records;
	for (int f = 0; f < b->nfields; f++)
	{
		const FieldTrack *bt = &b->fields[f];
		const FieldDesc *fd = a->re == b->re ? bt->desc
			: InternField(a->re, cache_cxt, bt->desc->name, bt->desc->len);
		FieldTrack *at = StateField(a, fd);

		if (bt->best != NULL)
			TrackMerge(at, cxt, bt->best);
		for (int i = 0; i < bt->n; i++)
		{
			TrackMerge(at, cxt, bt->vals[i]);
			if ((i & 255) == 255)
				CHECK_FOR_INTERRUPTS();
		}
	}
}

/* cu_golden_combine(internal, internal): the candidates of both, merged. */
PG_FUNCTION_INFO_V1(cu_golden_combine);
Datum
cu_golden_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = GoldenContext(fcinfo);
	GoldenState *a = PG_ARGISNULL(0) ? NULL : (GoldenState *) PG_GETARG_POINTER(0);
	GoldenState *b = PG_ARGISNULL(1) ? NULL : (GoldenState *) PG_GETARG_POINTER(1);
	GoldenCache *gc;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	gc = GetGoldenCache(fcinfo, false);
	if (a == NULL)
		a = NewGoldenState(cxt, b->re);
	MergeStates(a, cxt, gc->cxt, b);
	PG_RETURN_POINTER(a);
}

/*
 * Serialized: the rules (a length, -1 for the defaults, then the Jsonb),
 * the number of records, then for each field its name, the number of its
 * candidates and each candidate's block as is.
 */
PG_FUNCTION_INFO_V1(cu_golden_serialize);
Datum
cu_golden_serialize(PG_FUNCTION_ARGS)
{
	GoldenState *st = (GoldenState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	if (st->re->rules == NULL)
		pq_sendint32(&buf, -1);
	else
	{
		pq_sendint32(&buf, VARSIZE(st->re->rules));
		pq_sendbytes(&buf, (const char *) st->re->rules, VARSIZE(st->re->rules));
	}
	pq_sendint64(&buf, st->records);
	pq_sendint32(&buf, st->nfields);
	for (int f = 0; f < st->nfields; f++)
	{
		const FieldTrack *ft = &st->fields[f];

		pq_sendint32(&buf, ft->desc->len);
		pq_sendbytes(&buf, ft->desc->name, ft->desc->len);
		if (ft->desc->rule == SURVIVE_FREQUENT)
		{
			pq_sendint32(&buf, ft->n);
			for (int i = 0; i < ft->n; i++)
				pq_sendbytes(&buf, (const char *) ft->vals[i], ft->vals[i]->size);
		}
		else
		{
			pq_sendint32(&buf, ft->best != NULL);
			if (ft->best != NULL)
				pq_sendbytes(&buf, (const char *) ft->best, ft->best->size);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* A serialized state that does not hold together. */
static void
BadState(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid golden record state")));
}

/* A Jsonb part of a received block: its length must be its own. */
static void
CheckJsonbPart(const char *p, int32 len)
{
	if (len == 0)
		return;
	if (len < (int32) VARHDRSZ || VARSIZE(p) != (uint32) len)
		BadState();
}

/*
 * Read one candidate block, checking that its parts fit it.  Blocks are
 * shipped as they lie in memory: between processes of one server (parallel
 * workers), which share the architecture.
 */
static Cand *
ReceiveCand(StringInfo buf, MemoryContext cxt, bool grouped)
{
	Cand		hdr;
	Cand	   *c;

	if (buf->len - buf->cursor < (int) CAND_HDR)
		BadState();
	memcpy(&hdr, buf->data + buf->cursor, sizeof(Cand));
	if (hdr.size < CAND_HDR || hdr.size > (uint32) (buf->len - buf->cursor) ||
		hdr.value_len < 0 || hdr.value_jlen < 0 || hdr.source_len < -1 || hdr.id_len < -1 ||
		hdr.id_jlen < 0 || hdr.attrs_len < 0 || hdr.value_len > (int32) hdr.size ||
		hdr.value_jlen > (int32) hdr.size || hdr.id_jlen > (int32) hdr.size ||
		hdr.attrs_len > (int32) hdr.size || hdr.source_len > (int32) hdr.size ||
		hdr.id_len > (int32) hdr.size ||
		(uint64) CAND_HDR + MAXALIGN(hdr.attrs_len) + MAXALIGN(hdr.value_jlen) + MAXALIGN(hdr.id_jlen) +
		hdr.value_len + Max(hdr.source_len, 0) + Max(hdr.id_len, 0) != hdr.size)
		BadState();
	c = MemoryContextAlloc(cxt, hdr.size);
	pq_copymsgbytes(buf, (char *) c, hdr.size);
	CheckJsonbPart(CandAttrsPtr(c), c->attrs_len);
	CheckJsonbPart(CandValueJPtr(c), c->value_jlen);
	CheckJsonbPart(CandIdJPtr(c), c->id_jlen);
	/* the fields of a group keep their record: the final function reads it */
	if (grouped != (c->attrs_len > 0))
		BadState();
	return c;
}

PG_FUNCTION_INFO_V1(cu_golden_deserialize);
Datum
cu_golden_deserialize(PG_FUNCTION_ARGS)
{
	/* the per-row context: the combine function copies what it keeps */
	MemoryContext cxt = CurrentMemoryContext;
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	GoldenCache *gc = GetGoldenCache(fcinfo, false);
	StringInfoData buf;
	GoldenState *st;
	Jsonb	   *rules = NULL;
	int32		len;
	int32		nfields;

	(void) GoldenContext(fcinfo);	/* only as an aggregate */
	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	len = pq_getmsgint(&buf, 4);
	if (len != -1)
	{
		if (len < (int32) VARHDRSZ || len > buf.len - buf.cursor)
			BadState();
		rules = palloc(len);
		pq_copymsgbytes(&buf, (char *) rules, len);
		if (VARSIZE(rules) != (uint32) len)
			BadState();
	}
	st = NewGoldenState(cxt, FindRules(gc, rules));
	st->records = pq_getmsgint64(&buf);
	nfields = pq_getmsgint(&buf, 4);
	if (nfields < 0 || st->records < 0)
		BadState();
	for (int f = 0; f < nfields; f++)
	{
		int32		namelen = pq_getmsgint(&buf, 4);
		const char *name;
		const FieldDesc *fd;
		FieldTrack *ft;
		int32		n;

		if (namelen < 0 || namelen > buf.len - buf.cursor)
			BadState();
		name = pq_getmsgbytes(&buf, namelen);
		fd = InternField(st->re, gc->cxt, name, namelen);
		ft = StateField(st, fd);
		n = pq_getmsgint(&buf, 4);
		if (n < 0 || (fd->rule != SURVIVE_FREQUENT && n > 1))
			BadState();
		for (int i = 0; i < n; i++)
		{
			Cand	   *c = ReceiveCand(&buf, cxt, fd->grouped);

			if (fd->rule == SURVIVE_FREQUENT)
			{
				c->hash = ValueHash(CandValuePtr(c), c->value_len);
				if (FrequentFind(ft, CandValuePtr(c), c->value_len, c->hash) >= 0)
					BadState();
				FrequentInsert(ft, cxt, c);
			}
			else
				ft->best = c;
			if ((i & 255) == 255)
				CHECK_FOR_INTERRUPTS();
		}
	}
	if (buf.cursor != buf.len)
		BadState();
	PG_RETURN_POINTER(st);
}

/* ---------------------------------------------------------------------------
 * The result
 * ---------------------------------------------------------------------------
 */

/* The winner of a field's track, or NULL. */
static const Cand *
TrackWinner(const FieldTrack *ft)
{
	const Cand *best = NULL;
	CandView	a,
				b;

	if (ft->desc->rule != SURVIVE_FREQUENT)
		return ft->best;
	for (int i = 0; i < ft->n; i++)
	{
		ViewOfCand(ft->vals[i], &a);
		if (best != NULL)
			ViewOfCand(best, &b);
		if (best == NULL || Beats(SURVIVE_FREQUENT, &a, &b))
			best = ft->vals[i];
		if ((i & 255) == 255)
			CHECK_FOR_INTERRUPTS();
	}
	return best;
}

typedef struct FieldResult
{
	const FieldDesc *desc;
	const Cand *win;			/* the value's record (a group's: the lead's) */
	JsonbValue	value;
	bool		has_value;
	SurvivorRule rule;
	const char *group;			/* the lead field of its group, or NULL */
	bool		done;
} FieldResult;

/* Push a JSON null as a value. */
static void
PushNull(JsonbParseState **ps)
{
	JsonbValue	v;

	v.type = jbvNull;
	pushJsonbValue(ps, WJB_VALUE, &v);
}

/* The lineage of a winning value: source, record id, time, rule. */
static void
PushLineage(JsonbParseState **ps, const FieldResult *fr)
{
	const Cand *c = fr->win;
	JsonbValue	v;

	pushJsonbValue(ps, WJB_BEGIN_OBJECT, NULL);
	PushJsonbString(ps, WJB_KEY, "source", 6);
	if (c->source_len < 0)
		PushNull(ps);
	else
		PushJsonbString(ps, WJB_VALUE, CandSourcePtr(c), c->source_len);
	PushJsonbString(ps, WJB_KEY, "record_id", 9);
	if (c->id_len < 0)
		PushNull(ps);
	else if (c->id_jlen == 0)
		PushJsonbString(ps, WJB_VALUE, CandIdPtr(c), c->id_len);
	else
	{
		Jsonb	   *j = (Jsonb *) CandIdJPtr(c);

		if (JB_ROOT_IS_SCALAR(j))
			pushJsonbValue(ps, WJB_VALUE, getIthJsonbValueFromContainer(&j->root, 0));
		else
		{
			v.type = jbvBinary;
			v.val.binary.data = &j->root;
			v.val.binary.len = VARSIZE(j) - VARHDRSZ;
			pushJsonbValue(ps, WJB_VALUE, &v);
		}
	}
	PushJsonbString(ps, WJB_KEY, "at", 2);
	if (c->rank.at_null)
		PushNull(ps);
	else
	{
		char	   *at = JsonEncodeDateTime(NULL, TimestampTzGetDatum(c->rank.at), TIMESTAMPTZOID, NULL);

		PushJsonbString(ps, WJB_VALUE, at, strlen(at));
	}
	PushJsonbString(ps, WJB_KEY, "rule", 4);
	PushJsonbString(ps, WJB_VALUE, rule_names[fr->rule], strlen(rule_names[fr->rule]));
	if (fr->rule == SURVIVE_FREQUENT)
	{
		PushJsonbString(ps, WJB_KEY, "records", 7);
		v.type = jbvNumeric;
		v.val.numeric = int64_to_numeric(c->rank.count);
		pushJsonbValue(ps, WJB_VALUE, &v);
	}
	if (fr->group != NULL)
	{
		PushJsonbString(ps, WJB_KEY, "with", 4);
		PushJsonbString(ps, WJB_VALUE, fr->group, strlen(fr->group));
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
	const GoldenRules *gr;
	FieldResult *fields;
	JsonbParseState *ps = NULL;
	JsonbValue *res;

	if (st == NULL || st->records == 0)
		PG_RETURN_NULL();
	gr = &st->re->gr;
	fields = palloc0(sizeof(FieldResult) * Max(st->nfields, 1));
	for (int f = 0; f < st->nfields; f++)
		fields[f].desc = st->fields[f].desc;

	/* groups first: their fields come from one record */
	for (int g = 0; g < gr->ngroups; g++)
	{
		const FieldDesc *lead = NULL;
		const Cand *win = NULL;

		for (int i = 0; i < gr->group_len[g] && win == NULL; i++)
		{
			FieldTrack *ft = StateFieldByName(st, gr->group[g][i]);

			if (ft != NULL && (win = TrackWinner(ft)) != NULL)
				lead = ft->desc;
		}
		if (win == NULL)
			continue;
		for (int i = 0; i < gr->group_len[g]; i++)
			for (int f = 0; f < st->nfields; f++)
			{
				FieldResult *fr = &fields[f];
				JsonbValue *v;

				if (fr->done || strcmp(fr->desc->name, gr->group[g][i]) != 0)
					continue;
				fr->done = true;
				fr->group = lead->name;
				fr->rule = lead->rule;
				v = getKeyJsonValueFromContainer(&((Jsonb *) CandAttrsPtr(win))->root,
												 fr->desc->name, fr->desc->len, &fr->value);
				if (v != NULL && v->type != jbvNull)
				{
					fr->win = win;
					fr->has_value = true;
				}
			}
	}
	for (int f = 0; f < st->nfields; f++)
	{
		FieldResult *fr = &fields[f];

		if (fr->done)
			continue;
		fr->rule = fr->desc->rule;
		fr->win = TrackWinner(&st->fields[f]);
		if (fr->win != NULL)
		{
			CandJsonbValue(fr->win, &fr->value);
			fr->has_value = true;
		}
	}

	pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	for (int f = 0; f < st->nfields; f++)
	{
		PushJsonbString(&ps, WJB_KEY, fields[f].desc->name, fields[f].desc->len);
		if (fields[f].has_value)
			pushJsonbValue(&ps, WJB_VALUE, &fields[f].value);
		else
			PushNull(&ps);
	}
	PushJsonbString(&ps, WJB_KEY, "_lineage", 8);
	pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	for (int f = 0; f < st->nfields; f++)
	{
		if (!fields[f].has_value)
			continue;
		PushJsonbString(&ps, WJB_KEY, fields[f].desc->name, fields[f].desc->len);
		PushLineage(&ps, &fields[f]);
	}
	pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	res = pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(res));
}
