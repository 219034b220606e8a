-- test/bench/register_silos.sql: registers the four silos of gen_silos.sql as
-- sources of customer_unify (included by resolve.sql and card.sql with \ir).
SELECT customer_unify.cu_add_source('public.shop_customers', id => 'customer_no', columns => '{
	"given_name": "prenom", "surname": "nom", "email": "email", "phone": "tel",
	"birth_date": "date_naissance", "postcode": "cp", "city": "ville", "address": "adresse"}');
SELECT customer_unify.cu_add_source('public.web_accounts', id => 'account_id', columns => '{
	"given_name": "first_name", "surname": "last_name", "email": "email", "birth_date": "birth_date",
	"postcode": "postcode", "city": "city", "address": "address"}');
SELECT customer_unify.cu_add_source('public.callcenter_contacts', id => 'contact_id', columns => '{
	"full_name": "full_name", "phone": "phone", "email": "email", "postcode": "postcode"}');
SELECT customer_unify.cu_add_source('public.review_authors', id => 'author_id', columns => '{
	"full_name": "display_name", "email": "email", "city": "city"}');
