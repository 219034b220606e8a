/*
 * model.h
 *	  The Fellegi-Sunter match model: comparison schemes and their levels,
 *	  the trained model as loaded from the model tables, and pair scoring.
 *	  Shared by model.c (levels, scoring, explanation), em.c (training) and
 *	  blocking.c.
 */
#ifndef MODEL_H
#define MODEL_H

#include "postgres.h"

#include "fmgr.h"

/*
 * How an attribute is compared.  Each scheme sorts a pair of values into one
 * of a few levels, from 0 (exact agreement) to the last (disagreement); a
 * missing value on either side gives no level (-1) and no evidence.
 */
typedef enum CompareScheme
{
	SCHEME_NAME,				/* person or place names: cu_name_similarity */
	SCHEME_TEXT,				/* free text such as addresses: same, word-aware */
	SCHEME_EMAIL,				/* canonical e-mail addresses */
	SCHEME_PHONE,				/* E.164 phone numbers */
	SCHEME_CODE,				/* postcodes, identifiers: typos matter */
	SCHEME_DATE,				/* dates: typos, day and month swapped */
	SCHEME_EXACT,				/* equal or not */
	SCHEME_NUMBER,				/* numbers: equal, close, different */
	NUM_SCHEMES
} CompareScheme;

/* Largest number of levels of a scheme. */
#define MODEL_MAX_LEVELS 5

/* Largest number of comparisons (attributes) of a model. */
#define MODEL_MAX_COMPARISONS 64

/* Term-frequency adjustments are clamped to this many bits either way. */
#define MODEL_TF_MAX_BITS 10.0

/* The scheme called name, or -1. */
extern int	SchemeFromName(const char *name);

/* Number of levels and label of each level of a scheme. */
extern int	SchemeLevels(int scheme);
extern const char *SchemeLevelLabel(int scheme, int level);

#endif							/* MODEL_H */
