# Real-time resolution over a few thousand rows: rows inserted by the
# hundred join their customers at once, new people get new ids, an
# advisor's split holds, and the identity map rebuilt by a batch run from the
# sources and the decisions agrees with what real time built.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('realtime');
$node->init;
$node->start;

# 3,000 people in a shop silo, a third of them again in a web silo with the
# surname in capitals; homonyms apart by birth date and e-mail
$node->safe_psql('postgres', q{
	CREATE EXTENSION customer_unify;
	CREATE TABLE people AS
	SELECT g AS id,
	       (ARRAY['Jean', 'Marie', 'Pierre', 'Anne', 'Luc', 'Sophie', 'Paul', 'Claire', 'Louis', 'Julie',
	              'Robert', 'Sarah', 'John', 'Mary', 'David', 'Laura', 'Hugo', 'Emma', 'Léa', 'Théo',
	              'Michel', 'Nathalie', 'Olivier', 'Isabelle', 'Nicolas', 'Céline', 'Thomas', 'Camille'])[1 + g % 28] AS given,
	       (ARRAY['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy',
	              'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux',
	              'Vincent', 'Fournier', 'Morel', 'Girard', 'Andre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet',
	              'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Evans'])[1 + (g / 28) % 36] AS family,
	       date '1940-01-01' + (g * 7919) % 25000 AS born
	FROM generate_series(1, 6000) AS g;
	CREATE TABLE shop AS
	SELECT id, given, family, born, lower(translate(given, 'éèëïô', 'eeeio')) || '.' || lower(family) || id || '@exemple.fr' AS email
	FROM people WHERE id <= 3000;
	ALTER TABLE shop ADD PRIMARY KEY (id);
	CREATE TABLE web (id text PRIMARY KEY, given text, family text, born date, email text);
	INSERT INTO web SELECT 'W' || id, given, upper(family), born, email FROM shop WHERE id % 3 = 0;
	SELECT customer_unify.cu_add_source('shop', id => 'id',
		columns => '{"given_name": "given", "surname": "family", "birth_date": "born", "email": "email"}');
	SELECT customer_unify.cu_add_source('web', id => 'id',
		columns => '{"given_name": "given", "surname": "family", "birth_date": "born", "email": "email"}');
	SET client_min_messages = warning;
	SELECT customer_unify.cu_train();
	SELECT customer_unify.cu_resolve();
	SELECT customer_unify.cu_enable_realtime('shop');
	SELECT customer_unify.cu_enable_realtime('web');
});
is($node->safe_psql('postgres', 'SELECT count(*), count(DISTINCT customer_id) FROM customer_unify.cu_identity_map'),
	'4000|3000', 'batch run: 4,000 records, 3,000 customers');

# 500 web accounts of shop customers (surname in capitals, e-mail in upper
# case), inserted in one statement: each row joins its shop customer
$node->safe_psql('postgres', q{
	INSERT INTO web SELECT 'W' || id, given, upper(family), born, upper(email) FROM shop WHERE id % 3 = 1 AND id <= 1500;
});
is($node->safe_psql('postgres', q{
	SELECT count(*) FILTER (WHERE w.customer_id = s.customer_id), count(*)
	FROM customer_unify.cu_identity_map w
	JOIN customer_unify.cu_identity_map s ON s.source = 'shop'::regclass AND 'W' || s.source_id = w.source_id
	WHERE w.source = 'web'::regclass AND substr(w.source_id, 2)::int % 3 = 1}),
	'500|500', '500 new web accounts joined their shop customers at once');

# 300 new people, in the shop, one statement each: 300 new customers
my $max_id = $node->safe_psql('postgres', 'SELECT max(customer_id) FROM customer_unify.cu_identity_map');
$node->safe_psql('postgres', join("\n", map {
	"INSERT INTO shop SELECT id, given, family, born, lower(given) || '.' || lower(family) || id || '\@exemple.fr' FROM people WHERE id = $_;"
} (3001 .. 3300)));
is($node->safe_psql('postgres', qq{
	SELECT count(*), count(DISTINCT customer_id), min(customer_id) > $max_id
	FROM customer_unify.cu_identity_map WHERE source = 'shop'::regclass AND source_id::int > 3000}),
	'300|300|t', '300 new people, 300 new customer ids');

# an advisor splits the web account of customer 3 from its shop record
$node->safe_psql('postgres', q{
	SELECT customer_unify.cu_split(m.customer_id, ARRAY['web'::regclass], ARRAY['W3'])
	FROM customer_unify.cu_identity_map m WHERE m.source = 'shop'::regclass AND m.source_id = '3';
	CREATE TABLE map_realtime AS SELECT * FROM customer_unify.cu_identity_map;
});

# the identity map lost, rebuilt by a batch run from the sources and the
# decisions: the split holds, every record is mapped, and the customers are
# those real time built
$node->safe_psql('postgres', q{
	DELETE FROM customer_unify.cu_identity_map;
	SET client_min_messages = warning;
	SELECT customer_unify.cu_resolve();
});
is($node->safe_psql('postgres', q{
	SELECT (SELECT count(*) FROM customer_unify.cu_identity_map),
	       (SELECT count(*) FROM shop) + (SELECT count(*) FROM web)}),
	'4800|4800', 'rebuilt: every record of the sources is mapped');
is($node->safe_psql('postgres', q{
	SELECT w.customer_id <> s.customer_id FROM customer_unify.cu_identity_map w, customer_unify.cu_identity_map s
	WHERE w.source = 'web'::regclass AND w.source_id = 'W3' AND s.source = 'shop'::regclass AND s.source_id = '3'}),
	't', 'rebuilt: the advisor\'s split holds');
# same partition: every record's set of fellow records is the same
my $same = $node->safe_psql('postgres', q{
	WITH a AS (SELECT source, source_id, customer_id FROM map_realtime),
	     b AS (SELECT source, source_id, customer_id FROM customer_unify.cu_identity_map),
	     sa AS (SELECT x.source, x.source_id, array_agg(y.source::text || ':' || y.source_id ORDER BY y.source::text || ':' || y.source_id) AS fellows
	            FROM a x JOIN a y USING (customer_id) GROUP BY 1, 2),
	     sb AS (SELECT x.source, x.source_id, array_agg(y.source::text || ':' || y.source_id ORDER BY y.source::text || ':' || y.source_id) AS fellows
	            FROM b x JOIN b y USING (customer_id) GROUP BY 1, 2)
	SELECT count(*) FILTER (WHERE sa.fellows = sb.fellows), count(*) FROM sa JOIN sb USING (source, source_id)});
my ($agree, $total) = split /\|/, $same;
note("records in identical customers, real time vs rebuilt: $agree of $total");
cmp_ok($agree / $total, '>=', 0.99, 'rebuilt: at least 99% of the records in the same customers as real time built');

# real time goes on after the rebuild
$node->safe_psql('postgres', q{INSERT INTO web SELECT 'W' || id, given, upper(family), born, email FROM shop WHERE id = 3001});
is($node->safe_psql('postgres', q{
	SELECT w.customer_id = s.customer_id FROM customer_unify.cu_identity_map w, customer_unify.cu_identity_map s
	WHERE w.source = 'web'::regclass AND w.source_id = 'W3001' AND s.source = 'shop'::regclass AND s.source_id = '3001'}),
	't', 'after the rebuild, a new row still joins its customer at once');

$node->stop;
done_testing();
