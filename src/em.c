/*
 * em.c
 *	  Training of the match model: expectation-maximisation of the m and u
 *	  probabilities and of the prior over the comparison patterns of the
 *	  candidate pairs (cu_estimate_model, called by cu_train).
 *
 * Pairs are given as their distinct comparison patterns with counts, so an
 * iteration costs the number of patterns, not of pairs.  Pairs the user
 * labelled keep their label as their match probability; the others get it
 * from the current model (E step).  m and u are then the weighted level
 * frequencies among matches and non-matches (M step), with a little additive
 * smoothing so that no level ever has probability zero.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "model.h"

/* Pseudo-count added to every level in the M step. */
#define EM_SMOOTHING 0.001

/* EM stops when no probability moves by more than this. */
#define EM_TOLERANCE 1e-7

/* Labels of pattern rows. */
#define LABEL_NONE 0
#define LABEL_MATCH 1
#define LABEL_NONMATCH 2

/* A float8[] argument as a C array of exactly n values without NULLs. */
static double *
Float8ArrayArg(ArrayType *arr, int n, const char *what)
{
	Datum	   *elems;
	bool	   *nulls;
	int			count;
	double	   *out;

	deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &count);
	if (count != n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must have %d elements, got %d", what, n, count)));
	out = palloc(sizeof(double) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL", what)));
		out[i] = DatumGetFloat8(elems[i]);
	}
	return out;
}

/* An int2[] argument as a C array of ints (NULLs refused). */
static int *
Int2ArrayArg(ArrayType *arr, int *n, const char *what)
{
	Datum	   *elems;
	bool	   *nulls;
	int			count;
	int		   *out;

	deconstruct_array(arr, INT2OID, 2, true, TYPALIGN_SHORT, &elems, &nulls, &count);
	out = palloc(sizeof(int) * Max(count, 1));
	for (int i = 0; i < count; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL", what)));
		out[i] = DatumGetInt16(elems[i]);
	}
	*n = count;
	return out;
}

static void
AppendProbabilities(StringInfo buf, const char *key, const double *p, const int *offset,
					const int *nlevels, int ncomp)
{
	appendStringInfo(buf, ", \"%s\": [", key);
	for (int c = 0; c < ncomp; c++)
	{
		appendStringInfoString(buf, c ? ", [" : "[");
		for (int l = 0; l < nlevels[c]; l++)
			appendStringInfo(buf, "%s%.17g", l ? ", " : "", p[offset[c] + l]);
		appendStringInfoChar(buf, ']');
	}
	appendStringInfoChar(buf, ']');
}

/*
 * cu_estimate_model(gammas int2[][], counts float8[], labels int2[],
 *					 nlevels int2[], m float8[], u float8[], prior float8,
 *					 u_strength float8, max_iterations int, fix_m boolean) returns jsonb
 *
 * gammas holds one comparison pattern per row (a level per comparison, -1
 * for missing), counts how many pairs show it, labels whether they are
 * unlabelled (0), labelled matches (1) or labelled non-matches (2).  m and u
 * are the starting probabilities, the levels of all comparisons one after
 * the other.  The starting u (of random pairs) is also a Dirichlet prior on
 * u worth u_strength pairs: the candidate pairs of different people refine
 * it, but a level that few of them show cannot drift to 0 (Infinity keeps u
 * fixed).  With fix_m, m stays as given too and only the prior is
 * estimated.  Returns {prior, m, u, iterations, converged, log_likelihood}.
 */
PG_FUNCTION_INFO_V1(cu_estimate_model);
Datum
cu_estimate_model(PG_FUNCTION_ARGS)
{
	ArrayType  *gammas = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *counts_arr = PG_GETARG_ARRAYTYPE_P(1);
	ArrayType  *labels_arr = PG_GETARG_ARRAYTYPE_P(2);
	ArrayType  *nlevels_arr = PG_GETARG_ARRAYTYPE_P(3);
	double		prior = PG_GETARG_FLOAT8(6);
	double		u_strength = PG_GETARG_FLOAT8(7);
	bool		fix_u = isinf(u_strength);
	double	   *u_start;
	int			max_iterations = PG_GETARG_INT32(8);
	bool		fix_m = PG_GETARG_BOOL(9);
	int			ncomp;
	int		   *nlevels = Int2ArrayArg(nlevels_arr, &ncomp, "nlevels");
	int		   *offset = palloc(sizeof(int) * Max(ncomp, 1));
	int			nparams = 0;
	int			npatterns;
	int			ngamma;
	int		   *gamma;
	int		   *labels;
	int			nlabels;
	double	   *counts;
	double	   *m;
	double	   *u;
	double	   *msum;
	double	   *usum;
	int			iteration;
	bool		converged = false;
	double		loglik = 0.0;
	StringInfoData buf;

	for (int c = 0; c < ncomp; c++)
	{
		if (nlevels[c] < 2 || nlevels[c] > MODEL_MAX_LEVELS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a comparison must have 2 to %d levels, got %d", MODEL_MAX_LEVELS, nlevels[c])));
		offset[c] = nparams;
		nparams += nlevels[c];
	}
	if (!(prior > 0 && prior < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the starting prior must be between 0 and 1, got %g", prior)));
	if (max_iterations < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_iterations must be at least 1")));
	if (!(u_strength >= 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("u_strength must be zero or more, got %g", u_strength)));
	m = Float8ArrayArg(PG_GETARG_ARRAYTYPE_P(4), nparams, "m");
	u = Float8ArrayArg(PG_GETARG_ARRAYTYPE_P(5), nparams, "u");
	u_start = palloc(sizeof(double) * Max(nparams, 1));
	memcpy(u_start, u, sizeof(double) * nparams);

	gamma = Int2ArrayArg(gammas, &ngamma, "gammas");
	if (ncomp == 0)
		npatterns = 0;
	else
	{
		if (ngamma > 0 && (ARR_NDIM(gammas) != 2 || ARR_DIMS(gammas)[1] != ncomp))
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("gammas must be a two-dimensional array with %d levels per row", ncomp)));
		npatterns = ngamma / ncomp;
	}
	counts = Float8ArrayArg(counts_arr, npatterns, "counts");
	labels = Int2ArrayArg(labels_arr, &nlabels, "labels");
	if (nlabels != npatterns)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("labels must have %d elements, got %d", npatterns, nlabels)));
	for (int p = 0; p < npatterns; p++)
	{
		if (labels[p] < LABEL_NONE || labels[p] > LABEL_NONMATCH)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("labels must be 0 (unknown), 1 (match) or 2 (non-match), got %d", labels[p])));
		if (!(counts[p] >= 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("counts must not be negative")));
		for (int c = 0; c < ncomp; c++)
		{
			int			g = gamma[p * ncomp + c];

			if (g < -1 || g >= nlevels[c])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("level %d out of range for comparison %d (%d levels)", g, c + 1, nlevels[c])));
		}
	}
	for (int i = 0; i < nparams; i++)
		if (!(m[i] > 0 && m[i] <= 1 && u[i] > 0 && u[i] <= 1))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("starting m and u probabilities must be in (0, 1]")));

	msum = palloc(sizeof(double) * Max(nparams, 1));
	usum = palloc(sizeof(double) * Max(nparams, 1));
	for (iteration = 1; iteration <= max_iterations; iteration++)
	{
		double		matched = 0.0;
		double		unlabelled = 0.0;
		double		unlabelled_matched = 0.0;
		double		change = 0.0;
		double		lp = log(prior);
		double		lq = log(1.0 - prior);

		CHECK_FOR_INTERRUPTS();
		memset(msum, 0, sizeof(double) * nparams);
		memset(usum, 0, sizeof(double) * nparams);
		loglik = 0.0;
		for (int p = 0; p < npatterns; p++)
		{
			const int  *g = &gamma[p * ncomp];
			double		lm = lp;
			double		lu = lq;
			double		r;

			for (int c = 0; c < ncomp; c++)
				if (g[c] >= 0)
				{
					lm += log(m[offset[c] + g[c]]);
					lu += log(u[offset[c] + g[c]]);
				}
			/* the probability of a match, computed stably from the logs */
			if (labels[p] == LABEL_MATCH)
				r = 1.0;
			else if (labels[p] == LABEL_NONMATCH)
				r = 0.0;
			else
			{
				r = 1.0 / (1.0 + exp(lu - lm));
				unlabelled += counts[p];
				unlabelled_matched += counts[p] * r;
				loglik += counts[p] * (Max(lm, lu) + log1p(exp(-fabs(lm - lu))));
			}
			matched += counts[p] * r;
			for (int c = 0; c < ncomp; c++)
				if (g[c] >= 0)
				{
					msum[offset[c] + g[c]] += counts[p] * r;
					usum[offset[c] + g[c]] += counts[p] * (1.0 - r);
				}
		}
		/* M step */
		for (int c = 0; c < ncomp; c++)
		{
			double		mt = 0.0;
			double		ut = 0.0;

			for (int l = 0; l < nlevels[c]; l++)
			{
				mt += msum[offset[c] + l] + EM_SMOOTHING;
				ut += usum[offset[c] + l] + EM_SMOOTHING + (fix_u ? 0 : u_strength * u_start[offset[c] + l]);
			}
			for (int l = 0; l < nlevels[c]; l++)
			{
				int			i = offset[c] + l;
				double		nm = (msum[i] + EM_SMOOTHING) / mt;
				double		nu = (usum[i] + EM_SMOOTHING + (fix_u ? 0 : u_strength * u_start[i])) / ut;

				if (!fix_m)
				{
					change = Max(change, fabs(nm - m[i]));
					m[i] = nm;
				}
				if (!fix_u)
				{
					change = Max(change, fabs(nu - u[i]));
					u[i] = nu;
				}
			}
		}
		/* the prior of unlabelled pairs, which are the ones to be scored */
		if (unlabelled > 0)
		{
			double		np = unlabelled_matched / unlabelled;

			np = Min(Max(np, 1e-9), 1.0 - 1e-9);
			change = Max(change, fabs(np - prior));
			prior = np;
		}
		else if (npatterns > 0 && matched > 0)
			prior = Min(Max(matched / npatterns, 1e-9), 1.0 - 1e-9);
		if (change < EM_TOLERANCE)
		{
			converged = true;
			break;
		}
	}

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"prior\": %.17g", prior);
	AppendProbabilities(&buf, "m", m, offset, nlevels, ncomp);
	AppendProbabilities(&buf, "u", u, offset, nlevels, ncomp);
	appendStringInfo(&buf, ", \"iterations\": %d, \"converged\": %s, \"log_likelihood\": %.17g}",
					 Min(iteration, max_iterations), converged ? "true" : "false", loglik);
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}
