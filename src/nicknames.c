/*-------------------------------------------------------------------------
 *
 * nicknames.c
 *	  Table of French and English first-name equivalences (nicknames,
 *	  diminutives, short forms, spelling variants, cross-language forms)
 *	  and its lookup functions.
 *
 * The table (NicknameData) is written for people: one line per canonical
 * name, the canonical label first, then its variants, ended by NULL.  Each
 * line is one group; its id is its ordinal in the table.  All strings are in
 * folded form (lower-case ASCII letters only, no accents, hyphens or spaces),
 * the form the caller produces with its ICU transliteration.  Compound names
 * (Jean-Pierre) reach us as separate tokens and are not listed.
 *
 * Design choices:
 *
 * - A variant may belong to several groups ('alex' -> alexandre, alexandra,
 *	 alexis; 'chris' -> christophe, christian, christine, ...): it is simply
 *	 listed on each line.  Two tokens are equivalent when they share a group,
 *	 so the relation is not transitive: 'sandy' matches both 'alexandra' and
 *	 'sandra', which do not match each other.
 *
 * - English and French forms of one name share a group (William/Guillaume,
 *	 Peter/Pierre, John/Jean, James/Jacques, Stephen/Steven/Stéphane/Étienne,
 *	 Mary/Marie/Maria, Catherine/Katherine/Kathryn, ...), because the same
 *	 person is often recorded under either form in bilingual data.  Forms
 *	 from other languages are listed only when common in France or in
 *	 English-speaking countries (José for Joseph, Sacha for Alexandre), plus
 *	 frequent spellings such as Mohamed/Mohammed.
 *
 * - Male and female forms never share a group (Jean/Jeanne, Louis/Louise,
 *	 Daniel/Danielle, Michel/Michèle, François/Françoise): they usually
 *	 denote different people.  Only nicknames used for both (Chris, Alex,
 *	 Dany, Lou, Sam, Charlie, ...) appear on a male and a female line, which
 *	 makes them match either but does not link the two full names.  When a
 *	 spelling is male in one language and female in the other, the French
 *	 reading wins: 'jean' is only the male Jean/John (the English female Jean
 *	 is not covered) and 'laurence' is only the French female name (the
 *	 English male Lawrence is listed under laurent).
 *
 * - Short variants that are mostly surname particles or words ('di', 'les',
 *	 'mo', 'em') are left out.  A few useful ones remain ('al', 'ben', 'don',
 *	 'jo'), so callers should match given-name tokens, not particles.
 *
 * Lookup: the table is in canonical-group order for readability, so a
 * sorted index of (variant, group) pairs is built once per process on first
 * use (one qsort of about 1,300 entries into static arrays, ~40 kB; no
 * palloc), then searched by binary search: O(log n) per lookup, no
 * allocation.  The index array is sized at compile time from the table, so
 * it can never overflow.  The lazy initialisation is a plain init-once flag:
 * this is safe because PostgreSQL backends (and parallel workers) are
 * single-threaded processes; it is not meant for multi-threaded callers.
 *
 * src/nicknames.c
 *
 *-------------------------------------------------------------------------
 */
#ifndef NICKNAMES_STANDALONE
/*
 * PGXS passes -D_GNU_SOURCE on Linux; a hand-run "gcc -std=c11" does not,
 * and strict C11 then hides sigjmp_buf, which postgres.h needs.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "postgres.h"
#else
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#endif

#include "nicknames.h"

/*
 * The equivalence table.  One group per line: canonical label first, then
 * its variants, then NULL.  Sections: male names, female names, unisex names;
 * alphabetical by label within a section.  Keep every entry [a-z]+ and do
 * not repeat a variant within a line.
 */
static const char *const NicknameData[] = {
	/* ---- male names ---- */
	"abraham", "abe", NULL,
	"adrien", "adrian", "adri", NULL,
	"alain", "alan", "allan", "allen", "al", NULL,
	"albert", "al", "bert", "bertie", "bebert", NULL,
	"alexandre", "alexander", "alex", "alec", "sacha", "sasha", NULL,
	"alfred", "alf", "alfie", "al", "fred", "freddy", "freddie", "fredo", NULL,
	"ambroise", "ambrose", NULL,
	"andre", "andrew", "andy", "drew", "dede", NULL,
	"antoine", "anthony", "antony", "tony", "toine", "toto", NULL,
	"archibald", "archie", NULL,
	"arnaud", "arnold", "arnie", "nono", NULL,
	"arthur", "art", "artie", "tutur", NULL,
	"auguste", "august", "gus", "gugusse", NULL,
	"augustin", "gus", "tintin", NULL,
	"barnabe", "barnaby", "barnabas", "barney", NULL,
	"barthelemy", "bartholomew", "bart", NULL,
	"basile", "basil", NULL,
	"baudouin", "baldwin", NULL,
	"benjamin", "ben", "benji", "benjy", "benny", "bennie", NULL,
	"benoit", "benedict", "ben", NULL,
	"bernard", "bernie", "berny", "nanard", "barney", NULL,
	"bertrand", "bert", "bertie", NULL,
	"bradley", "brad", NULL,
	"brian", "bryan", NULL,
	"calvin", "cal", NULL,
	"cedric", "ced", NULL,
	"charles", "charlie", "charly", "chuck", "chas", "chaz", "charlot", NULL,
	"chester", "chet", NULL,
	"christian", "kristian", "chris", "kris", "cricri", NULL,
	"christophe", "christopher", "chris", "kris", "kit", NULL,
	"clayton", "clay", NULL,
	"clement", "clem", NULL,
	"clifford", "cliff", NULL,
	"clinton", "clint", NULL,
	"constantin", "constantine", NULL,
	"curtis", "curt", NULL,
	"cyrille", "cyril", NULL,
	"damien", "damian", NULL,
	"daniel", "dan", "danny", "dany", "dani", NULL,
	"david", "dave", "davy", "davey", NULL,
	"denis", "dennis", "denny", NULL,
	"didier", "didi", NULL,
	"donald", "don", "donnie", "donny", NULL,
	"douglas", "doug", "dougie", NULL,
	"edgar", "ed", "eddie", "eddy", NULL,
	"edmond", "edmund", "ed", "eddie", "eddy", "ned", NULL,
	"edouard", "edward", "ed", "eddie", "eddy", "ted", "teddy", "ned", NULL,
	"edwin", "ed", "eddie", NULL,
	"elie", "elijah", "elias", "eli", NULL,
	"emile", "emil", "mimile", NULL,
	"emmanuel", "emanuel", "immanuel", "manu", "manny", NULL,
	"eric", "erik", "rick", "ricky", NULL,
	"ernest", "ernie", "nenesse", NULL,
	"eugene", "gene", "gegene", NULL,
	"ezechiel", "ezekiel", "zeke", NULL,
	"fabien", "fabian", "fab", NULL,
	"fabrice", "fab", NULL,
	"ferdinand", "ferdie", NULL,
	"florent", "flo", NULL,
	"florian", "flo", NULL,
	"francois", "francis", "frank", "franck", "frankie", "francky", "fanfan", NULL,
	"franklin", "frank", "frankie", NULL,
	"frederic", "frederick", "frederik", "fred", "freddy", "freddie", "fredo", NULL,
	"gabriel", "gabe", "gab", "gaby", NULL,
	"gaspard", "gaspar", "jasper", "caspar", NULL,
	"gauthier", "gautier", "walter", "walt", "wally", NULL,
	"geoffroy", "geoffrey", "jeffrey", "jeffery", "joffrey", "jeff", "geoff", NULL,
	"georges", "george", "georgie", "jojo", NULL,
	"gerald", "gerry", "jerry", NULL,
	"gerard", "gege", "gerry", "jerry", NULL,
	"gilbert", "gil", "bert", "bebert", NULL,
	"gilles", "giles", "gil", NULL,
	"godefroy", "godfrey", NULL,
	"gordon", "gordy", NULL,
	"gregoire", "gregory", "greg", "gregg", NULL,
	"guillaume", "william", "will", "willy", "willie", "bill", "billy", "liam", "guilhem", "guigui", NULL,
	"gustave", "gustav", "gus", "tatave", NULL,
	"harold", "harry", "hal", NULL,
	"henri", "henry", "harry", "hank", "hal", "riri", "riton", NULL,
	"herbert", "herb", "herbie", "bert", NULL,
	"hippolyte", "polo", NULL,
	"howard", "howie", NULL,
	"hubert", "bert", "bebert", NULL,
	"hugues", "hugh", "hughie", "hughes", NULL,
	"ignace", "ignatius", NULL,
	"isaac", "ike", NULL,
	"jacob", "jakob", "jake", NULL,
	"jacques", "james", "jim", "jimmy", "jimmie", "jamie", "jack", "jacky", "jackie", "jacquot", NULL,
	"jean", "john", "johnny", "johnnie", "jon", "jack", "jeannot", NULL,
	"jeremie", "jeremy", "jeremiah", "jerry", "jeje", NULL,
	"jerome", "jerry", "jeje", NULL,
	"jonathan", "jonathon", "johnathan", "jon", "jonny", NULL,
	"joseph", "josef", "jose", "joe", "joey", "jo", "jojo", NULL,
	"joshua", "josh", NULL,
	"jules", "julius", "julot", NULL,
	"julien", "julian", "juju", NULL,
	"kenneth", "ken", "kenny", NULL,
	"kevin", "kev", NULL,
	"laurent", "lawrence", "larry", "lolo", NULL,
	"lazare", "lazarus", NULL,
	"leon", "leo", NULL,
	"leonard", "leo", "len", "lenny", "lennie", NULL,
	"leopold", "leo", NULL,
	"louis", "lewis", "louie", "lou", "loulou", "louison", NULL,
	"luc", "luke", NULL,
	"lucas", "lukas", "luca", "luka", NULL,
	"lucien", "lulu", NULL,
	"ludovic", "ludo", NULL,
	"manuel", "manu", "manny", "manolo", NULL,
	"marc", "mark", NULL,
	"martin", "marty", "tintin", NULL,
	"marvin", "marv", NULL,
	"mathias", "matthias", "matt", "mat", NULL,
	"mathieu", "matthieu", "matthew", "mathew", "matt", "matty", "mat", NULL,
	"maurice", "morris", "momo", NULL,
	"maxence", "max", NULL,
	"maxime", "max", "maxou", NULL,
	"maximilien", "maximilian", "maximillian", "max", NULL,
	"melvin", "mel", NULL,
	"michel", "michael", "micheal", "mickael", "mikael", "mike", "mikey", "mick", "mickey", "micky", "michou", NULL,
	"mitchell", "mitch", NULL,
	"mohamed", "mohammed", "mohamad", "mohammad", "muhammad", "muhammed", "mouhamed", "momo", NULL,
	"nathan", "nat", "nate", "nath", NULL,
	"nathanael", "nathaniel", "nat", "nate", "nath", NULL,
	"nicolas", "nicholas", "nickolas", "nick", "nicky", "nico", "colas", NULL,
	"noe", "noah", NULL,
	"norbert", "bert", "nono", NULL,
	"norman", "norm", NULL,
	"octave", "tatave", NULL,
	"olivier", "oliver", "olly", "ollie", NULL,
	"patrick", "pat", "paddy", "patou", NULL,
	"paul", "paulie", "popol", "polo", NULL,
	"perceval", "percival", "percy", NULL,
	"philippe", "philip", "phillip", "filipe", "phil", "pip", NULL,
	"pierre", "peter", "pete", "pierrot", "pierrick", NULL,
	"quentin", "quintin", "quinton", "tintin", NULL,
	"randall", "randy", NULL,
	"randolph", "randy", NULL,
	"raoul", "ralph", NULL,
	"raphael", "rafael", "raph", "rafa", NULL,
	"raymond", "ray", NULL,
	"reginald", "reg", "reggie", NULL,
	"remi", "remy", NULL,
	"richard", "dick", "dickie", "dicky", "rick", "ricky", "rich", "richie", NULL,
	"robert", "bob", "bobby", "bobbie", "rob", "robbie", "robby", "bert", "bertie", "bebert", NULL,
	"roderick", "rod", "roddy", NULL,
	"rodney", "rod", NULL,
	"rodolphe", "rudolph", "rudolf", "rudy", "rudi", NULL,
	"roger", "rog", NULL,
	"roland", "rolland", "rowland", NULL,
	"romain", "roman", NULL,
	"ronald", "ron", "ronnie", "ronny", NULL,
	"russell", "russ", "rusty", NULL,
	"salomon", "solomon", "sol", NULL,
	"samuel", "sam", "sammy", "samy", NULL,
	"sebastien", "sebastian", "seb", "bastien", "bastian", NULL,
	"sidney", "sid", NULL,
	"stanislas", "stanislaus", "stan", NULL,
	"stanley", "stan", NULL,
	"stephane", "etienne", "stephen", "steven", "stephan", "stefan", "steve", "stevie", "steph", "stef", NULL,
	"sylvestre", "sylvester", "sly", NULL,
	"terence", "terrence", "terry", NULL,
	"theodore", "theo", "ted", "teddy", NULL,
	"theophile", "theo", NULL,
	"thibault", "thibaut", "thibaud", "theobald", "tibo", NULL,
	"thierry", "terry", "titi", NULL,
	"thomas", "tom", "tommy", "thom", "toto", NULL,
	"timothee", "timothy", "tim", "timmy", NULL,
	"tobie", "tobias", "toby", NULL,
	"valentin", "val", "tintin", NULL,
	"vernon", "vern", NULL,
	"victor", "vic", "totor", NULL,
	"vincent", "vince", "vinny", "vinnie", "vinz", NULL,
	"wesley", "wes", NULL,
	"wilfried", "wilfrid", "fred", NULL,
	"xavier", "xav", "xavi", NULL,
	"yann", "yannick", "yanick", NULL,
	"yves", "yvon", NULL,
	"zacharie", "zachary", "zachariah", "zacharias", "zach", "zack", "zac", "zak", NULL,

	/* ---- female names ---- */
	"abigail", "abby", "abbie", "gail", NULL,
	"adelaide", "addie", NULL,
	"adele", "adela", NULL,
	"adrienne", "adriana", "adri", NULL,
	"agathe", "agatha", "aggie", NULL,
	"agnes", "aggie", NULL,
	"aimee", "amy", "amie", NULL,
	"alexandra", "alexa", "alex", "lexie", "lexi", "sandy", "sacha", "sasha", NULL,
	"alice", "alix", "allie", "alison", "allison", NULL,
	"amanda", "mandy", NULL,
	"anastasie", "anastasia", "stacy", "stacey", NULL,
	"andree", "andrea", "dede", NULL,
	"angele", "angela", "angie", NULL,
	"angelique", "angelica", "angie", NULL,
	"annabelle", "annabel", "annabella", "bella", "belle", NULL,
	"anne", "ann", "anna", "annie", "anny", "annette", "nanette", "nanou", "nan", "nancy", "ninon", NULL,
	"antoinette", "toinette", "nenette", "toni", NULL,
	"aurelie", "aurelia", "lili", NULL,
	"barbara", "barbe", "barb", "babs", "barbie", NULL,
	"beatrice", "beatrix", "bea", "trixie", NULL,
	"bernadette", "bernie", NULL,
	"berthe", "bertha", NULL,
	"beverly", "beverley", "bev", NULL,
	"brigitte", "bridget", "brigid", "bibi", NULL,
	"carole", "carol", "carrie", NULL,
	"caroline", "carolyn", "carolina", "caro", "carrie", NULL,
	"cassandra", "cassandre", "cassie", NULL,
	"catherine", "katherine", "kathryn", "katharine", "catharine", "cathy", "cathie", "kathy", "kathie",
	"cath", "kath", "kate", "katie", "katy", "kat", "kitty", "kay", "catou", NULL,
	"cecile", "cecilia", "cecily", "cissy", NULL,
	"chantal", "chantale", NULL,
	"charlotte", "charlie", "charly", "lottie", "lotte", NULL,
	"christelle", "chris", NULL,
	"christiane", "chris", "cricri", NULL,
	"christine", "christina", "kristina", "kristine", "chris", "kris", "chrissy", "cricri", "tina", "titine", NULL,
	"claire", "clara", "clare", NULL,
	"claudine", "claudette", NULL,
	"clemence", "clem", NULL,
	"clementine", "clem", "clemmie", NULL,
	"colette", "coco", NULL,
	"constance", "connie", NULL,
	"corinne", "corine", "coco", NULL,
	"cynthia", "cindy", NULL,
	"danielle", "daniele", "dany", "dani", NULL,
	"deborah", "debora", "debra", "deb", "debbie", "debby", NULL,
	"diane", "diana", NULL,
	"dolores", "lola", "lolita", "dolly", NULL,
	"dorothee", "dorothy", "dorothea", "dot", "dottie", "dolly", "dora", NULL,
	"edith", "edie", NULL,
	"eleonore", "eleanor", "elinor", "alienor", "nora", "norah", "ellie", "nell", "nelly", NULL,
	"elisabeth", "elizabeth", "elisa", "eliza", "lisa", "liza", "lise", "lisette", "liz", "lizzie", "lizzy",
	"beth", "betty", "bette", "betsy", "bess", "bessie", "libby", "elsie", "lili", "babette", "babeth", "sissi", NULL,
	"emilie", "emily", "emilia", "millie", "milly", "emmy", "mimi", NULL,
	"emma", "emmy", NULL,
	"emmanuelle", "emanuelle", "manu", NULL,
	"erica", "erika", NULL,
	"eugenie", "eugenia", "genie", NULL,
	"eve", "eva", "evie", NULL,
	"evelyne", "evelyn", "eveline", "evie", NULL,
	"fabienne", "fab", NULL,
	"felicie", "felicia", "felicity", NULL,
	"florence", "flo", "flossie", NULL,
	"francoise", "frances", "fran", "franny", "fanny", "fanfan", "fanchon", NULL,
	"frederique", "frederica", "fred", NULL,
	"gabrielle", "gabriela", "gabriella", "gaby", "gabby", "gabi", NULL,
	"georgette", "georgina", "georgine", "gigi", NULL,
	"gertrude", "gertie", "trudy", NULL,
	"gillian", "jillian", "jill", NULL,
	"ginette", "gigi", NULL,
	"gisele", "giselle", "gigi", NULL,
	"gwendoline", "gwendolyn", "gwen", NULL,
	"helene", "helen", "helena", "ellen", "nell", "nelly", NULL,
	"heloise", "eloise", NULL,
	"henriette", "henrietta", "hetty", "riri", NULL,
	"isabelle", "isabel", "isabella", "isa", "zaza", "bella", "belle", "izzy", "izzie", NULL,
	"jacqueline", "jacquelyn", "jaqueline", "jacky", "jackie", NULL,
	"jeanne", "jane", "joan", "joanne", "joann", "janet", "janette", "jeannette", "jeanette", "jeannine",
	"jeanine", "janine", "jeannie", "janie", "jenny", "nenette", "jo", NULL,
	"jennifer", "jen", "jenn", "jenny", "jennie", NULL,
	"jessica", "jess", "jessie", "jessy", NULL,
	"johanna", "johanne", "joanna", "jo", NULL,
	"josephine", "josette", "josie", "josy", "jo", "jojo", "fifi", NULL,
	"judith", "judy", "judi", NULL,
	"julie", "julia", "juju", NULL,
	"juliette", "juliet", "juju", NULL,
	"karine", "carine", "karen", NULL,
	"kathleen", "cathleen", "kathy", "kath", "kay", NULL,
	"kimberly", "kimberley", "kim", NULL,
	"laetitia", "letitia", "leticia", "letty", "lettie", "tish", NULL,
	"laure", "laura", "laurie", "lolo", NULL,
	"laurence", "lolo", NULL,
	"lea", "leah", NULL,
	"liliane", "lillian", "lily", "lili", NULL,
	"louise", "louisa", "lou", "loulou", "louison", NULL,
	"lucie", "lucy", "luce", "lulu", NULL,
	"lucienne", "lulu", NULL,
	"lucile", "lucille", "lulu", NULL,
	"lydie", "lydia", NULL,
	"madeleine", "madeline", "madelyn", "maddie", "maddy", "mado", NULL,
	"marguerite", "margaret", "margot", "margaux", "margo", "maggie", "maggy", "meg", "peggy", "peg",
	"marge", "margie", "margery", "marjorie", "daisy", "greta", NULL,
	"marianne", "maryanne", NULL,
	"marie", "mary", "maria", "marion", "mariette", "molly", "polly", NULL,
	"marthe", "martha", "mattie", NULL,
	"martine", "tina", "titine", NULL,
	"mathilde", "matilda", "matilde", "maud", "maude", "tilly", "tilda", "mattie", NULL,
	"melanie", "mel", NULL,
	"melissa", "mel", "missy", NULL,
	"michele", "michelle", "micheline", "mimi", "shelly", NULL,
	"mildred", "millie", "milly", NULL,
	"mireille", "mimi", NULL,
	"monique", "monica", NULL,
	"murielle", "muriel", NULL,
	"myriam", "miriam", NULL,
	"nathalie", "natalie", "nat", "nath", "natacha", "natasha", NULL,
	"nicole", "nicolette", "nico", "nicky", "nikki", "coco", NULL,
	"noemie", "naomi", NULL,
	"ophelie", "ophelia", NULL,
	"pamela", "pam", NULL,
	"patricia", "pat", "patty", "patti", "patsy", "tricia", "trish", "trisha", "patou", NULL,
	"paule", "paula", NULL,
	"pauline", "paulina", NULL,
	"penelope", "penny", NULL,
	"philippine", "philippa", "pippa", NULL,
	"priscille", "priscilla", "cilla", NULL,
	"rachel", "rachael", "rachelle", NULL,
	"raphaelle", "raph", NULL,
	"rebecca", "rebekah", "becky", "becca", NULL,
	"regine", "regina", NULL,
	"roberte", "roberta", "bobbie", NULL,
	"rosalie", "rosie", NULL,
	"rose", "rosa", "rosie", "rosy", "rosette", NULL,
	"samantha", "sam", "sammy", NULL,
	"sandra", "sandy", NULL,
	"sandrine", "sandy", NULL,
	"sarah", "sara", "sally", "sadie", NULL,
	"sophie", "sophia", "sofia", "sofie", NULL,
	"stephanie", "stefanie", "steph", "stef", "fanny", NULL,
	"suzanne", "susan", "susanne", "susanna", "sue", "suzy", "suzie", "susie", "suzette", "suzon", NULL,
	"sylvie", "sylvia", NULL,
	"tamara", "tammy", NULL,
	"therese", "theresa", "teresa", "terry", "terri", "tess", "tessa", NULL,
	"tiphaine", "tiffany", "tiphanie", "tiff", NULL,
	"valentine", "val", NULL,
	"valerie", "val", "valou", NULL,
	"vanessa", "nessa", "nessie", NULL,
	"veronique", "veronica", "vero", "ronnie", NULL,
	"victoire", "victoria", "vicky", "vicki", "vickie", "tori", NULL,
	"violette", "violet", NULL,
	"virginie", "virginia", "ginny", "gigi", NULL,
	"vivienne", "viviane", "vivian", "vivi", "viv", NULL,
	"yolande", "yolanda", NULL,

	/* ---- unisex names ---- */
	"alexis", "alex", NULL,
	"camille", "cam", NULL,
	"dominique", "dominic", "dominick", "dom", "domi", NULL,
	"leslie", "lesley", NULL,
};

#define NICKNAME_DATA_LEN ((int) (sizeof(NicknameData) / sizeof(NicknameData[0])))

/* One (variant, group) pair of the sorted lookup index */
typedef struct NicknameEntry
{
	const char *name;			/* folded variant, NUL-terminated */
	int32_t		len;			/* strlen(name) */
	int32_t		group;			/* group id: ordinal of its line */
} NicknameEntry;

/*
 * Lazily built lookup state.  Both arrays are bounded by the number of
 * strings in NicknameData, so they are sized at compile time.
 */
static NicknameEntry NicknameIndex[NICKNAME_DATA_LEN];
static const char *NicknameLabels[NICKNAME_DATA_LEN];
static int	NicknameIndexSize = 0;
static int	NicknameGroupCount = 0;
static bool NicknameIndexBuilt = false;

/*
 * A hash table over the index's distinct names, for lookups in one probe on
 * average (the match model looks up every name it compares): slots hold the
 * index of a name's first entry, or -1.
 */
#define NICKNAME_HASH_SIZE 8192
static int16_t NicknameHash[NICKNAME_HASH_SIZE];

static uint32_t
NicknameHashOf(const char *s, int len)
{
	uint32_t	h = 2166136261u;

	for (int i = 0; i < len; i++)
		h = (h ^ (unsigned char) s[i]) * 16777619u;
	return h & (NICKNAME_HASH_SIZE - 1);
}

/*
 * Order a stored name against a token of known length, like strcmp: both
 * contain only [a-z], so the shorter of two equal prefixes sorts first.
 */
static int
CompareNameToToken(const char *name, int nlen, const char *token, int tlen)
{
	int			cmp = memcmp(name, token, (size_t) (nlen < tlen ? nlen : tlen));

	if (cmp != 0)
		return cmp;
	return (nlen > tlen) - (nlen < tlen);
}

/*
 * qsort comparator of the index: by name, then by group id, so that the
 * groups of one name come out in ascending order.
 */
static int
CompareNicknameEntries(const void *a, const void *b)
{
	const NicknameEntry *ea = (const NicknameEntry *) a;
	const NicknameEntry *eb = (const NicknameEntry *) b;
	int			cmp = CompareNameToToken(ea->name, ea->len, eb->name, eb->len);

	if (cmp != 0)
		return cmp;
	return (ea->group > eb->group) - (ea->group < eb->group);
}

/*
 * Build the sorted (variant, group) index from the readable table, once per
 * process.  Duplicate (variant, group) pairs, which the table should not
 * contain, are dropped so that lookups never report a group twice.
 */
static void
BuildNicknameIndex(void)
{
	int			n = 0;
	int			group = 0;
	bool		at_line_start = true;
	int			i;
	int			kept;

	for (i = 0; i < NICKNAME_DATA_LEN; i++)
	{
		const char *s = NicknameData[i];

		if (s == NULL)
		{
			if (!at_line_start)
				group++;
			at_line_start = true;
			continue;
		}
		if (at_line_start)
			NicknameLabels[group] = s;
		at_line_start = false;
		NicknameIndex[n].name = s;
		NicknameIndex[n].len = (int32_t) strlen(s);
		NicknameIndex[n].group = group;
		n++;
	}
	if (!at_line_start)
		group++;				/* last line without its NULL */

	qsort(NicknameIndex, (size_t) n, sizeof(NicknameEntry), CompareNicknameEntries);

	kept = 0;
	for (i = 0; i < n; i++)
	{
		if (kept > 0 &&
			CompareNicknameEntries(&NicknameIndex[kept - 1], &NicknameIndex[i]) == 0)
			continue;
		NicknameIndex[kept++] = NicknameIndex[i];
	}

	NicknameIndexSize = kept;
	NicknameGroupCount = group;

	StaticAssertStmt(NICKNAME_DATA_LEN < NICKNAME_HASH_SIZE / 2 && NICKNAME_DATA_LEN < 32767,
					 "the nickname hash table is too small");
	memset(NicknameHash, 0xff, sizeof(NicknameHash));
	for (i = 0; i < kept; i++)
	{
		uint32_t	h;

		if (i > 0 && NicknameIndex[i - 1].len == NicknameIndex[i].len &&
			memcmp(NicknameIndex[i - 1].name, NicknameIndex[i].name, NicknameIndex[i].len) == 0)
			continue;
		h = NicknameHashOf(NicknameIndex[i].name, NicknameIndex[i].len);
		while (NicknameHash[h] >= 0)
			h = (h + 1) & (NICKNAME_HASH_SIZE - 1);
		NicknameHash[h] = (int16_t) i;
	}
	NicknameIndexBuilt = true;
}

/*
 * Index of the first entry whose name equals the token, or -1 when there is
 * none.  Entries with that name follow it contiguously, by ascending group.
 */
static int
FindFirstEntry(const char *token, int len)
{
	uint32_t	h;

	if (token == NULL || len <= 0)
		return -1;
	if (!NicknameIndexBuilt)
		BuildNicknameIndex();
	for (h = NicknameHashOf(token, len); NicknameHash[h] >= 0; h = (h + 1) & (NICKNAME_HASH_SIZE - 1))
	{
		const NicknameEntry *e = &NicknameIndex[NicknameHash[h]];

		if (e->len == len && memcmp(e->name, token, (size_t) len) == 0)
			return NicknameHash[h];
	}
	return -1;
}

/*
 * Number of consecutive index entries, starting at first, that carry the
 * same name as the entry at first.
 */
static int
EntryRunLength(int first)
{
	int			end = first + 1;

	while (end < NicknameIndexSize &&
		   NicknameIndex[end].len == NicknameIndex[first].len &&
		   memcmp(NicknameIndex[end].name, NicknameIndex[first].name,
				  (size_t) NicknameIndex[first].len) == 0)
		end++;
	return end - first;
}

/*
 * Canonical group ids of a folded token, ascending; see nicknames.h.
 */
int
NicknameGroups(const char *token, int len, int32_t *ids, int max)
{
	int			first;
	int			count;
	int			i;

	if (ids == NULL || max <= 0)
		return 0;
	first = FindFirstEntry(token, len);
	if (first < 0)
		return 0;
	count = EntryRunLength(first);
	if (count > max)
		count = max;
	for (i = 0; i < count; i++)
		ids[i] = NicknameIndex[first + i].group;
	return count;
}

/*
 * Whether two different folded tokens share a group; see nicknames.h.  Both
 * runs of groups are sorted, so a merge finds a common one without a buffer.
 */
bool
NicknamesEquivalent(const char *a, int alen, const char *b, int blen)
{
	int			ia;
	int			ib;
	int			enda;
	int			endb;

	if (a != NULL && b != NULL && alen > 0 && alen == blen &&
		memcmp(a, b, (size_t) alen) == 0)
		return false;
	ia = FindFirstEntry(a, alen);
	if (ia < 0)
		return false;
	ib = FindFirstEntry(b, blen);
	if (ib < 0)
		return false;
	enda = ia + EntryRunLength(ia);
	endb = ib + EntryRunLength(ib);

	while (ia < enda && ib < endb)
	{
		int32_t		ga = NicknameIndex[ia].group;
		int32_t		gb = NicknameIndex[ib].group;

		if (ga == gb)
			return true;
		if (ga < gb)
			ia++;
		else
			ib++;
	}
	return false;
}

/*
 * Canonical label of a group id; see nicknames.h.
 */
const char *
NicknameGroupName(int32_t id)
{
	if (!NicknameIndexBuilt)
		BuildNicknameIndex();
	if (id < 0 || id >= NicknameGroupCount)
		return NULL;
	return NicknameLabels[id];
}
