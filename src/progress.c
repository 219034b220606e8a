/*
 * progress.c
 *	  Progress of long runs (cu_train, cu_resolve) for other sessions: the
 *	  phase is shown at the front of the backend's query text in
 *	  pg_stat_activity, which the cu_progress view reads.  A run's writes are
 *	  invisible to others until it commits, so a table cannot serve.
 */
#include "postgres.h"

#include "fmgr.h"
#include "tcop/tcopprot.h"
#include "utils/backend_status.h"
#include "utils/builtins.h"

/*
 * cu_report_progress(message text): show "customer_unify progress: message"
 * as this backend's activity, followed by the statement being run.
 */
PG_FUNCTION_INFO_V1(cu_report_progress);
Datum
cu_report_progress(PG_FUNCTION_ARGS)
{
	char	   *message = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *activity;

	/* one line, so that the view can cut the message off the query */
	for (char *p = message; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	activity = psprintf("customer_unify progress: %s\n%s", message,
						debug_query_string ? debug_query_string : "");
	pgstat_report_activity(STATE_RUNNING, activity);
	pfree(activity);
	PG_RETURN_VOID();
}
