/*
 * block_pairs.c
 *	  cu_block_pairs: the candidate pairs of a set of blocks, each pair once,
 *	  with the rules that found it.
 *
 * Records sharing a blocking key form a block; every two records of a block
 * are a candidate pair.  A pair of records sharing several keys (the same
 * e-mail and the same name in the same town) sits in several blocks, and
 * training needs to know every rule that found it.  In SQL this is a self
 * join of the keys followed by a GROUP BY over tens of millions of rows,
 * which spills to disk; here the keys are held in memory twice, by record
 * and by block, and a pair is emitted from the first block (in key order)
 * its two records share, with the rules of all the keys they share.
 *
 * Memory: about 24 bytes per key and 12 per record (a million records with
 * four keys each: about 110 MB), freed at the end; the pairs go to a
 * tuplestore, which spills to disk beyond work_mem.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

/* Rows fetched from the key query at a time. */
#define BLOCK_PAIRS_FETCH 10000

/* The rule of a key hash: its top 6 bits (see cu_blocking_hashes). */
#define KEY_RULE(h) ((int) ((uint64) (h) >> 58))

/* A key of a record, as read. */
typedef struct KeyEntry
{
	int64		h;
	int64		record_key;
} KeyEntry;

/* A member of a block: the key and the record's dense index. */
typedef struct BlockEntry
{
	int64		h;
	int32		ridx;
} BlockEntry;

static int
KeyEntryCmp(const void *x, const void *y)
{
	const KeyEntry *a = (const KeyEntry *) x;
	const KeyEntry *b = (const KeyEntry *) y;

	if (a->record_key != b->record_key)
		return a->record_key < b->record_key ? -1 : 1;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return 0;
}

static int
BlockEntryCmp(const void *x, const void *y)
{
	const BlockEntry *a = (const BlockEntry *) x;
	const BlockEntry *b = (const BlockEntry *) y;

	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	if (a->ridx != b->ridx)
		return a->ridx < b->ridx ? -1 : 1;
	return 0;
}

/* The schema-qualified, quoted name of a relation. */
static char *
QualifiedRelationName(Oid rel)
{
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(rel)), get_rel_name(rel));
}

/* Read every (record_key, h) of the query into one array. */
static KeyEntry *
ReadKeys(const char *query, Size *nkeys)
{
	Size		cap = 1024;
	Size		n = 0;
	KeyEntry   *keys = palloc(sizeof(KeyEntry) * cap);
	SPIPlanPtr	plan;
	Portal		portal;

	plan = SPI_prepare(query, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", query, SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, BLOCK_PAIRS_FETCH);
		if (SPI_processed == 0)
			break;
		if (SPI_tuptable->tupdesc->natts != 2 ||
			TupleDescAttr(SPI_tuptable->tupdesc, 0)->atttypid != INT8OID ||
			TupleDescAttr(SPI_tuptable->tupdesc, 1)->atttypid != INT8OID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("the blocking keys must be two bigint columns (record_key, h)")));
		if (n + SPI_processed > cap)
		{
			while (n + SPI_processed > cap)
				cap *= 2;
			keys = repalloc_huge(keys, sizeof(KeyEntry) * cap);
		}
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = SPI_tuptable->vals[r];
			bool		nk,
						nh;
			int64		k = DatumGetInt64(SPI_getbinval(tup, SPI_tuptable->tupdesc, 1, &nk));
			int64		h = DatumGetInt64(SPI_getbinval(tup, SPI_tuptable->tupdesc, 2, &nh));

			if (nk || nh)
				continue;
			keys[n].record_key = k;
			keys[n].h = h;
			n++;
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	*nkeys = n;
	return keys;
}

/*
 * cu_block_pairs(keys regclass, admitted regclass): the pairs (a < b) of
 * records sharing an admitted key, each once, with the bitmask of the rules
 * of all the keys they share.  keys holds (record_key, h); admitted holds
 * (h, admitted boolean).
 */
PG_FUNCTION_INFO_V1(cu_block_pairs);
Datum
cu_block_pairs(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			keys_rel = PG_GETARG_OID(0);
	Oid			admitted_rel = PG_GETARG_OID(1);
	char	   *query;
	KeyEntry   *keys;
	Size		nkeys;
	int64	   *rec_key;		/* record key of each dense index */
	Size	   *rec_start;		/* its keys: rec_h[rec_start[i] .. rec_start[i + 1]) */
	int64	   *rec_h;
	BlockEntry *blocks;
	Size		nrec = 0;

	InitMaterializedSRF(fcinfo, 0);

	if (get_rel_name(keys_rel) == NULL || get_rel_name(admitted_rel) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("the tables of blocking keys do not exist")));
	query = psprintf("SELECT k.record_key, k.h FROM %s k JOIN %s b ON b.h = k.h AND b.admitted",
					 QualifiedRelationName(keys_rel), QualifiedRelationName(admitted_rel));

	/* the work arrays live in SPI's context, freed by SPI_finish */
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	keys = ReadKeys(query, &nkeys);

	/* by record: dense indexes, and each record's keys in ascending order, once */
	qsort(keys, nkeys, sizeof(KeyEntry), KeyEntryCmp);
	{
		Size		kept = 0;

		for (Size i = 0; i < nkeys; i++)
			if (kept == 0 || KeyEntryCmp(&keys[i], &keys[kept - 1]) != 0)
				keys[kept++] = keys[i];
		nkeys = kept;
	}
	for (Size i = 0; i < nkeys; i++)
		if (i == 0 || keys[i].record_key != keys[i - 1].record_key)
			nrec++;
	rec_key = palloc_extended(sizeof(int64) * Max(nrec, 1), MCXT_ALLOC_HUGE);
	rec_start = palloc_extended(sizeof(Size) * (nrec + 1), MCXT_ALLOC_HUGE);
	rec_h = palloc_extended(sizeof(int64) * Max(nkeys, 1), MCXT_ALLOC_HUGE);
	blocks = palloc_extended(sizeof(BlockEntry) * Max(nkeys, 1), MCXT_ALLOC_HUGE);
	{
		Size		r = 0;

		for (Size i = 0; i < nkeys; i++)
		{
			if (i == 0 || keys[i].record_key != keys[i - 1].record_key)
			{
				rec_key[r] = keys[i].record_key;
				rec_start[r] = i;
				r++;
			}
			rec_h[i] = keys[i].h;
			blocks[i].h = keys[i].h;
			blocks[i].ridx = (int32) (r - 1);
		}
		rec_start[nrec] = nkeys;
	}
	pfree(keys);

	/* by block, then every pair of each block */
	qsort(blocks, nkeys, sizeof(BlockEntry), BlockEntryCmp);
	for (Size start = 0; start < nkeys;)
	{
		Size		end = start + 1;
		int64		h = blocks[start].h;

		while (end < nkeys && blocks[end].h == h)
			end++;
		CHECK_FOR_INTERRUPTS();
		for (Size i = start; i < end; i++)
		{
			int32		x = blocks[i].ridx;

			for (Size j = i + 1; j < end; j++)
			{
				int32		y = blocks[j].ridx;
				Size		p = rec_start[x];
				Size		q = rec_start[y];
				bool		first = true;
				int32		rules = 0;

				/* the keys both share, merging two sorted lists */
				while (p < rec_start[x + 1] && q < rec_start[y + 1])
				{
					if (rec_h[p] < rec_h[q])
						p++;
					else if (rec_h[p] > rec_h[q])
						q++;
					else
					{
						if (first && rec_h[p] != h)
							break;	/* an earlier block emits this pair */
						first = false;
						rules |= 1 << KEY_RULE(rec_h[p]);
						p++, q++;
					}
				}
				if (first)
					continue;
				{
					Datum		values[3];
					bool		nulls[3] = {false, false, false};
					int64		a = rec_key[x];
					int64		b = rec_key[y];

					values[0] = Int64GetDatum(Min(a, b));
					values[1] = Int64GetDatum(Max(a, b));
					values[2] = Int32GetDatum(rules);
					tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
				}
			}
		}
		start = end;
	}

	SPI_finish();
	return (Datum) 0;
}
