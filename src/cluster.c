/*
 * cluster.c
 *	  Clustering of scored candidate pairs into customers.
 *
 * Plain connected components of the links (pairs above the threshold) let a
 * chain of weak links glue different people together: A-B and B-C are
 * links, but A and C are clearly two people.  cu_cluster instead merges
 * greedily, strongest link first, and merges two groups only when the
 * evidence between all their scored pairs is, on average, for a match: the
 * mean match weight (log2 odds) of every scored pair across the two groups
 * must reach the cohesion bar (0 bits by default: even odds).  A pair the
 * user declared different has weight -infinity and so can never be joined.
 * cu_resolve scores every pair inside a small component first (not only the
 * candidate pairs), so the test sees all the evidence.
 *
 * Both functions read an edge table (a bigint, b bigint, weight float8) with
 * a cursor, so that only the link graph is held in memory: its records, and
 * the scored pairs inside its components.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/tuplestore.h"

/* record_key -> dense node number */
typedef struct NodeEntry
{
	int64		key;
	int32		node;
	char		status;
} NodeEntry;

#define SH_PREFIX nodemap
#define SH_ELEMENT_TYPE NodeEntry
#define SH_KEY_TYPE int64
#define SH_KEY key
#define SH_HASH_KEY(tb, key) hash_bytes_uint32((uint32) ((uint64) (key) ^ ((uint64) (key) >> 32)))
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* Rows fetched from the edge table at a time. */
#define CLUSTER_FETCH 10000

/* The link graph: nodes, union-find forest, kept edges. */
typedef struct Graph
{
	nodemap_hash *map;
	int64	   *keys;			/* node -> record_key */
	int32	   *parent;
	int32	   *size;
	int32		nnodes;
	int32		capnodes;
	/* kept edges */
	int32	   *ea;
	int32	   *eb;
	double	   *ew;
	int64		nedges;
	int64		capedges;
} Graph;

static int32
Find(int32 *parent, int32 x)
{
	while (parent[x] != x)
	{
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/* Union by size; returns the new root. */
static int32
Union(int32 *parent, int32 *size, int32 a, int32 b)
{
	if (size[a] < size[b])
	{
		int32		t = a;

		a = b;
		b = t;
	}
	parent[b] = a;
	size[a] += size[b];
	return a;
}

static int32
NodeFor(Graph *g, int64 key, bool create)
{
	bool		found;
	NodeEntry  *e;

	if (!create)
	{
		e = nodemap_lookup(g->map, key);
		return e ? e->node : -1;
	}
	e = nodemap_insert(g->map, key, &found);
	if (!found)
	{
		if (g->nnodes == g->capnodes)
		{
			if (g->capnodes >= PG_INT32_MAX / 2)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many linked records to cluster")));
			g->capnodes *= 2;
			g->keys = repalloc_huge(g->keys, sizeof(int64) * g->capnodes);
			g->parent = repalloc_huge(g->parent, sizeof(int32) * g->capnodes);
			g->size = repalloc_huge(g->size, sizeof(int32) * g->capnodes);
		}
		e->node = g->nnodes++;
		g->keys[e->node] = key;
		g->parent[e->node] = e->node;
		g->size[e->node] = 1;
	}
	return e->node;
}

static void
KeepEdge(Graph *g, int32 a, int32 b, double w)
{
	if (g->nedges == g->capedges)
	{
		g->capedges *= 2;
		g->ea = repalloc_huge(g->ea, sizeof(int32) * g->capedges);
		g->eb = repalloc_huge(g->eb, sizeof(int32) * g->capedges);
		g->ew = repalloc_huge(g->ew, sizeof(double) * g->capedges);
	}
	g->ea[g->nedges] = a;
	g->eb[g->nedges] = b;
	g->ew[g->nedges] = w;
	g->nedges++;
}

static void
InitGraph(Graph *g)
{
	g->map = nodemap_create(CurrentMemoryContext, 1024, NULL);
	g->capnodes = 1024;
	g->nnodes = 0;
	g->keys = palloc(sizeof(int64) * g->capnodes);
	g->parent = palloc(sizeof(int32) * g->capnodes);
	g->size = palloc(sizeof(int32) * g->capnodes);
	g->capedges = 1024;
	g->nedges = 0;
	g->ea = palloc(sizeof(int32) * g->capedges);
	g->eb = palloc(sizeof(int32) * g->capedges);
	g->ew = palloc(sizeof(double) * g->capedges);
}

/*
 * Read the edge table once.  Pass 1 (components): union the links.  Pass 2
 * (keep): keep every scored pair whose two records are in one component.
 */
static void
ReadEdges(Graph *g, Oid edges, double link_weight, bool keep)
{
	char	   *name = get_rel_name(edges);
	char	   *relname;
	char	   *query;
	Portal		portal;
	SPIPlanPtr	plan;

	if (name == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("edge table %u does not exist", edges)));
	relname = quote_qualified_identifier(get_namespace_name(get_rel_namespace(edges)), name);
	query = psprintf(keep ? "SELECT a, b, weight FROM %s" :
					 "SELECT a, b, weight FROM %s WHERE weight >= $1", relname);
	{
		Oid			argtypes[1] = {FLOAT8OID};
		Datum		args[1] = {Float8GetDatum(link_weight)};

		plan = SPI_prepare(query, keep ? 0 : 1, argtypes);
		if (plan == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot read edges (a bigint, b bigint, weight float8) from %s", relname)));
		portal = SPI_cursor_open(NULL, plan, args, NULL, true);
	}
	for (;;)
	{
		SPI_cursor_fetch(portal, true, CLUSTER_FETCH);
		if (SPI_processed == 0)
			break;
		if (SPI_tuptable->tupdesc->natts != 3 ||
			TupleDescAttr(SPI_tuptable->tupdesc, 0)->atttypid != INT8OID ||
			TupleDescAttr(SPI_tuptable->tupdesc, 1)->atttypid != INT8OID ||
			TupleDescAttr(SPI_tuptable->tupdesc, 2)->atttypid != FLOAT8OID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("edge table %s must have columns a bigint, b bigint, weight float8", relname)));
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = SPI_tuptable->vals[r];
			bool		na,
						nb,
						nw;
			int64		ka = DatumGetInt64(SPI_getbinval(tup, SPI_tuptable->tupdesc, 1, &na));
			int64		kb = DatumGetInt64(SPI_getbinval(tup, SPI_tuptable->tupdesc, 2, &nb));
			double		w = DatumGetFloat8(SPI_getbinval(tup, SPI_tuptable->tupdesc, 3, &nw));

			if (na || nb || nw || ka == kb || isnan(w))
				continue;
			if (!keep)
			{
				int32		a = Find(g->parent, NodeFor(g, ka, true));
				int32		b = Find(g->parent, NodeFor(g, kb, true));

				if (a != b)
					Union(g->parent, g->size, a, b);
			}
			else
			{
				int32		a = NodeFor(g, ka, false);
				int32		b = NodeFor(g, kb, false);

				if (a >= 0 && b >= 0 && Find(g->parent, a) == Find(g->parent, b))
					KeepEdge(g, a, b, w);
			}
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
}

static double
LinkWeightArg(FunctionCallInfo fcinfo, int argno)
{
	double		w = PG_GETARG_FLOAT8(argno);

	if (isnan(w))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("link weight must be a number")));
	return w;
}

/*
 * cu_link_components(edges regclass, link_weight float8): the connected
 * components of the links (edges of weight >= link_weight): each linked
 * record with its component (smallest record key) and the component's size.
 */
PG_FUNCTION_INFO_V1(cu_link_components);
Datum
cu_link_components(PG_FUNCTION_ARGS)
{
	Oid			edges = PG_GETARG_OID(0);
	double		link_weight = LinkWeightArg(fcinfo, 1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Graph		g;
	int64	   *minkey;

	InitMaterializedSRF(fcinfo, 0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	InitGraph(&g);
	ReadEdges(&g, edges, link_weight, false);
	minkey = palloc(sizeof(int64) * Max(g.nnodes, 1));
	for (int32 i = 0; i < g.nnodes; i++)
		minkey[i] = PG_INT64_MAX;
	for (int32 i = 0; i < g.nnodes; i++)
	{
		int32		r = Find(g.parent, i);

		minkey[r] = Min(minkey[r], g.keys[i]);
	}
	for (int32 i = 0; i < g.nnodes; i++)
	{
		int32		r = Find(g.parent, i);
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = Int64GetDatum(g.keys[i]);
		values[1] = Int64GetDatum(minkey[r]);
		values[2] = Int32GetDatum(g.size[r]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	SPI_finish();
	return (Datum) 0;
}

/* Order of edge numbers: heaviest first, then by records (deterministic). */
static Graph *sort_graph;

static int
EdgeOrder(const void *x, const void *y)
{
	int64		i = *(const int64 *) x;
	int64		j = *(const int64 *) y;
	double		wi = sort_graph->ew[i];
	double		wj = sort_graph->ew[j];
	int64		ki,
				kj;

	if (wi != wj)
		return wi > wj ? -1 : 1;
	ki = Min(sort_graph->keys[sort_graph->ea[i]], sort_graph->keys[sort_graph->eb[i]]);
	kj = Min(sort_graph->keys[sort_graph->ea[j]], sort_graph->keys[sort_graph->eb[j]]);
	if (ki != kj)
		return ki < kj ? -1 : 1;
	ki = Max(sort_graph->keys[sort_graph->ea[i]], sort_graph->keys[sort_graph->eb[i]]);
	kj = Max(sort_graph->keys[sort_graph->ea[j]], sort_graph->keys[sort_graph->eb[j]]);
	return ki < kj ? -1 : (ki > kj ? 1 : 0);
}

/*
 * cu_cluster(edges regclass, link_weight float8, cohesion float8): the
 * customers made of the scored pairs in edges: each record of a customer of
 * two or more records, with its customer (smallest record key) and its best
 * match probability within it.  See the file header for the rule.
 */
PG_FUNCTION_INFO_V1(cu_cluster);
Datum
cu_cluster(PG_FUNCTION_ARGS)
{
	Oid			edges = PG_GETARG_OID(0);
	double		link_weight = LinkWeightArg(fcinfo, 1);
	double		cohesion = LinkWeightArg(fcinfo, 2);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Graph		g;
	int64	   *order;
	int64	   *adjstart;
	int64	   *adj;
	int32	   *parent;
	int32	   *size;
	int32	   *next;			/* members of a group: a circular list */
	double	   *best;
	int64	   *minkey;

	InitMaterializedSRF(fcinfo, 0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	InitGraph(&g);
	ReadEdges(&g, edges, link_weight, false);
	ReadEdges(&g, edges, link_weight, true);

	/* adjacency lists of the kept edges */
	adjstart = palloc0(sizeof(int64) * (g.nnodes + 1));
	adj = palloc_extended(sizeof(int64) * Max(2 * g.nedges, 1), MCXT_ALLOC_HUGE);
	for (int64 e = 0; e < g.nedges; e++)
	{
		adjstart[g.ea[e] + 1]++;
		adjstart[g.eb[e] + 1]++;
	}
	for (int32 i = 0; i < g.nnodes; i++)
		adjstart[i + 1] += adjstart[i];
	{
		int64	   *fill = palloc(sizeof(int64) * Max(g.nnodes, 1));

		memcpy(fill, adjstart, sizeof(int64) * g.nnodes);
		for (int64 e = 0; e < g.nedges; e++)
		{
			adj[fill[g.ea[e]]++] = e;
			adj[fill[g.eb[e]]++] = e;
		}
		pfree(fill);
	}

	/* strongest first */
	order = palloc_extended(sizeof(int64) * Max(g.nedges, 1), MCXT_ALLOC_HUGE);
	for (int64 e = 0; e < g.nedges; e++)
		order[e] = e;
	sort_graph = &g;
	qsort(order, g.nedges, sizeof(int64), EdgeOrder);

	parent = palloc(sizeof(int32) * Max(g.nnodes, 1));
	size = palloc(sizeof(int32) * Max(g.nnodes, 1));
	next = palloc(sizeof(int32) * Max(g.nnodes, 1));
	for (int32 i = 0; i < g.nnodes; i++)
	{
		parent[i] = i;
		size[i] = 1;
		next[i] = i;
	}
	for (int64 k = 0; k < g.nedges; k++)
	{
		int64		e = order[k];
		int32		ra,
					rb,
					small,
					big,
					x;
		double		sum = 0.0;
		int64		count = 0;

		if (g.ew[e] < link_weight)
			break;
		if ((k & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		ra = Find(parent, g.ea[e]);
		rb = Find(parent, g.eb[e]);
		if (ra == rb)
			continue;
		small = size[ra] <= size[rb] ? ra : rb;
		big = small == ra ? rb : ra;
		/* the mean weight of every scored pair across the two groups */
		x = small;
		do
		{
			for (int64 j = adjstart[x]; j < adjstart[x + 1]; j++)
			{
				int64		f = adj[j];
				int32		other = g.ea[f] == x ? g.eb[f] : g.ea[f];

				if (Find(parent, other) == big)
				{
					sum += g.ew[f];
					count++;
				}
			}
			x = next[x];
		} while (x != small);
		if (count > 0 && sum / count >= cohesion)
		{
			int32		t = next[ra];

			/* splice the two circular member lists, then link the roots */
			next[ra] = next[rb];
			next[rb] = t;
			Union(parent, size, ra, rb);
		}
	}

	/* each record's best link within its customer, and the customer's key */
	best = palloc(sizeof(double) * Max(g.nnodes, 1));
	minkey = palloc(sizeof(int64) * Max(g.nnodes, 1));
	for (int32 i = 0; i < g.nnodes; i++)
	{
		best[i] = -INFINITY;
		minkey[i] = PG_INT64_MAX;
	}
	for (int64 e = 0; e < g.nedges; e++)
		if (Find(parent, g.ea[e]) == Find(parent, g.eb[e]))
		{
			best[g.ea[e]] = Max(best[g.ea[e]], g.ew[e]);
			best[g.eb[e]] = Max(best[g.eb[e]], g.ew[e]);
		}
	for (int32 i = 0; i < g.nnodes; i++)
	{
		int32		r = Find(parent, i);

		minkey[r] = Min(minkey[r], g.keys[i]);
	}
	for (int32 i = 0; i < g.nnodes; i++)
	{
		int32		r = Find(parent, i);
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if (size[r] < 2)
			continue;
		values[0] = Int64GetDatum(g.keys[i]);
		values[1] = Int64GetDatum(minkey[r]);
		values[2] = Float8GetDatum(1.0 / (1.0 + pow(2.0, -best[i])));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	SPI_finish();
	return (Datum) 0;
}
