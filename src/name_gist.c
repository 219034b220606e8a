/*
 * name_gist.c
 *	  GiST operator class cu_name_gist_ops: a signature tree of name keys (see
 *	  name_keys.c) for text %% text, text %%> cu_name_query and the ordering
 *	  text <~> text (ORDER BY name <~> query LIMIT n).
 *
 * A leaf entry holds the exact, sorted key array of its name (ARRKEY), so the
 * score of the name with a query is computed exactly there and never needs a
 * recheck.  An internal entry holds a signature (SIGNKEY): a bit array of
 * siglen bytes (an operator class option) with the bit of every key found
 * anywhere below it set, or just the flag ALLISTRUE when every bit is set.
 *
 * Why the index never drops a true match: the bit of every key of every name
 * below an internal entry is set in its signature, so the total weight of
 * the query keys whose bits are set is at least the weight W(A and Q) that any
 * name A below shares with the query Q (colliding bits can only add weight).
 * And W(A or Q) >= W(Q), so score(A, Q) <= W(A and Q) / W(Q) <= bound / W(Q),
 * which is NameScoreUpperBound(bound, W(Q)).  An internal entry is skipped
 * only when that bound is below the threshold or the bound is 0 (nothing
 * below can share a key), in which case no name below can match.  For the
 * same reason 1 - NameScoreUpperBound(bound, W(Q)) is at most the distance
 * of every name below, as KNN ordering requires.  All weights are multiples
 * of 1/2, so the sums are exact and the rounded divisions stay monotone.
 */
#include "postgres.h"

#include "access/gist.h"
#include "access/reloptions.h"
#include "access/stratnum.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"

#include "name_keys.h"

/*
 * The storage type cu_name_gist_key: a varlena with a flag word, then either
 * the sorted key array (ARRKEY), or the signature (SIGNKEY), or nothing
 * (SIGNKEY | ALLISTRUE).  The flag is a full int32 so that the keys after it
 * are aligned like the int4-aligned varlena itself.
 */
typedef struct NameGistKey
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	int32		flag;
	char		data[FLEXIBLE_ARRAY_MEMBER];
} NameGistKey;

#define ARRKEY			0x01	/* leaf: exact key array */
#define SIGNKEY			0x02	/* internal: signature */
#define ALLISTRUE		0x04	/* internal: signature with every bit set */

#define NAME_GIST_HDRSZ			offsetof(NameGistKey, data)
#define IsArrKey(k)				(((k)->flag & ARRKEY) != 0)
#define IsSignKey(k)			(((k)->flag & SIGNKEY) != 0)
#define IsAllTrue(k)			(((k)->flag & ALLISTRUE) != 0)
#define ArrKeyKeys(k)			((NameKey *) (k)->data)
#define ArrKeyCount(k)			((int) ((VARSIZE(k) - NAME_GIST_HDRSZ) / sizeof(NameKey)))
#define SignKeyBits(k)			((uint8 *) (k)->data)
#define SignKeyLen(k)			((int) (VARSIZE(k) - NAME_GIST_HDRSZ))

#define GetEntryKey(vec, pos)	((NameGistKey *) DatumGetPointer((vec)->vector[(pos)].key))

/* The siglen option: bytes of an internal entry's signature. */
#define NAME_GIST_SIGLEN_DEFAULT	64
#define NAME_GIST_SIGLEN_MAX		2024	/* GISTMaxIndexKeySize with 8 kB pages */

typedef struct NameGistOptions
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	int			siglen;			/* signature length in bytes */
} NameGistOptions;

#define GetSiglen() \
	(PG_HAS_OPCLASS_OPTIONS() ? \
	 ((NameGistOptions *) PG_GET_OPCLASS_OPTIONS())->siglen : \
	 NAME_GIST_SIGLEN_DEFAULT)

#define SetSigBit(sig, b)		((sig)[(b) >> 3] |= (uint8) (1 << ((b) & 7)))
#define GetSigBit(sig, b)		(((sig)[(b) >> 3] >> ((b) & 7)) & 1)

/*
 * What consistent and distance need of a query, cached in fn_extra across
 * the calls of one scan key (one call per index entry visited).
 */
typedef struct NameGistQuery
{
	bool		is_record;		/* a cu_name_query (strategy 3), else a text */
	Size		size;			/* bytes of datum */
	char	   *datum;			/* copy of the detoasted query datum: the cache key */
	bool		has_name;		/* false for a cu_name_query whose name is NULL */
	double		threshold;		/* a cu_name_query's own threshold */
	NameKey    *keys;			/* the query's keys (NULL when none) */
	int			nkeys;
	double		weight;			/* W(query) */
	int			siglen;			/* the signature length bits are for, 0: none yet */
	int		   *bits;			/* signature bit of each key */
} NameGistQuery;

/* The distinct signature bits of the new entry's keys, cached by penalty. */
typedef struct NameGistPenaltyCache
{
	int			siglen;
	NameGistKey *key;			/* copy of the array key the bits belong to */
	int			nbits;
	int		   *bits;			/* sorted, distinct */
} NameGistPenaltyCache;

/* A picksplit entry (or union so far) as a signature. */
typedef struct NameGistSig
{
	bool		alltrue;
	uint8	   *sig;			/* siglen bytes; unused when alltrue */
} NameGistSig;

/* A picksplit entry waiting for its side, and how strongly it prefers one. */
typedef struct NameGistSplitCost
{
	OffsetNumber pos;
	int			cost;
} NameGistSplitCost;

/* The signature bit of a key. */
static inline int
NameKeyBit(NameKey key, int siglen)
{
	return (int) (hash_bytes_uint32((uint32) key) % ((uint32) siglen * 8));
}

/* A stored key, detoasted and int4-aligned. */
static NameGistKey *
GetNameGistKey(Datum d)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(d);
	struct varlena *key = PG_DETOAST_DATUM(d);

	if (key == raw && ((uintptr_t) key) % sizeof(int32) != 0)
	{
		key = (struct varlena *) palloc(VARSIZE(raw));
		memcpy(key, raw, VARSIZE(raw));
	}
	return (NameGistKey *) key;
}

/* A leaf key holding a copy of a key array. */
static NameGistKey *
MakeArrKey(const NameKey *keys, int nkeys)
{
	Size		size = NAME_GIST_HDRSZ + sizeof(NameKey) * nkeys;
	NameGistKey *res = (NameGistKey *) palloc(size);

	SET_VARSIZE(res, size);
	res->flag = ARRKEY;
	if (nkeys > 0)
		memcpy(res->data, keys, sizeof(NameKey) * nkeys);
	return res;
}

/* Are all bits of a signature set? */
static bool
SigIsAllTrue(const uint8 *sig, int siglen)
{
	int			i;

	for (i = 0; i < siglen; i++)
		if (sig[i] != 0xFF)
			return false;
	return true;
}

/* An internal key from a signature: ALLISTRUE when alltrue or all bits are set. */
static NameGistKey *
MakeSignKey(const uint8 *sig, bool alltrue, int siglen)
{
	NameGistKey *res;
	Size		size;

	if (!alltrue && SigIsAllTrue(sig, siglen))
		alltrue = true;
	size = NAME_GIST_HDRSZ + (alltrue ? 0 : siglen);
	res = (NameGistKey *) palloc(size);
	SET_VARSIZE(res, size);
	res->flag = SIGNKEY | (alltrue ? ALLISTRUE : 0);
	if (!alltrue)
		memcpy(res->data, sig, siglen);
	return res;
}

/*
 * OR a key into a signature; returns true when the key is ALLISTRUE (the
 * signature is then left as it was: the caller's result is all true).
 */
static bool
AddToSig(uint8 *sig, int siglen, const NameGistKey *key)
{
	if (IsArrKey(key))
	{
		const NameKey *keys = ArrKeyKeys(key);
		int			n = ArrKeyCount(key);
		int			i;

		for (i = 0; i < n; i++)
			SetSigBit(sig, NameKeyBit(keys[i], siglen));
	}
	else if (IsAllTrue(key))
		return true;
	else
	{
		const uint8 *add = SignKeyBits(key);
		int			i;

		if (SignKeyLen(key) != siglen)
			elog(ERROR, "cu_name_gist_key signature of %d bytes, expected %d",
				 SignKeyLen(key), siglen);
		for (i = 0; i < siglen; i++)
			sig[i] |= add[i];
	}
	return false;
}

/*
 * A key as a signature: ALLISTRUE, its own bits, or for a key array the bits
 * of its keys, made in buf (siglen bytes; needed only for a key array).
 */
static NameGistSig
KeyAsSig(const NameGistKey *key, int siglen, uint8 *buf)
{
	NameGistSig res;

	res.alltrue = false;
	res.sig = buf;
	if (IsArrKey(key))
	{
		memset(buf, 0, siglen);
		AddToSig(buf, siglen, key);
	}
	else if (IsAllTrue(key))
		res.alltrue = true;
	else if (IsSignKey(key))
	{
		if (SignKeyLen(key) != siglen)
			elog(ERROR, "cu_name_gist_key signature of %d bytes, expected %d",
				 SignKeyLen(key), siglen);
		res.sig = SignKeyBits(key);
	}
	else
		elog(ERROR, "invalid cu_name_gist_key flag %d", key->flag);
	return res;
}

/* Number of set bits of a signature. */
static int
SigPopcount(const uint8 *sig, int siglen)
{
	return (int) pg_popcount((const char *) sig, siglen);
}

/* Hamming distance of two signatures. */
static int
SigHamming(NameGistSig a, NameGistSig b, int siglen)
{
	int			dist = 0;
	int			i;

	if (a.alltrue)
		return b.alltrue ? 0 : siglen * 8 - SigPopcount(b.sig, siglen);
	if (b.alltrue)
		return siglen * 8 - SigPopcount(a.sig, siglen);
	for (i = 0; i < siglen; i++)
		dist += pg_number_of_ones[a.sig[i] ^ b.sig[i]];
	return dist;
}

/*
 * The cached keys (and weight, threshold) of the query of a consistent or
 * distance call, extracted again only when the query datum changes.
 */
static NameGistQuery *
GetNameGistQuery(FunctionCallInfo fcinfo, Datum query, bool is_record)
{
	NameGistQuery *cache = (NameGistQuery *) fcinfo->flinfo->fn_extra;
	struct varlena *q = PG_DETOAST_DATUM(query);
	Size		size = VARSIZE(q);
	bool		has_name = true;
	double		threshold = 0.0;
	NameKey    *keys = NULL;
	int			nkeys = 0;
	MemoryContext old;

	if (cache != NULL && cache->is_record == is_record && cache->size == size &&
		memcmp(cache->datum, q, size) == 0)
		return cache;

	/* extract first (this may fail), then replace the cache */
	if (is_record)
	{
		text	   *name;

		NameQueryArgs(PointerGetDatum(q), &name, &threshold);
		if (name == NULL)
			has_name = false;
		else
			keys = ExtractNameKeys(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), &nkeys);
	}
	else
		keys = ExtractNameKeys(VARDATA(q), VARSIZE(q) - VARHDRSZ, &nkeys);

	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	if (cache == NULL)
		cache = (NameGistQuery *) palloc0(sizeof(NameGistQuery));
	else
	{
		pfree(cache->datum);
		if (cache->keys)
			pfree(cache->keys);
		if (cache->bits)
			pfree(cache->bits);
	}
	cache->is_record = is_record;
	cache->size = size;
	cache->datum = (char *) palloc(size);
	memcpy(cache->datum, q, size);
	cache->has_name = has_name;
	cache->threshold = threshold;
	cache->nkeys = nkeys;
	cache->keys = NULL;
	if (nkeys > 0)
	{
		cache->keys = (NameKey *) palloc(sizeof(NameKey) * nkeys);
		memcpy(cache->keys, keys, sizeof(NameKey) * nkeys);
	}
	cache->weight = NameKeysWeight(keys, nkeys);
	cache->siglen = 0;
	cache->bits = NULL;
	fcinfo->flinfo->fn_extra = cache;
	MemoryContextSwitchTo(old);

	if (keys)
		pfree(keys);
	return cache;
}

/*
 * Upper bound of the weight any name below an internal entry shares with the
 * query: the weight of the query keys whose bits are set (all when ALLISTRUE).
 */
static double
SharedWeightBound(FunctionCallInfo fcinfo, NameGistQuery *query,
				  const NameGistKey *key, int siglen)
{
	const uint8 *sig;
	double		bound = 0.0;
	int			i;

	if (IsAllTrue(key))
		return query->weight;
	if (SignKeyLen(key) != siglen)
		elog(ERROR, "cu_name_gist_key signature of %d bytes, expected %d",
			 SignKeyLen(key), siglen);
	if (query->siglen != siglen)
	{
		int		   *bits = (int *) MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
													  sizeof(int) * Max(query->nkeys, 1));

		for (i = 0; i < query->nkeys; i++)
			bits[i] = NameKeyBit(query->keys[i], siglen);
		if (query->bits)
			pfree(query->bits);
		query->bits = bits;
		query->siglen = siglen;
	}
	sig = SignKeyBits(key);
	for (i = 0; i < query->nkeys; i++)
		if (GetSigBit(sig, query->bits[i]))
			bound += NameKeyWeight(query->keys[i]);
	return bound;
}

/*
 * Score of an indexed name with the query, and the weight they share: the
 * same arithmetic as the operators (name_keys.c), so the same result.
 */
static double
LeafScore(const NameGistQuery *query, const NameGistKey *key, double *shared)
{
	const NameKey *keys = ArrKeyKeys(key);
	int			nkeys = ArrKeyCount(key);

	*shared = NameKeysSharedWeight(keys, nkeys, query->keys, query->nkeys);
	return NameScoreFromWeights(*shared, NameKeysWeight(keys, nkeys), query->weight);
}

/* qsort order of signature bits. */
static int
BitCmp(const void *a, const void *b)
{
	int			x = *(const int *) a;
	int			y = *(const int *) b;

	return (x > y) - (x < y);
}

/*
 * The distinct signature bits of a leaf key, cached in fn_extra: penalty is
 * called with the same new entry for every internal entry it may go below.
 */
static NameGistPenaltyCache *
GetPenaltyBits(FunctionCallInfo fcinfo, const NameGistKey *key, int siglen)
{
	NameGistPenaltyCache *cache = (NameGistPenaltyCache *) fcinfo->flinfo->fn_extra;
	const NameKey *keys = ArrKeyKeys(key);
	int			n = ArrKeyCount(key);
	MemoryContext old;
	int			i;

	if (cache != NULL && cache->siglen == siglen &&
		VARSIZE(cache->key) == VARSIZE(key) &&
		memcmp(cache->key, key, VARSIZE(key)) == 0)
		return cache;

	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	if (cache == NULL)
		cache = (NameGistPenaltyCache *) palloc0(sizeof(NameGistPenaltyCache));
	else
	{
		pfree(cache->key);
		pfree(cache->bits);
	}
	cache->siglen = siglen;
	cache->key = (NameGistKey *) palloc(VARSIZE(key));
	memcpy(cache->key, key, VARSIZE(key));
	cache->bits = (int *) palloc(sizeof(int) * Max(n, 1));
	for (i = 0; i < n; i++)
		cache->bits[i] = NameKeyBit(keys[i], siglen);
	cache->nbits = n;
	if (n > 1)
	{
		int			w = 1;

		qsort(cache->bits, n, sizeof(int), BitCmp);
		for (i = 1; i < n; i++)
			if (cache->bits[i] != cache->bits[w - 1])
				cache->bits[w++] = cache->bits[i];
		cache->nbits = w;
	}
	fcinfo->flinfo->fn_extra = cache;
	MemoryContextSwitchTo(old);
	return cache;
}

/*
 * cu_name_gist_key_in(cstring): the storage type has no text form; it only
 * exists inside cu_name_gist_ops indexes.
 */
PG_FUNCTION_INFO_V1(cu_name_gist_key_in);
Datum
cu_name_gist_key_in(PG_FUNCTION_ARGS)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("cannot accept a value of type cu_name_gist_key")));
	PG_RETURN_VOID();			/* keep compiler quiet */
}

/*
 * cu_name_gist_key_out(cu_name_gist_key): a short description of an index
 * entry, for inspection tools such as pageinspect.
 */
PG_FUNCTION_INFO_V1(cu_name_gist_key_out);
Datum
cu_name_gist_key_out(PG_FUNCTION_ARGS)
{
	NameGistKey *key = GetNameGistKey(PG_GETARG_DATUM(0));
	char	   *res;

	if (IsArrKey(key))
		res = psprintf("%d name keys", ArrKeyCount(key));
	else if (IsAllTrue(key))
		res = pstrdup("all-true signature");
	else if (IsSignKey(key))
		res = psprintf("signature of %d bytes, %d bits set",
					   SignKeyLen(key), SigPopcount(SignKeyBits(key), SignKeyLen(key)));
	else
		res = psprintf("invalid cu_name_gist_key (flag %d)", key->flag);
	PG_RETURN_CSTRING(res);
}

/*
 * consistent(internal, text, int2, oid, internal): may the entry's names
 * match the query?  Exact at leaves (no recheck), an upper bound above.
 */
PG_FUNCTION_INFO_V1(cu_name_gist_consistent);
Datum
cu_name_gist_consistent(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	StrategyNumber strategy = (StrategyNumber) PG_GETARG_UINT16(2);
	bool	   *recheck = (bool *) PG_GETARG_POINTER(4);
	NameGistKey *key = (NameGistKey *) DatumGetPointer(entry->key);
	NameGistQuery *query;
	double		threshold;
	double		shared;
	double		score;

	switch (strategy)
	{
		case NAME_MATCH_STRATEGY:
			query = GetNameGistQuery(fcinfo, PG_GETARG_DATUM(1), false);
			threshold = name_threshold;
			break;
		case NAME_MATCH_AT_STRATEGY:
			query = GetNameGistQuery(fcinfo, PG_GETARG_DATUM(1), true);
			threshold = query->threshold;
			break;
		default:
			elog(ERROR, "unrecognized strategy number: %d", strategy);
			PG_RETURN_BOOL(false);	/* keep compiler quiet */
	}

	*recheck = false;
	if (!query->has_name || query->nkeys == 0)
		PG_RETURN_BOOL(false);	/* no shared key possible: nothing matches */

	if (IsArrKey(key))
		score = LeafScore(query, key, &shared);
	else if (IsSignKey(key))
	{
		/* a bound, exact only at leaves: recheck should one ever be a leaf */
		*recheck = true;
		shared = SharedWeightBound(fcinfo, query, key, GetSiglen());
		score = NameScoreUpperBound(shared, query->weight);
	}
	else
	{
		elog(ERROR, "invalid cu_name_gist_key flag %d", key->flag);
		PG_RETURN_BOOL(false);	/* keep compiler quiet */
	}
	PG_RETURN_BOOL(NameScoreMatches(shared, score, threshold));
}

/*
 * distance(internal, text, int2, oid, internal): name <~> query for ORDER BY;
 * exact at leaves, and above them a lower bound of every distance below.
 */
PG_FUNCTION_INFO_V1(cu_name_gist_distance);
Datum
cu_name_gist_distance(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	StrategyNumber strategy = (StrategyNumber) PG_GETARG_UINT16(2);
	bool	   *recheck = (bool *) PG_GETARG_POINTER(4);
	NameGistKey *key = (NameGistKey *) DatumGetPointer(entry->key);
	NameGistQuery *query;
	double		shared;
	double		score;

	if (strategy != NAME_DISTANCE_STRATEGY)
		elog(ERROR, "unrecognized strategy number: %d", strategy);
	query = GetNameGistQuery(fcinfo, PG_GETARG_DATUM(1), false);

	*recheck = false;
	if (query->nkeys == 0)
		PG_RETURN_FLOAT8(1.0);	/* score 0 with every name */

	if (IsArrKey(key))
		score = LeafScore(query, key, &shared);
	else if (IsSignKey(key))
	{
		*recheck = true;
		shared = SharedWeightBound(fcinfo, query, key, GetSiglen());
		score = NameScoreUpperBound(shared, query->weight);
	}
	else
	{
		elog(ERROR, "invalid cu_name_gist_key flag %d", key->flag);
		score = 0.0;			/* keep compiler quiet */
	}
	PG_RETURN_FLOAT8(1.0 - score);
}

/*
 * compress(internal): an indexed name becomes its key array; a signature
 * with every bit set shrinks to the ALLISTRUE flag.
 */
PG_FUNCTION_INFO_V1(cu_name_gist_compress);
Datum
cu_name_gist_compress(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	GISTENTRY  *retval = entry;

	if (entry->leafkey)
	{
		text	   *name = DatumGetTextPP(entry->key);
		int			nkeys;
		NameKey    *keys = ExtractNameKeys(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name), &nkeys);
		NameGistKey *res = MakeArrKey(keys, nkeys);

		pfree(keys);
		retval = (GISTENTRY *) palloc(sizeof(GISTENTRY));
		gistentryinit(*retval, PointerGetDatum(res),
					  entry->rel, entry->page, entry->offset, false);
	}
	else
	{
		NameGistKey *key = GetNameGistKey(entry->key);

		if (IsSignKey(key) && !IsAllTrue(key) &&
			SigIsAllTrue(SignKeyBits(key), SignKeyLen(key)))
		{
			retval = (GISTENTRY *) palloc(sizeof(GISTENTRY));
			gistentryinit(*retval, PointerGetDatum(MakeSignKey(NULL, true, 0)),
						  entry->rel, entry->page, entry->offset, false);
		}
	}
	PG_RETURN_POINTER(retval);
}

/*
 * decompress(internal): a stored entry, detoasted (and aligned) when it
 * needs to be, for the other support functions to read in place.
 */
PG_FUNCTION_INFO_V1(cu_name_gist_decompress);
Datum
cu_name_gist_decompress(PG_FUNCTION_ARGS)
{
	GISTENTRY  *entry = (GISTENTRY *) PG_GETARG_POINTER(0);
	NameGistKey *key = GetNameGistKey(entry->key);
	GISTENTRY  *retval;

	if ((Pointer) key == DatumGetPointer(entry->key))
		PG_RETURN_POINTER(entry);
	retval = (GISTENTRY *) palloc(sizeof(GISTENTRY));
	gistentryinit(*retval, PointerGetDatum(key),
				  entry->rel, entry->page, entry->offset, entry->leafkey);
	PG_RETURN_POINTER(retval);
}

/*
 * penalty(internal, internal, internal): cost of adding an entry below an
 * internal entry: the signature bits a name would add, or the Hamming
 * distance of two signatures.
 */
PG_FUNCTION_INFO_V1(cu_name_gist_penalty);
Datum
cu_name_gist_penalty(PG_FUNCTION_ARGS)
{
	GISTENTRY  *origentry = (GISTENTRY *) PG_GETARG_POINTER(0);
	GISTENTRY  *newentry = (GISTENTRY *) PG_GETARG_POINTER(1);
	float	   *penalty = (float *) PG_GETARG_POINTER(2);
	NameGistKey *orig = (NameGistKey *) DatumGetPointer(origentry->key);
	NameGistKey *newkey = (NameGistKey *) DatumGetPointer(newentry->key);
	int			siglen = GetSiglen();
	uint8	   *origbuf = IsArrKey(orig) ? (uint8 *) palloc(siglen) : NULL;
	NameGistSig origsig = KeyAsSig(orig, siglen, origbuf);

	if (IsArrKey(newkey))
	{
		NameGistPenaltyCache *cache = GetPenaltyBits(fcinfo, newkey, siglen);
		int			added = 0;
		int			i;

		if (!origsig.alltrue)
			for (i = 0; i < cache->nbits; i++)
				added += !GetSigBit(origsig.sig, cache->bits[i]);
		*penalty = (float) added;
	}
	else
	{
		/* a signature (the downlink of a split page) */
		*penalty = (float) SigHamming(origsig, KeyAsSig(newkey, siglen, NULL), siglen);
	}
	if (origbuf)
		pfree(origbuf);
	PG_RETURN_POINTER(penalty);
}

/*
 * union(internal, internal): the signature of a set of entries, the OR of
 * their signatures and of their keys' bits (ALLISTRUE when all bits are set).
 */
PG_FUNCTION_INFO_V1(cu_name_gist_union);
Datum
cu_name_gist_union(PG_FUNCTION_ARGS)
{
	GistEntryVector *entryvec = (GistEntryVector *) PG_GETARG_POINTER(0);
	int		   *size = (int *) PG_GETARG_POINTER(1);
	int			siglen = GetSiglen();
	uint8	   *sig = (uint8 *) palloc0(siglen);
	bool		alltrue = false;
	NameGistKey *res;
	int			i;

	for (i = 0; i < entryvec->n && !alltrue; i++)
		alltrue = AddToSig(sig, siglen, GetEntryKey(entryvec, i));
	res = MakeSignKey(sig, alltrue, siglen);
	pfree(sig);
	*size = VARSIZE(res);
	PG_RETURN_POINTER(res);
}

/*
 * same(cu_name_gist_key, cu_name_gist_key, internal): are two entries equal?
 * GiST then need not rewrite a parent whose union did not change.
 */
PG_FUNCTION_INFO_V1(cu_name_gist_same);
Datum
cu_name_gist_same(PG_FUNCTION_ARGS)
{
	NameGistKey *a = GetNameGistKey(PG_GETARG_DATUM(0));
	NameGistKey *b = GetNameGistKey(PG_GETARG_DATUM(1));
	bool	   *result = (bool *) PG_GETARG_POINTER(2);

	if ((a->flag & (ARRKEY | SIGNKEY | ALLISTRUE)) != (b->flag & (ARRKEY | SIGNKEY | ALLISTRUE)))
		*result = false;
	else if (IsAllTrue(a))
		*result = true;
	else
		*result = (VARSIZE(a) == VARSIZE(b) &&
				   memcmp(a->data, b->data, VARSIZE(a) - NAME_GIST_HDRSZ) == 0);
	PG_RETURN_POINTER(result);
}

/* qsort order of picksplit entries: strongest preference first. */
static int
SplitCostCmp(const void *a, const void *b)
{
	int			x = ((const NameGistSplitCost *) a)->cost;
	int			y = ((const NameGistSplitCost *) b)->cost;

	return (x < y) - (x > y);
}

/* OR an entry into a side's union. */
static void
AddToUnion(NameGistSig *u, NameGistSig e, int siglen)
{
	int			i;

	if (u->alltrue)
		return;
	if (e.alltrue)
	{
		u->alltrue = true;
		return;
	}
	for (i = 0; i < siglen; i++)
		u->sig[i] |= e.sig[i];
}

/*
 * picksplit(internal, internal): split an overfull page in two.  The seeds
 * are the two entries farthest apart (Hamming distance of their signatures);
 * the other entries, those with the clearest preference first, go to the
 * side whose union is nearer, with a bias against lopsided splits.
 */
PG_FUNCTION_INFO_V1(cu_name_gist_picksplit);
Datum
cu_name_gist_picksplit(PG_FUNCTION_ARGS)
{
	GistEntryVector *entryvec = (GistEntryVector *) PG_GETARG_POINTER(0);
	GIST_SPLITVEC *v = (GIST_SPLITVEC *) PG_GETARG_POINTER(1);
	int			siglen = GetSiglen();
	OffsetNumber maxoff = entryvec->n - 1;
	NameGistSig *sigs;
	uint8	   *bufs;
	NameGistSplitCost *costs;
	int			ncosts = 0;
	NameGistSig left;
	NameGistSig right;
	OffsetNumber seed1 = FirstOffsetNumber;
	OffsetNumber seed2 = OffsetNumberNext(FirstOffsetNumber);
	int			maxdist = -1;
	OffsetNumber i;
	OffsetNumber j;
	int			k;

	if (maxoff < OffsetNumberNext(FirstOffsetNumber))
		elog(ERROR, "cu_name_gist_picksplit called with %d entries", (int) maxoff);

	/* every entry as a signature */
	sigs = (NameGistSig *) palloc(sizeof(NameGistSig) * (maxoff + 1));
	bufs = (uint8 *) palloc((Size) siglen * (maxoff + 1));
	for (i = FirstOffsetNumber; i <= maxoff; i = OffsetNumberNext(i))
		sigs[i] = KeyAsSig(GetEntryKey(entryvec, i), siglen, bufs + (Size) siglen * i);

	/* the seeds: the two entries farthest apart */
	for (i = FirstOffsetNumber; i < maxoff; i = OffsetNumberNext(i))
	{
		CHECK_FOR_INTERRUPTS();
		for (j = OffsetNumberNext(i); j <= maxoff; j = OffsetNumberNext(j))
		{
			int			dist = SigHamming(sigs[i], sigs[j], siglen);

			if (dist > maxdist)
			{
				maxdist = dist;
				seed1 = i;
				seed2 = j;
			}
		}
	}

	v->spl_left = (OffsetNumber *) palloc(sizeof(OffsetNumber) * (maxoff + 1));
	v->spl_right = (OffsetNumber *) palloc(sizeof(OffsetNumber) * (maxoff + 1));
	v->spl_nleft = 0;
	v->spl_nright = 0;

	/* the sides' unions start as copies of the seeds */
	left.alltrue = sigs[seed1].alltrue;
	left.sig = (uint8 *) palloc(siglen);
	if (!left.alltrue)
		memcpy(left.sig, sigs[seed1].sig, siglen);
	right.alltrue = sigs[seed2].alltrue;
	right.sig = (uint8 *) palloc(siglen);
	if (!right.alltrue)
		memcpy(right.sig, sigs[seed2].sig, siglen);
	v->spl_left[v->spl_nleft++] = seed1;
	v->spl_right[v->spl_nright++] = seed2;

	/* the others, by how much nearer they are to one seed than to the other */
	costs = (NameGistSplitCost *) palloc(sizeof(NameGistSplitCost) * (maxoff + 1));
	for (i = FirstOffsetNumber; i <= maxoff; i = OffsetNumberNext(i))
	{
		if (i == seed1 || i == seed2)
			continue;
		costs[ncosts].pos = i;
		costs[ncosts].cost = abs(SigHamming(sigs[i], sigs[seed1], siglen) -
								 SigHamming(sigs[i], sigs[seed2], siglen));
		ncosts++;
	}
	qsort(costs, ncosts, sizeof(NameGistSplitCost), SplitCostCmp);

	for (k = 0; k < ncosts; k++)
	{
		OffsetNumber pos = costs[k].pos;
		int			dl = SigHamming(sigs[pos], left, siglen);
		int			dr = SigHamming(sigs[pos], right, siglen);
		int			imbalance = v->spl_nleft - v->spl_nright;
		double		pref = (double) (dl - dr) + 0.05 * imbalance * abs(imbalance);

		CHECK_FOR_INTERRUPTS();
		if (pref < 0 || (pref == 0 && v->spl_nleft <= v->spl_nright))
		{
			AddToUnion(&left, sigs[pos], siglen);
			v->spl_left[v->spl_nleft++] = pos;
		}
		else
		{
			AddToUnion(&right, sigs[pos], siglen);
			v->spl_right[v->spl_nright++] = pos;
		}
	}

	v->spl_ldatum = PointerGetDatum(MakeSignKey(left.sig, left.alltrue, siglen));
	v->spl_rdatum = PointerGetDatum(MakeSignKey(right.sig, right.alltrue, siglen));
	PG_RETURN_POINTER(v);
}

/*
 * options(internal): the operator class option siglen, the bytes of an
 * internal entry's signature (longer: fewer false leads, bigger index).
 */
PG_FUNCTION_INFO_V1(cu_name_gist_options);
Datum
cu_name_gist_options(PG_FUNCTION_ARGS)
{
	local_relopts *relopts = (local_relopts *) PG_GETARG_POINTER(0);

	init_local_reloptions(relopts, sizeof(NameGistOptions));
	add_local_int_reloption(relopts, "siglen",
							"signature length in bytes",
							NAME_GIST_SIGLEN_DEFAULT, 1, NAME_GIST_SIGLEN_MAX,
							offsetof(NameGistOptions, siglen));
	PG_RETURN_VOID();
}
