/*
 * realtime.c
 *	  Real-time resolution: the trigger of a source whose rows are resolved
 *	  as they are written, in the writing transaction.
 *
 * A new row is normalised (the source's staging statement), staged into
 * cu_records, its candidates found through the GIN index of blocking keys
 * and scored by the model, all in one query; the row then joins the customer
 * it links to, merging the customers it links together (the older id
 * survives), or gets a new customer.  Every statement is a plan saved once
 * per backend: a row costs a handful of index lookups and inserts, not the
 * dozens of statements of an interpreted function.  The rare paths (merges,
 * decisions, the review queue, UPDATE and DELETE) call the SQL functions of
 * 74_realtime.sql.
 *
 * Concurrency: advisory transaction locks on stripes of the blocking keys
 * (class 1668641908, taken in ascending order) make a second record of the
 * same person wait until the first is committed, then find it; the
 * customers concerned are then held (class 1668641909, ascending) and read
 * again, since a concurrent merge may have moved their records meanwhile.
 * cu_lock_keys and cu_lock_customers take the same locks in SQL.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "customer_unify.h"

/* Advisory lock classes (first key of the int4 pair) and key stripes. */
#define KEY_LOCK_CLASS 1668641908
#define CUSTOMER_LOCK_CLASS 1668641909
#define KEY_STRIPES 4096

/* The column of cu_records holding a record's id in its source. */
#define RECORDS_RECORD_ID_ATTNO 3

/* The saved plans of one installation of the extension. */
typedef struct RealtimePlans
{
	Oid			nsp_oid;		/* the extension's schema */
	Oid			records_type;	/* row type of cu_records */
	char	   *nsp;			/* quoted schema name */
	SPIPlanPtr	source;			/* a real-time source's id and staging statement */
	SPIPlanPtr	insert;			/* stage a record, return its key and blocking keys */
	SPIPlanPtr	candidates;		/* scored candidates and decisions */
	SPIPlanPtr	reread;			/* the customers of records, again */
	SPIPlanPtr	map_insert;		/* the record joins its customer */
	SPIPlanPtr	compatible;		/* cu_customers_compatible */
	SPIPlanPtr	merge;			/* cu_merge_customers */
	SPIPlanPtr	queue;			/* cu_queue_for_review with the explanation */
	SPIPlanPtr	remove;			/* cu_realtime_remove */
	SPIPlanPtr	retire;			/* log a customer retired by an update */
	SPIPlanPtr	forgotten;		/* is a record one of a forgotten customer? */
} RealtimePlans;

/* The saved staging statement of a source (by relation oid). */
typedef struct StagePlan
{
	Oid			relid;			/* hash key */
	Oid			records_type;
	char	   *sql;			/* cu_realtime.stage_sql it was made from */
	SPIPlanPtr	plan;
} StagePlan;

/* A candidate of a new record, or a record a decision ties it to. */
typedef struct Candidate
{
	int64		record_key;		/* 0: a record known by a decision only */
	Oid			source;
	Datum		source_id;		/* text */
	int64		customer;		/* 0: its record left its customer meanwhile */
	bool		scored;
	double		weight;
	char		decision;		/* 0, 's'ame or 'd'ifferent */
} Candidate;

/* A customer the candidates belong to. */
typedef struct CustomerLink
{
	int64		customer;
	bool		scored;
	double		weight;			/* the strongest link to it */
	bool		same;			/* holds a record declared the same person */
	bool		different;		/* holds a record declared another person */
} CustomerLink;

static RealtimePlans *plans = NULL;
static HTAB *stage_plans = NULL;

/* Prepare and keep a statement of the extension. */
static SPIPlanPtr
SavePlan(const char *sql, int nargs, Oid *argtypes)
{
	/* generic plans: planning a custom one for each row would cost more than the row */
	SPIPlanPtr	plan = SPI_prepare_cursor(sql, nargs, argtypes, CURSOR_OPT_GENERIC_PLAN);

	if (plan == NULL)
		elog(ERROR, "customer_unify: cannot prepare \"%s\": %s", sql, SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "customer_unify: SPI_keepplan failed");
	return plan;
}

static void
FreePlans(RealtimePlans *p)
{
	SPIPlanPtr *all[] = {&p->source, &p->insert, &p->candidates, &p->reread, &p->map_insert,
	&p->compatible, &p->merge, &p->queue, &p->remove, &p->retire, &p->forgotten};

	for (size_t i = 0; i < lengthof(all); i++)
		if (*all[i] != NULL)
			SPI_freeplan(*all[i]);
	if (p->nsp)
		pfree(p->nsp);
	pfree(p);
}

/*
 * The plans of the installation the calling function belongs to, prepared
 * on first use (SPI connected).  Re-created with the extension, they are
 * made again: the key is the schema and the row type of cu_records.
 */
static RealtimePlans *
GetPlans(FunctionCallInfo fcinfo)
{
	Oid			nsp_oid = get_func_namespace(fcinfo->flinfo->fn_oid);
	Oid			records_rel = get_relname_relid("cu_records", nsp_oid);
	Oid			records_type = OidIsValid(records_rel) ? get_rel_type_id(records_rel) : InvalidOid;
	RealtimePlans *p;
	MemoryContext old;
	const char *n;
	Oid			t_source[] = {REGCLASSOID};
	Oid			t_insert[1];
	Oid			t_cand[] = {InvalidOid, INT8ARRAYOID, INT8OID, INT4OID, REGCLASSOID, TEXTOID, INT4OID};
	Oid			t_reread[] = {REGCLASSARRAYOID, TEXTARRAYOID};
	Oid			t_map[] = {REGCLASSOID, TEXTOID, INT8OID, FLOAT8OID};
	Oid			t_two[] = {INT8OID, INT8OID};
	Oid			t_merge[] = {INT8OID, INT8OID, REGCLASSOID, TEXTOID};
	Oid			t_queue[] = {REGCLASSOID, TEXTOID, REGCLASSOID, TEXTOID, FLOAT8OID, InvalidOid, INT8OID};
	Oid			t_remove[] = {INT4OID, TEXTOID, BOOLOID};
	Oid			t_retire[] = {INT8OID, REGCLASSOID, TEXTOID};
	Oid			t_forgotten[] = {INT4OID, TEXTOID};

	if (!OidIsValid(records_type))
		elog(ERROR, "customer_unify: table cu_records not found in the schema of the extension");
	if (plans != NULL && plans->nsp_oid == nsp_oid && plans->records_type == records_type)
		return plans;
	if (plans != NULL)
	{
		FreePlans(plans);
		plans = NULL;
	}

	old = MemoryContextSwitchTo(TopMemoryContext);
	p = palloc0(sizeof(RealtimePlans));
	p->nsp_oid = nsp_oid;
	p->records_type = records_type;
	p->nsp = pstrdup(quote_identifier(get_namespace_name(nsp_oid)));
	MemoryContextSwitchTo(old);
	n = p->nsp;
	t_insert[0] = records_type;
	t_cand[0] = records_type;
	t_queue[5] = records_type;

	PG_TRY();
	{
		p->source = SavePlan(psprintf(
			"SELECT r.source_id, r.stage_sql FROM %s.cu_realtime r JOIN %s.cu_sources s USING (source_id) "
			"WHERE s.source = $1", n, n), 1, t_source);
		p->insert = SavePlan(psprintf(
			"INSERT INTO %s.cu_records (source_id, record_id, given_name, surname, full_name, email, phone, "
			"birth_date, address, postcode, city, country, gender, national_id, extra) "
			"SELECT (x.r).source_id, (x.r).record_id, (x.r).given_name, (x.r).surname, (x.r).full_name, "
			"(x.r).email, (x.r).phone, (x.r).birth_date, (x.r).address, (x.r).postcode, (x.r).city, "
			"(x.r).country, (x.r).gender, (x.r).national_id, (x.r).extra FROM (SELECT $1 AS r) x "
			"RETURNING record_key, %s.cu_blocking_hashes(full_name, email, phone, birth_date, postcode, city)",
			n, n), 1, t_insert);
		/*
		 * Blocks of max_block_size records or more give no candidates, as in
		 * batch; of the others, the records sharing the most keys with the
		 * new one (then the most recent) are compared, realtime_candidates
		 * at most.
		 */
		p->candidates = SavePlan(psprintf(
			"SELECT r.record_key, s.source, r.record_id, m.customer_id, %s.cu_match_weight($1, r), NULL::text "
			"FROM (SELECT b.record_key "
			"      FROM (SELECT DISTINCT k FROM unnest($2) AS k) h "
			"      CROSS JOIN LATERAL (SELECT array_agg(x.record_key) AS ks "
			"                          FROM (SELECT r.record_key FROM %s.cu_records r "
			"                                WHERE %s.cu_blocking_hashes(r.full_name, r.email, r.phone, r.birth_date, "
			"                                                            r.postcode, r.city) @> ARRAY[h.k] "
			"                                  AND r.record_key <> $3 LIMIT $4) x) blk "
			"      CROSS JOIN LATERAL unnest(blk.ks) AS b(record_key) "
			"      WHERE cardinality(blk.ks) < $4 "
			"      GROUP BY b.record_key ORDER BY count(*) DESC, b.record_key DESC LIMIT $7) c "
			"JOIN %s.cu_records r ON r.record_key = c.record_key "
			"JOIN %s.cu_sources s ON s.source_id = r.source_id "
			"JOIN %s.cu_identity_map m ON m.source = s.source AND m.source_id = r.record_id "
			"UNION ALL "
			"SELECT NULL, m.source, m.source_id, m.customer_id, NULL, d.decision "
			"FROM %s.cu_decisions d JOIN %s.cu_identity_map m ON m.source = d.source_b AND m.source_id = d.id_b "
			"WHERE d.source_a = $5 AND d.id_a = $6 "
			"UNION ALL "
			"SELECT NULL, m.source, m.source_id, m.customer_id, NULL, d.decision "
			"FROM %s.cu_decisions d JOIN %s.cu_identity_map m ON m.source = d.source_a AND m.source_id = d.id_a "
			"WHERE d.source_b = $5 AND d.id_b = $6",
			n, n, n, n, n, n, n, n, n, n), 7, t_cand);
		p->reread = SavePlan(psprintf(
			"SELECT x.i::int, m.customer_id FROM unnest($1, $2) WITH ORDINALITY AS x(source, id, i) "
			"LEFT JOIN %s.cu_identity_map m ON m.source = x.source AND m.source_id = x.id", n), 2, t_reread);
		p->map_insert = SavePlan(psprintf(
			"INSERT INTO %s.cu_identity_map (source, source_id, customer_id, match_probability, resolved_at) "
			"VALUES ($1, $2, coalesce($3, nextval(%s::regclass)), $4, now()) RETURNING customer_id",
			n, quote_literal_cstr(psprintf("%s.cu_customer_id_seq", n))), 4, t_map);
		p->compatible = SavePlan(psprintf("SELECT %s.cu_customers_compatible($1, $2)", n), 2, t_two);
		p->merge = SavePlan(psprintf(
			"SELECT %s.cu_merge_customers($1, $2, jsonb_build_object('realtime', true, 'source', $3, "
			"'source_id', $4))", n), 4, t_merge);
		p->queue = SavePlan(psprintf(
			"SELECT %s.cu_queue_for_review($1, $2, $3, $4, $5, %s.cu_explain_records($6, r)) "
			"FROM %s.cu_records r WHERE r.record_key = $7", n, n, n), 7, t_queue);
		p->remove = SavePlan(psprintf(
			"SELECT customer_id, emptied FROM %s.cu_realtime_remove($1, $2, $3)", n), 3, t_remove);
		p->retire = SavePlan(psprintf(
			"INSERT INTO %s.cu_merge_log (action, customer_id, records, detail) "
			"SELECT 'retire', $1, 1, jsonb_build_object('realtime', true, 'source', $2, 'source_id', $3) "
			"WHERE NOT EXISTS (SELECT 1 FROM %s.cu_identity_map m WHERE m.customer_id = $1)", n, n), 3, t_retire);
		p->forgotten = SavePlan(psprintf(
			"SELECT 1 FROM %s.cu_forgotten f WHERE f.source_id = $1 AND f.record_id = $2", n), 2, t_forgotten);
	}
	PG_CATCH();
	{
		FreePlans(p);
		PG_RE_THROW();
	}
	PG_END_TRY();
	plans = p;
	return p;
}

/*
 * The saved statement that normalises a row of a source into a cu_records
 * row, made again when cu_realtime's statement changes.
 */
static SPIPlanPtr
GetStagePlan(Oid relid, const char *stage_sql)
{
	StagePlan  *sp;
	bool		found;
	Oid			argtype = get_rel_type_id(relid);

	if (stage_plans == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(StagePlan);
		ctl.hcxt = TopMemoryContext;
		stage_plans = hash_create("customer_unify staging plans", 16, &ctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	sp = hash_search(stage_plans, &relid, HASH_ENTER, &found);
	if (found && sp->records_type == plans->records_type && strcmp(sp->sql, stage_sql) == 0)
		return sp->plan;
	if (found)
	{
		if (sp->plan)
			SPI_freeplan(sp->plan);
		if (sp->sql)
			pfree(sp->sql);
	}
	sp->plan = NULL;
	sp->sql = NULL;
	sp->records_type = plans->records_type;
	sp->plan = SavePlan(psprintf("SELECT ROW(q.*)::%s.cu_records FROM (%s) q", plans->nsp, stage_sql),
						1, &argtype);
	sp->sql = MemoryContextStrdup(TopMemoryContext, stage_sql);
	return sp->plan;
}

/* Run a saved plan, failing on any SPI error. */
static void
Execute(SPIPlanPtr plan, Datum *values, const char *nulls, long count)
{
	int			rc = SPI_execute_plan(plan, values, nulls, false, count);

	if (rc < 0)
		elog(ERROR, "customer_unify: real-time statement failed: %s", SPI_result_code_string(rc));
}

/* A column of the first row of the last result. */
static Datum
ResultValue(int row, int col, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, isnull);
}

/* A source row as a cu_records row (record_key NULL), in the current context. */
static Datum
StageRow(SPIPlanPtr stage, HeapTuple tuple, TupleDesc desc, Oid relid)
{
	Datum		arg = heap_copy_tuple_as_datum(tuple, desc);
	bool		isnull;
	Datum		rec;

	Execute(stage, &arg, NULL, 2);
	if (SPI_processed != 1)
		elog(ERROR, "customer_unify: the staging statement of %s returned " UINT64_FORMAT " rows",
			 get_rel_name(relid), SPI_processed);
	rec = ResultValue(0, 1, &isnull);
	if (isnull)
		elog(ERROR, "customer_unify: the staging statement of %s returned NULL", get_rel_name(relid));
	(void) GetAttributeByNum(DatumGetHeapTupleHeader(rec), RECORDS_RECORD_ID_ATTNO, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("a row of source %s has no id", get_rel_name(relid))));
	return datumCopy(rec, false, -1);
}

static bool
TextEqual(Datum a, Datum b)
{
	text	   *x = DatumGetTextPP(a);
	text	   *y = DatumGetTextPP(b);

	return VARSIZE_ANY_EXHDR(x) == VARSIZE_ANY_EXHDR(y) &&
		memcmp(VARDATA_ANY(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(x)) == 0;
}

/* Take an advisory transaction lock (an int4 pair, as pg_advisory_xact_lock). */
static bool
AdvisoryLock(int32 class, int32 key, bool wait)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) class, (uint32) key, 2);
	return LockAcquire(&tag, ExclusiveLock, false, !wait) != LOCKACQUIRE_NOT_AVAIL;
}

static void
AdvisoryUnlock(int32 class, int32 key)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) class, (uint32) key, 2);
	LockRelease(&tag, ExclusiveLock, false);
}

static int
Int32Cmp(const void *x, const void *y)
{
	int32		a = *(const int32 *) x;
	int32		b = *(const int32 *) y;

	return a < b ? -1 : a > b;
}

/*
 * Lock the key stripes of a record in ascending order.  Under REPEATABLE
 * READ or SERIALIZABLE the snapshot cannot see what the transaction waited
 * for: a wait there is a serialization failure, for the application to retry.
 */
static void
LockKeys(ArrayType *keys)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int32	   *stripes;
	int			ns = 0;
	bool		waited = false;

	deconstruct_array(keys, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
	stripes = palloc(sizeof(int32) * Max(n, 1));
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			stripes[ns++] = (int32) (DatumGetInt64(elems[i]) & (KEY_STRIPES - 1));
	qsort(stripes, ns, sizeof(int32), Int32Cmp);
	for (int i = 0; i < ns; i++)
	{
		if (i > 0 && stripes[i] == stripes[i - 1])
			continue;
		if (!AdvisoryLock(KEY_LOCK_CLASS, stripes[i], false))
		{
			waited = true;
			AdvisoryLock(KEY_LOCK_CLASS, stripes[i], true);
		}
	}
	if (waited && IsolationUsesXactSnapshot())
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("a concurrent transaction was resolving a record of the same person"),
				 errhint("Retry the transaction; real-time resolution waits for it under READ COMMITTED.")));
}

/* The advisory lock key of a customer, as cu_lock_customers computes it. */
static int32
CustomerLockKey(int64 customer)
{
	return (int32) (customer % 2147483647);
}

/* Sorted distinct lock keys of the customers of the candidates. */
static int
CustomerLockKeys(Candidate *cand, int n, int32 *out)
{
	int			k = 0;
	int			m = 0;

	for (int i = 0; i < n; i++)
		if (cand[i].customer != 0)
			out[k++] = CustomerLockKey(cand[i].customer);
	qsort(out, k, sizeof(int32), Int32Cmp);
	for (int i = 0; i < k; i++)
		if (m == 0 || out[m - 1] != out[i])
			out[m++] = out[i];
	return m;
}

/*
 * Hold the customers of the candidates, in ascending order, then read their
 * customers again: a concurrent merge may have moved them while this
 * transaction waited.  When the set read is not the set held, the locks
 * taken are given back (one must never wait for a lower key while holding a
 * higher one) and taken again for the new set.
 */
static void
HoldCustomers(Candidate *cand, int n)
{
	int32	   *held = palloc(sizeof(int32) * n);
	int32	   *now = palloc(sizeof(int32) * n);
	Datum	   *srcs = palloc(sizeof(Datum) * n);
	Datum	   *ids = palloc(sizeof(Datum) * n);
	Datum		args[2];

	for (int i = 0; i < n; i++)
	{
		srcs[i] = ObjectIdGetDatum(cand[i].source);
		ids[i] = cand[i].source_id;
	}
	args[0] = PointerGetDatum(construct_array(srcs, n, REGCLASSOID, 4, true, TYPALIGN_INT));
	args[1] = PointerGetDatum(construct_array(ids, n, TEXTOID, -1, false, TYPALIGN_INT));

	for (;;)
	{
		int			nheld = CustomerLockKeys(cand, n, held);
		int			nnow;
		bool		same = true;

		for (int i = 0; i < nheld; i++)
			AdvisoryLock(CUSTOMER_LOCK_CLASS, held[i], true);
		Execute(plans->reread, args, NULL, 0);
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			bool		isnull;
			int			i = DatumGetInt32(ResultValue(r, 1, &isnull)) - 1;
			Datum		c = ResultValue(r, 2, &isnull);

			cand[i].customer = isnull ? 0 : DatumGetInt64(c);
		}
		nnow = CustomerLockKeys(cand, n, now);
		for (int i = 0; i < nnow && same; i++)
			same = bsearch(&now[i], held, nheld, sizeof(int32), Int32Cmp) != NULL;
		if (same)
			break;
		for (int i = 0; i < nheld; i++)
			AdvisoryUnlock(CUSTOMER_LOCK_CLASS, held[i]);
		CHECK_FOR_INTERRUPTS();
	}
}

/* Strongest link first; a customer declared the same person before all. */
static int
CustomerLinkCmp(const void *x, const void *y)
{
	const CustomerLink *a = (const CustomerLink *) x;
	const CustomerLink *b = (const CustomerLink *) y;

	if (a->same != b->same)
		return a->same ? -1 : 1;
	if (a->scored != b->scored)
		return a->scored ? 1 : -1;	/* no weight first, as NULLs in a descending order */
	if (a->scored && a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return a->customer < b->customer ? -1 : a->customer > b->customer;
}

static int
CandidateCustomerCmp(const void *x, const void *y)
{
	int64		a = ((const Candidate *) x)->customer;
	int64		b = ((const Candidate *) y)->customer;

	return a < b ? -1 : a > b;
}

/* Bits of log odds of a probability. */
static double
ProbabilityWeight(double p)
{
	return log2(p / (1.0 - p));
}

/*
 * Resolve one staged record (a cu_records row without its key) of a source:
 * stage it, find and score its candidates, join the customers it links to
 * (merging several, unless a decision forbids), queue doubtful pairs.
 * reuse_id: the customer id to keep when the record ends up alone (0: a new
 * one).  Returns its customer id.
 */
static int64
RealtimeAdd(int32 src_id, Oid src, Datum rec, int64 reuse_id)
{
	double		link_w = ProbabilityWeight(match_threshold);
	double		review_w = ProbabilityWeight(review_threshold);
	Datum		record_id;
	Datum		args[7];
	char		nulls[7];
	bool		isnull;
	int64		self;
	Candidate  *cand;
	int			n = 0;
	CustomerLink *links;
	int			nlinks = 0;
	int64		cust = 0;
	double		prob = 0;
	bool		linked = false;

	record_id = GetAttributeByNum(DatumGetHeapTupleHeader(rec), RECORDS_RECORD_ID_ATTNO, &isnull);

	/* stage it (the unique key of cu_records refuses a duplicate id) */
	args[0] = rec;
	Execute(plans->insert, args, NULL, 1);
	self = DatumGetInt64(ResultValue(0, 1, &isnull));
	{
		Datum		keys = ResultValue(0, 2, &isnull);

		/* the blocking keys, locked, then searched */
		args[1] = isnull ? PointerGetDatum(construct_empty_array(INT8OID)) : datumCopy(keys, false, -1);
	}
	LockKeys(DatumGetArrayTypeP(args[1]));

	args[2] = Int64GetDatum(self);
	args[3] = Int32GetDatum(max_block_size);
	args[4] = ObjectIdGetDatum(src);
	args[5] = record_id;
	args[6] = Int32GetDatum(realtime_candidates);
	Execute(plans->candidates, args, NULL, 0);
	cand = palloc(sizeof(Candidate) * Max(SPI_processed, 1));
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		Candidate  *c = &cand[n++];
		Datum		v;

		v = ResultValue(r, 1, &isnull);
		c->record_key = isnull ? 0 : DatumGetInt64(v);
		c->source = DatumGetObjectId(ResultValue(r, 2, &isnull));
		c->source_id = datumCopy(ResultValue(r, 3, &isnull), false, -1);
		c->customer = DatumGetInt64(ResultValue(r, 4, &isnull));
		v = ResultValue(r, 5, &isnull);
		c->scored = !isnull;
		c->weight = isnull ? 0 : DatumGetFloat8(v);
		v = ResultValue(r, 6, &isnull);
		c->decision = isnull ? 0 : TextDatumGetCString(v)[0];
	}
	/* a decision about a candidate is the candidate's */
	for (int i = 0; i < n; i++)
		if (cand[i].decision != 0)
			for (int j = 0; j < n; j++)
				if (cand[j].record_key != 0 && cand[j].source == cand[i].source &&
					TextEqual(cand[j].source_id, cand[i].source_id))
					cand[j].decision = cand[i].decision;

	if (n > 0)
		HoldCustomers(cand, n);

	/* the customers linked, strongest first */
	qsort(cand, n, sizeof(Candidate), CandidateCustomerCmp);
	links = palloc(sizeof(CustomerLink) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		CustomerLink *l;

		if (cand[i].customer == 0)
			continue;			/* deleted meanwhile */
		if (nlinks == 0 || links[nlinks - 1].customer != cand[i].customer)
		{
			l = &links[nlinks++];
			memset(l, 0, sizeof(CustomerLink));
			l->customer = cand[i].customer;
		}
		l = &links[nlinks - 1];
		if (cand[i].scored && (!l->scored || cand[i].weight > l->weight))
		{
			l->scored = true;
			l->weight = cand[i].weight;
		}
		l->same |= cand[i].decision == 's';
		l->different |= cand[i].decision == 'd';
	}
	qsort(links, nlinks, sizeof(CustomerLink), CustomerLinkCmp);
	for (int i = 0; i < nlinks; i++)
	{
		CustomerLink *l = &links[i];
		int64		lo,
					hi;

		if (l->different || !(l->same || (l->scored && l->weight >= link_w)))
			continue;
		if (!linked)
		{
			linked = true;
			cust = l->customer;
			prob = 1.0 / (1.0 + pow(2.0, -Min(l->scored ? l->weight : 1000.0, 1000.0)));
			continue;
		}
		lo = Min(cust, l->customer);
		hi = Max(cust, l->customer);
		args[0] = Int64GetDatum(lo);
		args[1] = Int64GetDatum(hi);
		Execute(plans->compatible, args, NULL, 1);
		if (!DatumGetBool(ResultValue(0, 1, &isnull)))
			continue;
		/* the record links two customers: the older id survives */
		args[2] = ObjectIdGetDatum(src);
		args[3] = record_id;
		Execute(plans->merge, args, NULL, 1);
		cust = lo;
		for (int j = 0; j < n; j++)
			if (cand[j].customer == hi || cand[j].customer == lo)
				cand[j].customer = lo;
	}

	args[0] = ObjectIdGetDatum(src);
	args[1] = record_id;
	args[2] = Int64GetDatum(linked ? cust : reuse_id);
	args[3] = Float8GetDatum(prob);
	nulls[0] = nulls[1] = ' ';
	nulls[2] = (linked || reuse_id != 0) ? ' ' : 'n';
	nulls[3] = linked ? ' ' : 'n';
	Execute(plans->map_insert, args, nulls, 1);
	cust = DatumGetInt64(ResultValue(0, 1, &isnull));

	/* doubtful pairs left apart wait for a person */
	for (int i = 0; i < n; i++)
	{
		Candidate  *c = &cand[i];

		if (c->record_key == 0 || !c->scored || c->weight < review_w || c->decision != 0 ||
			c->customer == 0 || c->customer == cust)
			continue;
		args[0] = ObjectIdGetDatum(src);
		args[1] = record_id;
		args[2] = ObjectIdGetDatum(c->source);
		args[3] = c->source_id;
		args[4] = Float8GetDatum(1.0 / (1.0 + pow(2.0, -c->weight)));
		args[5] = rec;
		args[6] = Int64GetDatum(c->record_key);
		Execute(plans->queue, args, NULL, 0);
	}
	return cust;
}

/* Connect to SPI, with the settings every real-time statement runs under. */
static int
BeginRealtime(void)
{
	int			nest;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	nest = NewGUCNestLevel();
	/* names resolved in the catalog only: safe from a hostile search_path */
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	/*
	 * The candidate search reads a few entries of the GIN index; without it a
	 * generic plan may read cu_records from the start hoping to meet a
	 * block's records early.
	 */
	(void) set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	/* which would make a seq scan forced this way worth compiling: never for one row */
	(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	return nest;
}

static void
EndRealtime(int nest)
{
	AtEOXact_GUC(true, nest);
	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "SPI_finish failed");
}

/*
 * cu_realtime_trigger(): the AFTER ROW trigger of a real-time source.  INSERT
 * resolves the new row; UPDATE re-resolves a row whose identity changed (an
 * alone row keeps its customer id; a forgotten customer's row is left out);
 * DELETE takes the row out of its customer
 * (a customer left with no record is retired, logged).
 */
PG_FUNCTION_INFO_V1(cu_realtime_trigger);
Datum
cu_realtime_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	rel;
	Oid			relid;
	int			nest;
	Datum		arg;
	bool		isnull;
	int32		src_id;
	SPIPlanPtr	stage;
	Datum		new_rec = (Datum) 0;
	Datum		old_rec = (Datum) 0;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("cu_realtime_trigger must be fired AFTER each row"),
				 errhint("Use cu_enable_realtime(source) to install it.")));
	rel = td->tg_relation;
	relid = RelationGetRelid(rel);

	nest = BeginRealtime();
	GetPlans(fcinfo);
	arg = ObjectIdGetDatum(relid);
	Execute(plans->source, &arg, NULL, 1);
	if (SPI_processed == 0)
	{
		/* a trigger left over from a source no longer registered */
		EndRealtime(nest);
		return PointerGetDatum(NULL);
	}
	src_id = DatumGetInt32(ResultValue(0, 1, &isnull));
	stage = GetStagePlan(relid, TextDatumGetCString(ResultValue(0, 2, &isnull)));

	if (TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		new_rec = StageRow(stage, TRIGGER_FIRED_BY_INSERT(td->tg_event) ? td->tg_trigtuple : td->tg_newtuple,
						   RelationGetDescr(rel), relid);
	if (!TRIGGER_FIRED_BY_INSERT(td->tg_event))
		old_rec = StageRow(stage, td->tg_trigtuple, RelationGetDescr(rel), relid);

	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		RealtimeAdd(src_id, relid, new_rec, 0);
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		Datum		args[3];
		int64		customer = 0;
		bool		emptied = false;
		Datum		old_id = GetAttributeByNum(DatumGetHeapTupleHeader(old_rec), RECORDS_RECORD_ID_ATTNO, &isnull);

		/* no attribute of the identity changed: nothing to do */
		if (VARSIZE(DatumGetPointer(old_rec)) == VARSIZE(DatumGetPointer(new_rec)) &&
			memcmp(DatumGetPointer(old_rec), DatumGetPointer(new_rec), VARSIZE(DatumGetPointer(old_rec))) == 0)
		{
			EndRealtime(nest);
			return PointerGetDatum(NULL);
		}
		/* the masked row of a forgotten customer (cu_forget) never comes back */
		args[0] = Int32GetDatum(src_id);
		args[1] = old_id;
		Execute(plans->forgotten, args, NULL, 1);
		if (SPI_processed > 0)
		{
			EndRealtime(nest);
			return PointerGetDatum(NULL);
		}
		args[0] = Int32GetDatum(src_id);
		args[1] = old_id;
		args[2] = BoolGetDatum(true);
		Execute(plans->remove, args, NULL, 1);
		if (SPI_processed == 1)
		{
			Datum		c = ResultValue(0, 1, &isnull);

			if (!isnull)
				customer = DatumGetInt64(c);
			emptied = DatumGetBool(ResultValue(0, 2, &isnull)) && !isnull;
		}
		RealtimeAdd(src_id, relid, new_rec, emptied ? customer : 0);
		if (emptied)
		{
			args[0] = Int64GetDatum(customer);
			args[1] = ObjectIdGetDatum(relid);
			args[2] = old_id;
			Execute(plans->retire, args, NULL, 0);
		}
	}
	else
	{
		Datum		args[3];

		args[0] = Int32GetDatum(src_id);
		args[1] = GetAttributeByNum(DatumGetHeapTupleHeader(old_rec), RECORDS_RECORD_ID_ATTNO, &isnull);
		args[2] = BoolGetDatum(false);
		Execute(plans->remove, args, NULL, 1);
	}
	EndRealtime(nest);
	return PointerGetDatum(NULL);
}
