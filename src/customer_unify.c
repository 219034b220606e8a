/*
 * customer_unify.c
 *	  Module entry point of customer_unify: the module magic and the
 *	  settings.
 *
 * The SQL-callable functions live in one file per step of the pipeline
 * (normalize.c, phone.c, compare.c, phonetic.c, name_similarity.c,
 * name_keys.c, name_gin.c, name_gist.c, ...).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "name_keys.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* Register the settings; every one has an argument twin in the SQL API. */
void
_PG_init(void)
{
	DefineCustomRealVariable("customer_unify.name_threshold",
							 "Score from which text %% text is true (see cu_name_score).",
							 "cu_name_match(a, b, threshold) is the same test with the threshold as an argument.",
							 &name_threshold,
							 0.3, 0.0, 1.0,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	MarkGUCPrefixReserved("customer_unify");
}
