/*
 * name_gin.c
 *	  GIN operator class cu_name_gin_ops: an inverted index of name keys (see
 *	  name_keys.c) for text %% text and text %%> cu_name_query; and the
 *	  planner support function that lets cu_name_match(col, query, threshold)
 *	  use such an index.
 *
 * Each indexed name is stored under each of its keys.  A query's keys are
 * looked up, and for every name holding at least one of them the consistent
 * function learns exactly which query keys it holds, so exactly the weight W
 * of the keys it shares with the query.  The name's score is
 * W / W(name or query), and W(name or query) >= W(query), so W / W(query)
 * bounds the score from above: a name whose bound is below the threshold
 * cannot match, and every other one is rechecked with the real score.  The
 * index therefore never drops a true match, and returns exactly the rows a
 * sequential scan returns.  A query without keys (no letters) matches
 * nothing, and the index finds nothing.
 */
#include "postgres.h"

#include "access/gin.h"
#include "access/stratnum.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/pathnodes.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "name_keys.h"

/* What consistent functions need of the query, shared by all its keys. */
typedef struct NameGinQuery
{
	double		threshold;
	double		weight;			/* W(query) */
} NameGinQuery;

/*
 * extractValue(text, internal, internal): the keys of an indexed name.
 */
PG_FUNCTION_INFO_V1(cu_name_gin_extract_value);
Datum
cu_name_gin_extract_value(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);
	int32	   *nentries = (int32 *) PG_GETARG_POINTER(1);
	int			nkeys;
	NameKey    *keys = ExtractNameKeys(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), &nkeys);
	Datum	   *entries = NULL;
	int			i;

	if (nkeys > 0)
	{
		entries = (Datum *) palloc(sizeof(Datum) * nkeys);
		for (i = 0; i < nkeys; i++)
			entries[i] = Int32GetDatum(keys[i]);
	}
	*nentries = nkeys;
	pfree(keys);
	PG_RETURN_POINTER(entries);
}

/*
 * extractQuery(query, internal, int2, internal, internal, internal, internal):
 * the keys of the query name; each carries a pointer to the threshold and the
 * query's total weight for the consistent functions.
 */
PG_FUNCTION_INFO_V1(cu_name_gin_extract_query);
Datum
cu_name_gin_extract_query(PG_FUNCTION_ARGS)
{
	int32	   *nentries = (int32 *) PG_GETARG_POINTER(1);
	StrategyNumber strategy = PG_GETARG_UINT16(2);
	Pointer   **extra_data = (Pointer **) PG_GETARG_POINTER(4);
	int32	   *search_mode = (int32 *) PG_GETARG_POINTER(6);
	text	   *name;
	double		threshold;
	NameKey    *keys;
	int			nkeys;
	Datum	   *entries = NULL;
	NameGinQuery *info;
	int			i;

	switch (strategy)
	{
		case NAME_MATCH_STRATEGY:
			name = PG_GETARG_TEXT_PP(0);
			threshold = name_threshold;
			break;
		case NAME_MATCH_AT_STRATEGY:
			NameQueryArgs(PG_GETARG_DATUM(0), &name, &threshold);
			break;
		default:
			elog(ERROR, "unrecognized strategy number: %d", strategy);
			name = NULL;		/* keep compiler quiet */
			threshold = 0;
	}

	*search_mode = GIN_SEARCH_MODE_DEFAULT;
	*nentries = 0;
	if (name == NULL)
		PG_RETURN_POINTER(NULL);
	keys = ExtractNameKeys(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), &nkeys);
	if (nkeys == 0)
		PG_RETURN_POINTER(NULL);	/* no key: nothing can match */

	info = (NameGinQuery *) palloc(sizeof(NameGinQuery));
	info->threshold = threshold;
	info->weight = NameKeysWeight(keys, nkeys);
	entries = (Datum *) palloc(sizeof(Datum) * nkeys);
	*extra_data = (Pointer *) palloc(sizeof(Pointer) * nkeys);
	for (i = 0; i < nkeys; i++)
	{
		entries[i] = Int32GetDatum(keys[i]);
		(*extra_data)[i] = (Pointer) info;
	}
	*nentries = nkeys;
	PG_RETURN_POINTER(entries);
}

/*
 * consistent(internal, int2, query, int4, internal, internal, internal,
 * internal): can a name holding the checked keys reach the threshold?  Always
 * rechecked with the exact score.
 */
PG_FUNCTION_INFO_V1(cu_name_gin_consistent);
Datum
cu_name_gin_consistent(PG_FUNCTION_ARGS)
{
	bool	   *check = (bool *) PG_GETARG_POINTER(0);
	int32		nkeys = PG_GETARG_INT32(3);
	Pointer    *extra_data = (Pointer *) PG_GETARG_POINTER(4);
	bool	   *recheck = (bool *) PG_GETARG_POINTER(5);
	Datum	   *query_keys = (Datum *) PG_GETARG_POINTER(6);
	NameGinQuery *info;
	double		shared = 0.0;
	int			i;

	*recheck = true;
	if (nkeys == 0)
		PG_RETURN_BOOL(false);
	info = (NameGinQuery *) extra_data[0];
	for (i = 0; i < nkeys; i++)
		if (check[i])
			shared += NameKeyWeight(DatumGetInt32(query_keys[i]));
	PG_RETURN_BOOL(shared > 0 &&
				   NameScoreUpperBound(shared, info->weight) >= info->threshold);
}

/*
 * triConsistent(internal, int2, query, int4, internal, internal, internal):
 * the same bound, counting keys that may be present as present.
 */
PG_FUNCTION_INFO_V1(cu_name_gin_triconsistent);
Datum
cu_name_gin_triconsistent(PG_FUNCTION_ARGS)
{
	GinTernaryValue *check = (GinTernaryValue *) PG_GETARG_POINTER(0);
	int32		nkeys = PG_GETARG_INT32(3);
	Pointer    *extra_data = (Pointer *) PG_GETARG_POINTER(4);
	Datum	   *query_keys = (Datum *) PG_GETARG_POINTER(5);
	NameGinQuery *info;
	double		shared = 0.0;
	int			i;

	if (nkeys == 0)
		PG_RETURN_GIN_TERNARY_VALUE(GIN_FALSE);
	info = (NameGinQuery *) extra_data[0];
	for (i = 0; i < nkeys; i++)
		if (check[i] != GIN_FALSE)
			shared += NameKeyWeight(DatumGetInt32(query_keys[i]));
	if (shared > 0 && NameScoreUpperBound(shared, info->weight) >= info->threshold)
		PG_RETURN_GIN_TERNARY_VALUE(GIN_MAYBE);
	PG_RETURN_GIN_TERNARY_VALUE(GIN_FALSE);
}

/*
 * cu_name_match_support(internal): planner support for
 * cu_name_match(a, b, threshold).  When a or b is a column indexed with
 * cu_name_gin_ops or cu_name_gist_ops, the call becomes the index condition
 * column %%> ROW(other, threshold)::cu_name_query, which means the same and
 * carries its own threshold (an operator can take only two arguments).
 */
PG_FUNCTION_INFO_V1(cu_name_match_support);
Datum
cu_name_match_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	SupportRequestIndexCondition *req;
	FuncExpr   *call;
	Node	   *indexed;
	Node	   *other;
	Node	   *threshold;
	Oid			query_type;
	Oid			opno;
	RowExpr    *row;

	if (!IsA(rawreq, SupportRequestIndexCondition))
		PG_RETURN_POINTER(NULL);
	req = (SupportRequestIndexCondition *) rawreq;
	if (!is_funcclause(req->node) || req->indexarg > 1)
		PG_RETURN_POINTER(NULL);
	call = (FuncExpr *) req->node;
	if (list_length(call->args) != 3)
		PG_RETURN_POINTER(NULL);

	indexed = (Node *) list_nth(call->args, req->indexarg);
	other = (Node *) list_nth(call->args, 1 - req->indexarg);
	threshold = (Node *) list_nth(call->args, 2);

	/* the query and threshold must be computable before scanning the index */
	if (contain_volatile_functions(other) || contain_volatile_functions(threshold) ||
		bms_is_member(req->index->rel->relid, pull_varnos(req->root, other)) ||
		bms_is_member(req->index->rel->relid, pull_varnos(req->root, threshold)))
		PG_RETURN_POINTER(NULL);

	/* cu_name_query lives in the function's own schema */
	query_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
								 CStringGetDatum("cu_name_query"),
								 ObjectIdGetDatum(get_func_namespace(call->funcid)));
	if (!OidIsValid(query_type))
		PG_RETURN_POINTER(NULL);
	opno = get_opfamily_member(req->opfamily, TEXTOID, query_type, NAME_MATCH_AT_STRATEGY);
	if (!OidIsValid(opno))
		PG_RETURN_POINTER(NULL);	/* not one of our operator classes */

	row = makeNode(RowExpr);
	row->args = list_make2((Node *) copyObjectImpl(other), (Node *) copyObjectImpl(threshold));
	row->row_typeid = query_type;
	row->row_format = COERCE_EXPLICIT_CAST;
	row->colnames = list_make2(makeString(pstrdup("name")), makeString(pstrdup("threshold")));
	row->location = -1;

	/* the function stays as a filter: cheap, and exact whatever the index does */
	req->lossy = true;
	PG_RETURN_POINTER(list_make1(make_opclause(opno, BOOLOID, false,
											   (Expr *) copyObjectImpl(indexed),
											   (Expr *) row,
											   InvalidOid, InvalidOid)));
}
