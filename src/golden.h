/*
 * golden.h
 *	  Survivorship shared by the single-value aggregates (golden.c) and the
 *	  whole-record merge cu_golden (golden_record.c): validity of a value for
 *	  an attribute kind, and the placeholders that never win.
 */
#ifndef GOLDEN_H
#define GOLDEN_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"

/* How good a value is as a survivor: the higher tier always wins. */
#define TIER_NONE 0				/* NULL, empty, a placeholder: never chosen */
#define TIER_INVALID 1			/* malformed for its kind: chosen only alone */
#define TIER_VALID 2

/* The survivorship rules, shared by the aggregates and cu_golden. */
typedef enum SurvivorRule
{
	SURVIVE_RECENT,				/* latest time first */
	SURVIVE_OLDEST,				/* earliest time first, dated before undated */
	SURVIVE_FREQUENT,			/* most records, then latest */
	SURVIVE_TRUSTED,			/* highest trust, then latest */
	SURVIVE_LONGEST,			/* most characters */
	SURVIVE_SHORTEST,			/* fewest characters */
	SURVIVE_COMPLETE			/* most filled fields, then latest */
} SurvivorRule;

/* What ranks a candidate value under a rule (ties are the caller's). */
typedef struct SurvivorRank
{
	TimestampTz at;
	double		key;			/* trust, length or filled fields */
	int64		count;			/* records holding the value (most frequent) */
	int8		tier;
	bool		at_null;
	bool		key_null;
} SurvivorRank;

/* Attribute kinds whose values are checked (cu_valid, the kind arguments). */
typedef enum ValueKind
{
	KIND_TEXT,					/* any non-empty text that is not a placeholder */
	KIND_NAME,					/* and holds a letter */
	KIND_EMAIL,					/* and cu_normalize_email accepts it */
	KIND_PHONE					/* and cu_normalize_phone accepts it (region) */
} ValueKind;

typedef struct KindSpec
{
	ValueKind	kind;
	int			region;			/* phone region index */
} KindSpec;

/* The placeholders of cu_placeholders, folded, sorted: loaded once per call site. */
typedef struct Placeholders
{
	int			n;
	char	  **values;
	int			maxlen;			/* longest, in bytes */
} Placeholders;

extern Placeholders *LoadPlaceholders(FunctionCallInfo fcinfo, MemoryContext cxt);
extern void ParseKind(text *kind, KindSpec *spec);
extern int	StringTier(const char *s, int len, const KindSpec *spec, const Placeholders *ph);
extern int	CompareSurvivors(SurvivorRule rule, const SurvivorRank *a, const SurvivorRank *b);
extern int	CompareAt(const SurvivorRank *a, const SurvivorRank *b);
extern double IntervalSeconds(const Interval *iv);

#endif							/* GOLDEN_H */
