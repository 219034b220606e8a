/*
 * customer_unify.c
 *	  Module entry point of customer_unify.
 *
 * The SQL-callable functions live in one file per step of the pipeline
 * (normalize.c, phone.c, compare.c, phonetic.c, name_similarity.c, ...).
 * This file only declares the module; settings are registered here as later
 * steps add them.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
