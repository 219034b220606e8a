# A long cu_resolve can be watched from another session (cu_progress) and
# cancelled; a cancelled run leaves the previous identity map intact and no
# work table behind, and the next run works.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('cancel');
$node->init;
$node->start;

# 40,000 people in a shop silo, half of them again in a web silo with the
# surname in capitals: enough candidate pairs for a run of a few seconds.
# Names repeat (60 first names x 80 surnames): homonyms apart by birth date
# and e-mail.
$node->safe_psql('postgres', q{
	CREATE EXTENSION customer_unify;
	CREATE TABLE shop AS
	SELECT g AS id, given, family, born,
	       lower(translate(given, 'éèëïô', 'eeeio')) || '.' || lower(family) || (g % 97) || '@' ||
	       (ARRAY['gmail.com', 'orange.fr', 'free.fr', 'yahoo.fr', 'outlook.com'])[1 + g % 5] AS email
	FROM (SELECT g,
	             (ARRAY['Jean', 'Marie', 'Pierre', 'Anne', 'Luc', 'Sophie', 'Paul', 'Claire', 'Louis', 'Julie',
	                    'Robert', 'Sarah', 'John', 'Mary', 'David', 'Laura', 'Hugo', 'Emma', 'Léa', 'Théo',
	                    'Michel', 'Nathalie', 'Olivier', 'Isabelle', 'Nicolas', 'Céline', 'Thomas', 'Camille',
	                    'Antoine', 'Manon', 'Julien', 'Chloé', 'Maxime', 'Inès', 'Romain', 'Pauline', 'Vincent',
	                    'Agathe', 'Bernard', 'Monique', 'William', 'Emily', 'James', 'Olivia', 'Henry', 'Grace',
	                    'Oscar', 'Alice', 'Arthur', 'Lucie', 'Gabriel', 'Jade', 'Raphaël', 'Louise', 'Adam',
	                    'Rose', 'Victor', 'Anaïs', 'Simon', 'Margaux'])[1 + g % 60] AS given,
	             (ARRAY['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy',
	                    'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux',
	                    'Vincent', 'Fournier', 'Morel', 'Girard', 'Andre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet',
	                    'Francois', 'Martinez', 'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guerin', 'Muller',
	                    'Henry', 'Roussel', 'Nicolas', 'Perrin', 'Morin', 'Mathieu', 'Clement', 'Gauthier', 'Dumont',
	                    'Lopez', 'Fontaine', 'Chevalier', 'Robin', 'Masson', 'Sanchez', 'Gerard', 'Nguyen', 'Boyer',
	                    'Denis', 'Lemaire', 'Duval', 'Joly', 'Gautier', 'Roger', 'Smith', 'Jones', 'Taylor', 'Brown',
	                    'Williams', 'Wilson', 'Johnson', 'Davies', 'Evans', 'Walker', 'Wright', 'Thompson', 'White',
	                    'Hughes', 'Edwards', 'Green', 'Hall', 'Wood', 'Harris', 'Lewis'])[1 + (g / 60) % 80] AS family,
	             date '1940-01-01' + (g * 7919) % 25000 AS born
	      FROM generate_series(1, 40000) AS g) p;
	ALTER TABLE shop ADD PRIMARY KEY (id);
	CREATE TABLE web AS SELECT 'W' || id AS id, given, upper(family) AS family, born, email FROM shop WHERE id % 2 = 0;
	ALTER TABLE web ADD PRIMARY KEY (id);
	SELECT customer_unify.cu_add_source('shop', id => 'id',
		columns => '{"given_name": "given", "surname": "family", "birth_date": "born", "email": "email"}');
	SELECT customer_unify.cu_add_source('web', id => 'id',
		columns => '{"given_name": "given", "surname": "family", "birth_date": "born", "email": "email"}');
	SET client_min_messages = warning;
	SELECT customer_unify.cu_train();
	SELECT customer_unify.cu_resolve();
	CREATE TABLE map_before AS SELECT * FROM customer_unify.cu_identity_map;
});
is($node->safe_psql('postgres', 'SELECT count(*), count(DISTINCT customer_id) FROM customer_unify.cu_identity_map'),
	'60000|40000', 'first run: 60,000 records, 40,000 customers');

# new rows, so that a completed second run would change the map
$node->safe_psql('postgres', q{
	INSERT INTO shop SELECT id + 100000, given, family, born, 'x' || email FROM shop WHERE id <= 5000;
});

my ($out, $err) = ('', '');
my $run = IPC::Run::start(
	[ 'psql', '-XAtq', '-d', $node->connstr('postgres'), '-c',
	  'SET application_name = long_run; SELECT customer_unify.cu_resolve();' ],
	'>', \$out, '2>', \$err);

# another session sees the phase
ok($node->poll_query_until('postgres',
	q{SELECT count(*) = 1 FROM customer_unify.cu_progress WHERE progress ~ '^cu_resolve [2-5]/5'}),
	'cu_progress shows the running phase');
my $progress = $node->safe_psql('postgres', 'SELECT progress FROM customer_unify.cu_progress');
like($progress, qr{^cu_resolve \d/5 \w+}, "progress reads like a phase: $progress");

$node->safe_psql('postgres',
	q{SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'long_run'});
$run->finish;
like($err, qr/canceling statement due to user request/, 'the run was cancelled');

is($node->safe_psql('postgres', q{
	SELECT count(*) FROM (
		(SELECT * FROM map_before EXCEPT SELECT * FROM customer_unify.cu_identity_map)
		UNION ALL
		(SELECT * FROM customer_unify.cu_identity_map EXCEPT SELECT * FROM map_before)) d}),
	'0', 'the identity map is the one before the cancelled run');
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'customer_unify' AND c.relname LIKE 'cu\_run\_%'}),
	'0', 'no work table is left behind');
is($node->safe_psql('postgres', 'SELECT count(*) FROM customer_unify.cu_progress'), '0',
	'nothing is running any more');

# the next run completes and keeps every existing customer id
$node->safe_psql('postgres', 'SET client_min_messages = warning; SELECT customer_unify.cu_resolve()');
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM map_before b JOIN customer_unify.cu_identity_map m USING (source, source_id)
	WHERE m.customer_id <> b.customer_id}), '0', 'existing customers keep their ids');
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM customer_unify.cu_identity_map m
	JOIN customer_unify.cu_identity_map o ON o.source = m.source AND o.source_id = (m.source_id::int - 100000)::text
	WHERE m.source = 'shop'::regclass AND m.source_id::int > 100000 AND m.customer_id = o.customer_id}),
	'5000', 'the 5,000 new records joined their customers');

$node->stop;
done_testing();
