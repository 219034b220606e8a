/*
 * customer_unify.h
 *	  Declarations shared by every part of customer_unify: module set-up and
 *	  small helpers for reading text arguments and building JSON results.
 */
#ifndef CUSTOMER_UNIFY_H
#define CUSTOMER_UNIFY_H

#include "postgres.h"

#include "utils/jsonb.h"

/*
 * Strings of at most this many characters are decoded into buffers on the
 * stack by the comparators; longer ones are palloc'd.
 */
#define CU_STACK_CHARS 256

/*
 * Long loops call CHECK_FOR_INTERRUPTS() after about this much work (cells of
 * a dynamic-programming table, characters scanned, ...).
 */
#define CU_INTERRUPT_INTERVAL 65536

/* Resolution settings (customer_unify.match_threshold, ...). */
extern double match_threshold;
extern double review_threshold;
extern int	max_block_size;
extern int	realtime_candidates;
extern double mood_half_life_days;

/* Push a string of len bytes into a JSONB being built, as a key or a value. */
static inline void
PushJsonbString(JsonbParseState **ps, JsonbIteratorToken tok, const char *s, int len)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = unconstify(char *, s);
	v.val.string.len = len;
	pushJsonbValue(ps, tok, &v);
}

#endif							/* CUSTOMER_UNIFY_H */
