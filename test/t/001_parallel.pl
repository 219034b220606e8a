# Parallel plans: the comparators are labelled PARALLEL SAFE, so a parallel
# sequential scan may run them in worker processes.  Check that it does, and
# that the result equals the serial plan's (each worker folds, loads the
# nickname table and opens ICU on its own).  Floats are summed as numeric,
# which is exact, so that the order in which workers add them cannot matter.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('parallel');
$node->init;
$node->append_conf('postgresql.conf', "max_parallel_workers_per_gather = 2\nmax_worker_processes = 8");
$node->start;

$node->safe_psql('postgres', q{
	CREATE EXTENSION customer_unify;
	CREATE TABLE names AS
	SELECT g AS id,
	       (ARRAY['Jean-Pierre Dupont', 'Frédérique Le Goff', 'Дмитрий Шостакович', 'Bob Smith',
	              'José Álvarez', '王小明', 'Élodie Gauthier'])[1 + g % 7] || ' ' || g % 13 AS a,
	       (ARRAY['DUPONT Jean Pierre', 'frederique legoff', 'Dmitrij Sostakovic', 'Robert Smith',
	              'Jose Alvarez', 'wang xiao ming', 'Elodie Gautier'])[1 + g % 5] || ' ' || g % 11 AS b
	FROM generate_series(1, 200000) AS g;
	ANALYZE names;
});

my $query = q{
	SELECT sum(customer_unify.cu_name_similarity(a, b)::numeric),
	       sum(customer_unify.cu_jaro_winkler(a, b)::numeric),
	       sum(customer_unify.cu_levenshtein(a, b)),
	       sum(length(customer_unify.cu_fold(a))),
	       sum(length(array_to_string(customer_unify.cu_double_metaphone(a), ','))),
	       sum(length(customer_unify.cu_phonetic_fr(b))),
	       count(customer_unify.cu_normalize_phone('06 12 34 56 ' || lpad((id % 100)::text, 2, '0')))
	FROM names};

my $force_parallel = q{SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;};
my $plan = $node->safe_psql('postgres', "$force_parallel EXPLAIN (COSTS OFF) $query");
like($plan, qr/Partial Aggregate/, 'the functions run in parallel workers, under a partial aggregate');
like($plan, qr/Workers Planned: 2/, 'two workers are planned');

my $parallel = $node->safe_psql('postgres', "$force_parallel $query");
my $serial = $node->safe_psql('postgres', "SET max_parallel_workers_per_gather = 0; $query");
isnt($serial, '', 'the serial plan returns a result');
is($parallel, $serial, 'the parallel plan gives the same result as the serial plan');

$node->stop;
done_testing();
