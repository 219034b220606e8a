# Golden records in parallel plans: every survivorship aggregate has a
# combine function and a serialized state, so a parallel plan aggregates
# partial states in worker processes and combines them in the leader.  Check
# that it does (Partial Aggregate under a Gather, with 2 workers) and that
# every aggregate gives, customer by customer, what the serial plan gives, on
# a table of half a million rows with placeholders, NULLs and ties.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('golden');
$node->init;
$node->append_conf('postgresql.conf', "max_parallel_workers_per_gather = 2\nmax_worker_processes = 8");
$node->start;

$node->safe_psql('postgres', q{
	CREATE EXTENSION customer_unify;
	CREATE TABLE recs AS
	SELECT g % 20000 AS customer_id,
	       (ARRAY['jean@exemple.fr', 'N/A', 'jp.dupont@exemple.fr', '', 'test@test.com', 'jean@exemple',
	              NULL, 'zoé@exemple.fr'])[1 + (g / 20000 * 3 + g * 7) % 8] AS email,
	       (ARRAY['06 12 34 56 78', '0000000000', '+33 6 98 76 54 32', '12', NULL])[1 + (g / 20000 + g * 3) % 5] AS phone,
	       (ARRAY['Rennes', 'inconnu', 'Brest', 'Saint-Malo', '東京'])[1 + (g / 20000 * 2 + g) % 5] AS city,
	       timestamptz '2020-01-01' + (g::bigint * 7919 % 50000) * interval '1 hour' AS at,
	       (g % 4) / 4.0 AS trust,
	       (ARRAY['shop', 'web', 'callcenter'])[1 + (g / 20000 + g) % 3] AS source
	FROM generate_series(1, 500000) AS g;
	ANALYZE recs;
});

my $query = q{
	SELECT customer_id,
	       customer_unify.cu_most_recent(email, at, 'email') AS recent,
	       customer_unify.cu_oldest(city, at) AS oldest,
	       customer_unify.cu_most_frequent(email, at) AS frequent,
	       customer_unify.cu_most_frequent(phone, at, 'phone') AS frequent_phone,
	       customer_unify.cu_most_trusted(phone, trust, at, 'phone') AS trusted,
	       customer_unify.cu_longest(city) AS longest,
	       customer_unify.cu_shortest(email, 'email') AS shortest,
	       (customer_unify.cu_most_complete(r, at)).email AS complete,
	       customer_unify.cu_golden(jsonb_build_object('_id', at::text, 'email', email, 'phone', phone, 'city', city),
	                                source, at) AS golden
	FROM recs r GROUP BY customer_id};

# a sorted group aggregate, so that the partial states must be combined
my $force_parallel = q{SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
	SET min_parallel_table_scan_size = 0; SET enable_hashagg = off;};
my $plan = $node->safe_psql('postgres', "$force_parallel EXPLAIN (COSTS OFF) $query");
like($plan, qr/Partial GroupAggregate/, 'the aggregates run partially in parallel workers');
like($plan, qr/Finalize GroupAggregate/, 'and the leader combines their states');
like($plan, qr/Workers Planned: 2/, 'two workers are planned');

my $out = $node->safe_psql('postgres', qq{
	SET max_parallel_workers_per_gather = 0;
	CREATE TABLE serial_result AS $query;
	SET max_parallel_workers_per_gather = 2;
	$force_parallel
	CREATE TABLE parallel_result AS $query;
	SELECT (SELECT count(*) FROM serial_result),
	       (SELECT count(*) FROM serial_result s FULL JOIN parallel_result p USING (customer_id)
	        WHERE (s.*) IS DISTINCT FROM (p.*)),
	       (SELECT count(*) FROM serial_result WHERE recent IS NOT NULL AND golden IS NOT NULL);
});
my ($customers, $differing, $filled) = split /\|/, $out;
is($customers, 20000, 'every customer has a row');
is($filled, 20000, 'every customer has a most recent valid e-mail and a golden record');
is($differing, 0, 'the parallel plan gives, customer by customer, the serial result');

# hashed: each worker hashes its share of the groups, the leader combines
# (with forty-odd distinct values per customer, cu_most_frequent's states
# index their values, and combine through the index)
my $hashed = q{SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
	SET min_parallel_table_scan_size = 0; SET enable_sort = off;};
my $many = q{
	SELECT g % 2000 AS customer_id, CASE WHEN g % 7 = 0 THEN 'N/A' ELSE 'v' || (g * 37 % 43) END AS v,
	       timestamptz '2020-01-01' + (g::bigint * 7919 % 50000) * interval '1 hour' AS at
	FROM generate_series(1, 300000) AS g};
my $many_query = q{
	SELECT customer_id, customer_unify.cu_most_frequent(v, at) AS frequent, customer_unify.cu_most_recent(v, at) AS recent
	FROM many GROUP BY customer_id};
$node->safe_psql('postgres', "CREATE TABLE many AS $many; ANALYZE many;");
$plan = $node->safe_psql('postgres', "$hashed EXPLAIN (COSTS OFF) $many_query");
like($plan, qr/Partial HashAggregate/, 'hashed: the aggregates run partially in parallel workers');
$out = $node->safe_psql('postgres', qq{
	SET max_parallel_workers_per_gather = 0;
	CREATE TABLE many_serial AS $many_query;
	SET max_parallel_workers_per_gather = 2;
	$hashed
	CREATE TABLE many_parallel AS $many_query;
	SELECT (SELECT count(*) FROM many_serial WHERE frequent IS NOT NULL),
	       (SELECT count(*) FROM many_serial s FULL JOIN many_parallel p USING (customer_id)
	        WHERE (s.*) IS DISTINCT FROM (p.*));
});
($filled, $differing) = split /\|/, $out;
is($filled, 2000, 'hashed: every customer has a most frequent value');
is($differing, 0, 'hashed: the parallel plan gives, customer by customer, the serial result');

# the workers really ran: a parallel plan with the same result as above
my $ran = $node->safe_psql('postgres', "$force_parallel EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) "
	. "SELECT customer_id, customer_unify.cu_most_frequent(email, at) FROM recs GROUP BY customer_id");
like($ran, qr/Workers Launched: [12]/, 'parallel workers were launched');

$node->stop;
done_testing();
