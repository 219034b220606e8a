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

#include "customer_unify.h"
#include "name_keys.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

double		match_threshold = 0.9;
double		review_threshold = 0.5;
int			max_block_size = 100;
int			realtime_candidates = 20;
double		mood_half_life_days = 30.0;

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
	DefineCustomRealVariable("customer_unify.match_threshold",
							 "Match probability from which cu_resolve links two records.",
							 "cu_resolve(threshold => ...) is the same run with the threshold as an argument.",
							 &match_threshold,
							 0.9, 0.0, 1.0,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	DefineCustomRealVariable("customer_unify.review_threshold",
							 "Match probability from which a pair left unlinked goes to the review queue.",
							 "Pairs between this and customer_unify.match_threshold wait in cu_review_queue; "
							 "cu_resolve(review_threshold => ...) is the twin.",
							 &review_threshold,
							 0.5, 0.0, 1.0,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	DefineCustomIntVariable("customer_unify.max_block_size",
							"Blocking keys shared by more records than this give no candidate pairs.",
							"Bounds the candidate pairs (and so the time and memory) of cu_train and cu_resolve; "
							"their max_block_size argument is the twin.",
							&max_block_size,
							100, 2, 100000,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("customer_unify.realtime_candidates",
							"Candidates a row resolved in real time is compared with, at most.",
							"The records sharing the most blocking keys with the new row, the most recent first "
							"among equals; bounds the work of one INSERT.",
							&realtime_candidates,
							20, 1, 10000,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
	DefineCustomRealVariable("customer_unify.mood_half_life",
							 "Days after which a feedback weighs half as much in cu_mood.",
							 "cu_mood(score, at, half_life) is the same aggregate with the half-life as an argument.",
							 &mood_half_life_days,
							 30.0, 0.001, 36500.0,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	MarkGUCPrefixReserved("customer_unify");
}
