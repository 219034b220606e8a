/*-------------------------------------------------------------------------
 *
 * phonetic.c
 *	  Phonetic keys for customer_unify: Double Metaphone and a French code.
 *
 * This file holds
 *	- DoubleMetaphone(): Lawrence Philips' Double Metaphone with its full
 *	  original rule set (primary and alternate code), written from the
 *	  published description of the algorithm; it gives the same codes as
 *	  contrib/fuzzystrmatch's dmetaphone()/dmetaphone_alt() on ASCII input;
 *	- FrenchPhonetic(): a phonetic key for French names (rules documented
 *	  over the function), in the spirit of SOUNDEX2 / Phonex / FONEM;
 *	- the SQL-callable wrappers cu_double_metaphone(text, int) and
 *	  cu_phonetic_fr(text), which fold their input with FoldString() first.
 *
 * The two cores use no palloc and no PostgreSQL type, so the file compiles
 * standalone with -DPHONETIC_STANDALONE (the fmgr part is then left out) for
 * unit tests.  Both run in time linear in the input and use bounded memory
 * besides their output buffers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PHONETIC_STANDALONE
/* PGXS passes -D_GNU_SOURCE; a bare -std=c11 compile needs it for sigjmp_buf */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "normalize.h"

/* Long scans let the backend react to query cancel. */
#define PHONETIC_INTERRUPT_CHECK() CHECK_FOR_INTERRUPTS()
#else
#include <stdbool.h>
#include <stddef.h>

#define PHONETIC_INTERRUPT_CHECK() ((void) 0)
#endif

#include <limits.h>

#include "phonetic.h"

/* How many characters a core scans between two interrupt checks. */
#define PHONETIC_CHECK_EVERY 4096


/* ------------------------------------------------------------------------
 * Double Metaphone
 * ------------------------------------------------------------------------
 */

/*
 * The original algorithm pads the word with five blanks so that its rules
 * may look past the end; some rules rely on that (e.g. "IER " or a "CH"
 * followed by a blank).  We emulate the padding instead of copying the word.
 */
#define DM_PAD 5

/* Scan state of one Double Metaphone run. */
typedef struct DmState
{
	const char *word;			/* input, not copied, any case */
	int			len;			/* its length in bytes */
	int			last;			/* len - 1 */
	int			slavo;			/* slavo-germanic test: -1 = not yet known */
	int			maxlen;			/* code length limit */
	char	   *primary;
	int			plen;
	char	   *alternate;
	int			alen;
} DmState;

/*
 * Upper-cased byte at pos, a blank inside the virtual padding, NUL elsewhere
 * (before the word or past the padding).  Only ASCII is case-folded.
 */
static inline int
DmAt(const DmState *st, int pos)
{
	int			c;

	if (pos < 0)
		return 0;
	if (pos < st->len)
	{
		c = (unsigned char) st->word[pos];
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		return c;
	}
	if (pos < st->len + DM_PAD)
		return ' ';
	return 0;
}

/* Whether the letter at pos is a vowel (A E I O U Y) of the word itself. */
static inline bool
DmIsVowel(const DmState *st, int pos)
{
	switch (DmAt(st, pos))
	{
		case 'A':
		case 'E':
		case 'I':
		case 'O':
		case 'U':
		case 'Y':
			return pos < st->len;
		default:
			return false;
	}
}

/*
 * Whether one of the '|'-separated upper-case alternatives in alts occurs at
 * pos (padding included).  A position before the word never matches.
 */
static bool
DmMatch(const DmState *st, int pos, const char *alts)
{
	if (pos < 0 || pos >= st->len + DM_PAD)
		return false;
	while (*alts)
	{
		const char *p = alts;
		bool		ok = true;
		int			k = 0;

		for (; *p && *p != '|'; p++, k++)
		{
			if (ok && DmAt(st, pos + k) != (unsigned char) *p)
				ok = false;
		}
		if (ok)
			return true;
		alts = (*p == '|') ? p + 1 : p;
	}
	return false;
}

/*
 * Philips' "slavo-germanic" test: the word contains W, K or CZ (WITZ is
 * covered by W).  Computed once, on first use.
 */
static bool
DmSlavoGermanic(DmState *st)
{
	if (st->slavo < 0)
	{
		int			i;

		st->slavo = 0;
		for (i = 0; i < st->len; i++)
		{
			int			c = DmAt(st, i);

			if (c == 'W' || c == 'K' || (c == 'C' && DmAt(st, i + 1) == 'Z'))
			{
				st->slavo = 1;
				break;
			}
		}
	}
	return st->slavo == 1;
}

/* Append to one code, never past maxlen (the rest would be cut anyway). */
static void
DmAppend(char *code, int *codelen, int maxlen, const char *s)
{
	while (*s && *codelen < maxlen)
		code[(*codelen)++] = *s++;
}

/* Append main to the primary code and alt to the alternate code. */
static void
DmAdd(DmState *st, const char *main, const char *alt)
{
	DmAppend(st->primary, &st->plen, st->maxlen, main);
	DmAppend(st->alternate, &st->alen, st->maxlen, alt);
}

/* Append the same sound to both codes. */
static inline void
DmAddBoth(DmState *st, const char *s)
{
	DmAdd(st, s, s);
}

/* Whether the word begins like a Germanic name (van, von, sch). */
static bool
DmGermanicStart(const DmState *st)
{
	return DmMatch(st, 0, "VAN |VON ") || DmMatch(st, 0, "SCH");
}

/* Step over the letter at cur, and over its double if doubled. */
static inline int
DmSkipDouble(const DmState *st, int cur, int letter)
{
	return (DmAt(st, cur + 1) == letter) ? cur + 2 : cur + 1;
}

/* "CH": Greek/Germanic K, Michael, McHugh, or the English/Spanish tch. */
static int
DmCodeCH(DmState *st, int cur)
{
	/* Michael, but not at the start */
	if (cur > 0 && DmMatch(st, cur, "CHAE"))
	{
		DmAdd(st, "K", "X");
		return cur + 2;
	}
	/* Greek roots at the start: character, charisma, chorus, chemistry */
	if (cur == 0 &&
		(DmMatch(st, cur + 1, "HARAC|HARIS") ||
		 DmMatch(st, cur + 1, "HOR|HYM|HIA|HEM")) &&
		!DmMatch(st, 0, "CHORE"))
	{
		DmAddBoth(st, "K");
		return cur + 2;
	}
	/* Germanic or Greek kh: Bach, orchestra, architect, Wechsler, Christ */
	if (DmGermanicStart(st) ||
		DmMatch(st, cur - 2, "ORCHES|ARCHIT|ORCHID") ||
		DmMatch(st, cur + 2, "T|S") ||
		((DmMatch(st, cur - 1, "A|O|U|E") || cur == 0) &&
		 DmMatch(st, cur + 2, "L|R|N|M|B|H|F|V|W| ")))
		DmAddBoth(st, "K");
	else if (cur > 0)
	{
		/* McHugh */
		if (DmMatch(st, 0, "MC"))
			DmAddBoth(st, "K");
		else
			DmAdd(st, "X", "K");
	}
	else
		DmAddBoth(st, "X");
	return cur + 2;
}

/* C and its many special cases. */
static int
DmCodeC(DmState *st, int cur)
{
	/* Germanic -ach- (Bach, Macher), but not -achi-, -ache- */
	if (cur > 1 && !DmIsVowel(st, cur - 2) && DmMatch(st, cur - 1, "ACH") &&
		DmAt(st, cur + 2) != 'I' &&
		(DmAt(st, cur + 2) != 'E' || DmMatch(st, cur - 2, "BACHER|MACHER")))
	{
		DmAddBoth(st, "K");
		return cur + 2;
	}
	/* Caesar */
	if (cur == 0 && DmMatch(st, cur, "CAESAR"))
	{
		DmAddBoth(st, "S");
		return cur + 2;
	}
	/* Italian chianti */
	if (DmMatch(st, cur, "CHIA"))
	{
		DmAddBoth(st, "K");
		return cur + 2;
	}
	if (DmMatch(st, cur, "CH"))
		return DmCodeCH(st, cur);
	/* Czerny, but not -wicz */
	if (DmMatch(st, cur, "CZ") && !DmMatch(st, cur - 2, "WICZ"))
	{
		DmAdd(st, "S", "X");
		return cur + 2;
	}
	/* focaccia */
	if (DmMatch(st, cur + 1, "CIA"))
	{
		DmAddBoth(st, "X");
		return cur + 3;
	}
	/* double C, but not McClellan */
	if (DmMatch(st, cur, "CC") && !(cur == 1 && DmAt(st, 0) == 'M'))
	{
		/* bellocchio, but not bacchus */
		if (DmMatch(st, cur + 2, "I|E|H") && !DmMatch(st, cur + 2, "HU"))
		{
			/* accident, accede, succeed */
			if ((cur == 1 && DmAt(st, cur - 1) == 'A') ||
				DmMatch(st, cur - 1, "UCCEE|UCCES"))
				DmAddBoth(st, "KS");
			/* bacci, bertucci and other Italian */
			else
				DmAddBoth(st, "X");
			return cur + 3;
		}
		/* Pierce's rule */
		DmAddBoth(st, "K");
		return cur + 2;
	}
	if (DmMatch(st, cur, "CK|CG|CQ"))
	{
		DmAddBoth(st, "K");
		return cur + 2;
	}
	/* soft C; Italian cio, cie, cia vs English */
	if (DmMatch(st, cur, "CI|CE|CY"))
	{
		if (DmMatch(st, cur, "CIO|CIE|CIA"))
			DmAdd(st, "S", "X");
		else
			DmAddBoth(st, "S");
		return cur + 2;
	}
	DmAddBoth(st, "K");
	/* names written "mac caffrey", "mac gregor" */
	if (DmMatch(st, cur + 1, " C| Q| G"))
		return cur + 3;
	if (DmMatch(st, cur + 1, "C|K|Q") && !DmMatch(st, cur + 1, "CE|CI"))
		return cur + 2;
	return cur + 1;
}

/* D: edge, Edgar, dt/dd. */
static int
DmCodeD(DmState *st, int cur)
{
	if (DmMatch(st, cur, "DG"))
	{
		/* edge */
		if (DmMatch(st, cur + 2, "I|E|Y"))
		{
			DmAddBoth(st, "J");
			return cur + 3;
		}
		/* Edgar */
		DmAddBoth(st, "TK");
		return cur + 2;
	}
	DmAddBoth(st, "T");
	if (DmMatch(st, cur, "DT|DD"))
		return cur + 2;
	return cur + 1;
}

/* GH: silent, F (laugh), K, or J (Ghislaine) depending on its neighbours. */
static int
DmCodeGH(DmState *st, int cur)
{
	if (cur > 0 && !DmIsVowel(st, cur - 1))
	{
		DmAddBoth(st, "K");
		return cur + 2;
	}
	/* Ghislane, Ghiradelli */
	if (cur == 0)
	{
		if (DmAt(st, cur + 2) == 'I')
			DmAddBoth(st, "J");
		else
			DmAddBoth(st, "K");
		return cur + 2;
	}
	/* Parker's rule with refinements: Hugh, bough, broughton */
	if ((cur > 1 && DmMatch(st, cur - 2, "B|H|D")) ||
		(cur > 2 && DmMatch(st, cur - 3, "B|H|D")) ||
		(cur > 3 && DmMatch(st, cur - 4, "B|H")))
		return cur + 2;
	/* laugh, McLaughlin, cough, gough, rough, tough */
	if (cur > 2 && DmAt(st, cur - 1) == 'U' &&
		DmMatch(st, cur - 3, "C|G|L|R|T"))
		DmAddBoth(st, "F");
	else if (cur > 0 && DmAt(st, cur - 1) != 'I')
		DmAddBoth(st, "K");
	return cur + 2;
}

/* G: GH, GN, GLI, soft/hard G before E I Y, Germanic and Italian forms. */
static int
DmCodeG(DmState *st, int cur)
{
	int			next = DmAt(st, cur + 1);

	if (next == 'H')
		return DmCodeGH(st, cur);
	if (next == 'N')
	{
		if (cur == 1 && DmIsVowel(st, 0) && !DmSlavoGermanic(st))
			DmAdd(st, "KN", "N");
		/* not e.g. Cagney */
		else if (!DmMatch(st, cur + 2, "EY") && !DmSlavoGermanic(st))
			DmAdd(st, "N", "KN");
		else
			DmAddBoth(st, "KN");
		return cur + 2;
	}
	/* tagliaro */
	if (DmMatch(st, cur + 1, "LI") && !DmSlavoGermanic(st))
	{
		DmAdd(st, "KL", "L");
		return cur + 2;
	}
	/* -ges-, -gep-, -gel-, -gie- at the beginning */
	if (cur == 0 &&
		(next == 'Y' ||
		 DmMatch(st, cur + 1, "ES|EP|EB|EL|EY|IB|IL|IN|IE|EI|ER")))
	{
		DmAdd(st, "K", "J");
		return cur + 2;
	}
	/* -ger-, -gy-, but not danger, ranger, manger, -rgy-, -ogy- */
	if ((DmMatch(st, cur + 1, "ER") || next == 'Y') &&
		!DmMatch(st, 0, "DANGER|RANGER|MANGER") &&
		!DmMatch(st, cur - 1, "E|I") &&
		!DmMatch(st, cur - 1, "RGY|OGY"))
	{
		DmAdd(st, "K", "J");
		return cur + 2;
	}
	/* Italian biaggi; Germanic forms stay hard */
	if (DmMatch(st, cur + 1, "E|I|Y") || DmMatch(st, cur - 1, "AGGI|OGGI"))
	{
		if (DmGermanicStart(st) || DmMatch(st, cur + 1, "ET"))
			DmAddBoth(st, "K");
		/* always soft in the French ending -gier */
		else if (DmMatch(st, cur + 1, "IER "))
			DmAddBoth(st, "J");
		else
			DmAdd(st, "J", "K");
		return cur + 2;
	}
	DmAddBoth(st, "K");
	return DmSkipDouble(st, cur, 'G');
}

/* H: kept only at the start or between vowels, before a vowel. */
static int
DmCodeH(DmState *st, int cur)
{
	if ((cur == 0 || DmIsVowel(st, cur - 1)) && DmIsVowel(st, cur + 1))
	{
		DmAddBoth(st, "H");
		return cur + 2;
	}
	return cur + 1;
}

/* J: Spanish Jose / San Jacinto, initial J (Yankelovich), Spanish -ja-. */
static int
DmCodeJ(DmState *st, int cur)
{
	if (DmMatch(st, cur, "JOSE") || DmMatch(st, 0, "SAN "))
	{
		if ((cur == 0 && DmAt(st, cur + 4) == ' ') || DmMatch(st, 0, "SAN "))
			DmAddBoth(st, "H");
		else
			DmAdd(st, "J", "H");
		return cur + 1;
	}
	if (cur == 0)
		DmAdd(st, "J", "A");
	/* Spanish bajador */
	else if (DmIsVowel(st, cur - 1) && !DmSlavoGermanic(st) &&
			 (DmAt(st, cur + 1) == 'A' || DmAt(st, cur + 1) == 'O'))
		DmAdd(st, "J", "H");
	else if (cur == st->last)
		DmAdd(st, "J", "");
	else if (!DmMatch(st, cur + 1, "L|T|K|S|N|M|B|Z") &&
			 !DmMatch(st, cur - 1, "S|K|L"))
		DmAddBoth(st, "J");
	return DmSkipDouble(st, cur, 'J');
}

/* L: Spanish -illo, -illa, -alle where the LL is a y sound. */
static int
DmCodeL(DmState *st, int cur)
{
	if (DmAt(st, cur + 1) == 'L')
	{
		/* cabrillo, gallegos */
		if ((cur == st->len - 3 && DmMatch(st, cur - 1, "ILLO|ILLA|ALLE")) ||
			((DmMatch(st, st->last - 1, "AS|OS") ||
			  DmMatch(st, st->last, "A|O")) &&
			 DmMatch(st, cur - 1, "ALLE")))
			DmAdd(st, "L", "");
		else
			DmAddBoth(st, "L");
		return cur + 2;
	}
	DmAddBoth(st, "L");
	return cur + 1;
}

/* M: the B of final -umb (dumb, thumbed... plumber) is silent. */
static int
DmCodeM(DmState *st, int cur)
{
	DmAddBoth(st, "M");
	if ((DmMatch(st, cur - 1, "UMB") &&
		 (cur + 1 == st->last || DmMatch(st, cur + 2, "ER"))) ||
		DmAt(st, cur + 1) == 'M')
		return cur + 2;
	return cur + 1;
}

/* P: PH is F; the second letter of PP/PB (Campbell, raspberry) is silent. */
static int
DmCodeP(DmState *st, int cur)
{
	if (DmAt(st, cur + 1) == 'H')
	{
		DmAddBoth(st, "F");
		return cur + 2;
	}
	DmAddBoth(st, "P");
	if (DmMatch(st, cur + 1, "P|B"))
		return cur + 2;
	return cur + 1;
}

/* R: the final R of French -ier (Rogier) is silent, but not in -meier. */
static int
DmCodeR(DmState *st, int cur)
{
	if (cur == st->last && !DmSlavoGermanic(st) &&
		DmMatch(st, cur - 2, "IE") && !DmMatch(st, cur - 4, "ME|MA"))
		DmAdd(st, "", "R");
	else
		DmAddBoth(st, "R");
	return DmSkipDouble(st, cur, 'R');
}

/* SC: Schlesinger's rule, Dutch sch-, soft sce/sci, hard sk. */
static int
DmCodeSC(DmState *st, int cur)
{
	if (DmAt(st, cur + 2) == 'H')
	{
		/* Dutch origin: school, schooner; Schermerhorn, Schenker */
		if (DmMatch(st, cur + 3, "OO|ER|EN|UY|ED|EM"))
		{
			if (DmMatch(st, cur + 3, "ER|EN"))
				DmAdd(st, "X", "SK");
			else
				DmAddBoth(st, "SK");
			return cur + 3;
		}
		if (cur == 0 && !DmIsVowel(st, 3) && DmAt(st, 3) != 'W')
			DmAdd(st, "X", "S");
		else
			DmAddBoth(st, "X");
		return cur + 3;
	}
	if (DmMatch(st, cur + 2, "I|E|Y"))
		DmAddBoth(st, "S");
	else
		DmAddBoth(st, "SK");
	return cur + 3;
}

/* S: island, sugar, SH, -sion/-sia, Schmidt/Smith, SZ, SC, French -ais. */
static int
DmCodeS(DmState *st, int cur)
{
	/* island, isle, Carlisle, Carlysle */
	if (DmMatch(st, cur - 1, "ISL|YSL"))
		return cur + 1;
	/* sugar- */
	if (cur == 0 && DmMatch(st, cur, "SUGAR"))
	{
		DmAdd(st, "X", "S");
		return cur + 1;
	}
	if (DmMatch(st, cur, "SH"))
	{
		/* Germanic -sheim, -shoek, -sholm, -sholz */
		if (DmMatch(st, cur + 1, "HEIM|HOEK|HOLM|HOLZ"))
			DmAddBoth(st, "S");
		else
			DmAddBoth(st, "X");
		return cur + 2;
	}
	/* Italian and Armenian -sio-, -sia-, -sian */
	if (DmMatch(st, cur, "SIO|SIA") || DmMatch(st, cur, "SIAN"))
	{
		if (!DmSlavoGermanic(st))
			DmAdd(st, "S", "X");
		else
			DmAddBoth(st, "S");
		return cur + 3;
	}
	/* Smith vs Schmidt, Snider vs Schneider; Slavic -sz- */
	if ((cur == 0 && DmMatch(st, cur + 1, "M|N|L|W")) ||
		DmMatch(st, cur + 1, "Z"))
	{
		DmAdd(st, "S", "X");
		return DmMatch(st, cur + 1, "Z") ? cur + 2 : cur + 1;
	}
	if (DmMatch(st, cur, "SC"))
		return DmCodeSC(st, cur);
	/* French Resnais, Artois */
	if (cur == st->last && DmMatch(st, cur - 2, "AI|OI"))
		DmAdd(st, "", "S");
	else
		DmAddBoth(st, "S");
	if (DmMatch(st, cur + 1, "S|Z"))
		return cur + 2;
	return cur + 1;
}

/* T: -tion, -tia, -tch, TH (theta, or T in Thomas and Germanic names). */
static int
DmCodeT(DmState *st, int cur)
{
	if (DmMatch(st, cur, "TION"))
	{
		DmAddBoth(st, "X");
		return cur + 3;
	}
	if (DmMatch(st, cur, "TIA|TCH"))
	{
		DmAddBoth(st, "X");
		return cur + 3;
	}
	if (DmMatch(st, cur, "TH") || DmMatch(st, cur, "TTH"))
	{
		/* Thomas, Thames, or Germanic */
		if (DmMatch(st, cur + 2, "OM|AM") || DmGermanicStart(st))
			DmAddBoth(st, "T");
		else
			DmAdd(st, "0", "T");
		return cur + 2;
	}
	DmAddBoth(st, "T");
	if (DmMatch(st, cur + 1, "T|D"))
		return cur + 2;
	return cur + 1;
}

/* W: WR, initial W (Wasserman/Vasserman), Arnow/Arnoff, -ewski, -witz. */
static int
DmCodeW(DmState *st, int cur)
{
	if (DmMatch(st, cur, "WR"))
	{
		DmAddBoth(st, "R");
		return cur + 2;
	}
	if (cur == 0 && (DmIsVowel(st, cur + 1) || DmMatch(st, cur, "WH")))
	{
		/* Wasserman vs Vasserman; Uomo vs Womo */
		if (DmIsVowel(st, cur + 1))
			DmAdd(st, "A", "F");
		else
			DmAddBoth(st, "A");
	}
	/* Arnow vs Arnoff; Polish -ewski; Germanic sch- */
	if ((cur == st->last && DmIsVowel(st, cur - 1)) ||
		DmMatch(st, cur - 1, "EWSKI|EWSKY|OWSKI|OWSKY") ||
		DmMatch(st, 0, "SCH"))
	{
		DmAdd(st, "", "F");
		return cur + 1;
	}
	/* Polish filipowicz */
	if (DmMatch(st, cur, "WICZ|WITZ"))
	{
		DmAdd(st, "TS", "FX");
		return cur + 4;
	}
	return cur + 1;
}

/* X: silent in French final -eaux, -iaux, -aux, -oux; KS otherwise. */
static int
DmCodeX(DmState *st, int cur)
{
	if (!(cur == st->last &&
		  (DmMatch(st, cur - 3, "IAU|EAU") || DmMatch(st, cur - 2, "AU|OU"))))
		DmAddBoth(st, "KS");
	if (DmMatch(st, cur + 1, "C|X"))
		return cur + 2;
	return cur + 1;
}

/* Z: Chinese ZH (Zhao), Slavic/Italian -zo-, -zi-, -za- (TS alternate). */
static int
DmCodeZ(DmState *st, int cur)
{
	if (DmAt(st, cur + 1) == 'H')
	{
		DmAddBoth(st, "J");
		return cur + 2;
	}
	if (DmMatch(st, cur + 1, "ZO|ZI|ZA") ||
		(DmSlavoGermanic(st) && cur > 0 && DmAt(st, cur - 1) != 'T'))
		DmAdd(st, "S", "TS");
	else
		DmAddBoth(st, "S");
	return DmSkipDouble(st, cur, 'Z');
}

/*
 * Double Metaphone codes of word; see phonetic.h.  The scan stops as soon as
 * both codes are maxlen long, so a long input costs little; it never reads
 * outside word[0 .. len-1].  Besides ASCII letters, the UTF-8 spellings of
 * the letters C-cedilla and N-tilde are recognised (as S and N).
 */
void
DoubleMetaphone(const char *word, int len, int maxlen,
				char *primary, char *alternate)
{
	DmState		st;
	int			cur = 0;
	int			steps = 0;

	if (maxlen < 0)
		maxlen = 0;
	if (word == NULL || len < 0)
		len = 0;
	/* keep len + padding + lookahead within int; codes are full long before */
	if (len > INT_MAX - 64)
		len = INT_MAX - 64;

	st.word = word;
	st.len = len;
	st.last = len - 1;
	st.slavo = -1;
	st.maxlen = maxlen;
	st.primary = primary;
	st.plen = 0;
	st.alternate = alternate;
	st.alen = 0;

	/* silent first letter of GN, KN, PN, WR, PS */
	if (DmMatch(&st, 0, "GN|KN|PN|WR|PS"))
		cur = 1;
	/* initial X is S (Xavier) */
	if (DmAt(&st, 0) == 'X')
	{
		DmAddBoth(&st, "S");
		cur = 1;
	}

	while ((st.plen < maxlen || st.alen < maxlen) && cur < len)
	{
		if (++steps % PHONETIC_CHECK_EVERY == 0)
			PHONETIC_INTERRUPT_CHECK();

		switch (DmAt(&st, cur))
		{
			case 'A':
			case 'E':
			case 'I':
			case 'O':
			case 'U':
			case 'Y':
				/* vowels are coded only at the start, all as A */
				if (cur == 0)
					DmAddBoth(&st, "A");
				cur++;
				break;
			case 'B':
				DmAddBoth(&st, "P");
				cur = DmSkipDouble(&st, cur, 'B');
				break;
			case 'C':
				cur = DmCodeC(&st, cur);
				break;
			case 'D':
				cur = DmCodeD(&st, cur);
				break;
			case 'F':
				DmAddBoth(&st, "F");
				cur = DmSkipDouble(&st, cur, 'F');
				break;
			case 'G':
				cur = DmCodeG(&st, cur);
				break;
			case 'H':
				cur = DmCodeH(&st, cur);
				break;
			case 'J':
				cur = DmCodeJ(&st, cur);
				break;
			case 'K':
				DmAddBoth(&st, "K");
				cur = DmSkipDouble(&st, cur, 'K');
				break;
			case 'L':
				cur = DmCodeL(&st, cur);
				break;
			case 'M':
				cur = DmCodeM(&st, cur);
				break;
			case 'N':
				DmAddBoth(&st, "N");
				cur = DmSkipDouble(&st, cur, 'N');
				break;
			case 'P':
				cur = DmCodeP(&st, cur);
				break;
			case 'Q':
				DmAddBoth(&st, "K");
				cur = DmSkipDouble(&st, cur, 'Q');
				break;
			case 'R':
				cur = DmCodeR(&st, cur);
				break;
			case 'S':
				cur = DmCodeS(&st, cur);
				break;
			case 'T':
				cur = DmCodeT(&st, cur);
				break;
			case 'V':
				DmAddBoth(&st, "F");
				cur = DmSkipDouble(&st, cur, 'V');
				break;
			case 'W':
				cur = DmCodeW(&st, cur);
				break;
			case 'X':
				cur = DmCodeX(&st, cur);
				break;
			case 'Z':
				cur = DmCodeZ(&st, cur);
				break;
			case 0xC3:
				/* UTF-8 C-cedilla (as in Franc,ois) is S, N-tilde is N */
				if (DmAt(&st, cur + 1) == 0x87 || DmAt(&st, cur + 1) == 0xA7)
				{
					DmAddBoth(&st, "S");
					cur += 2;
				}
				else if (DmAt(&st, cur + 1) == 0x91 || DmAt(&st, cur + 1) == 0xB1)
				{
					DmAddBoth(&st, "N");
					cur += 2;
				}
				else
					cur++;
				break;
			default:
				/* blanks, digits and anything else are skipped */
				cur++;
				break;
		}
	}

	primary[st.plen] = '\0';
	alternate[st.alen] = '\0';
}


/* ------------------------------------------------------------------------
 * French phonetic code
 * ------------------------------------------------------------------------
 */

/* Output of one FrenchPhonetic run. */
typedef struct FrOut
{
	char	   *buf;
	int			n;				/* bytes written */
	int			cap;			/* bytes allowed (2 * len) */
	char		last;			/* last sound written, 0 after a digit etc. */
} FrOut;

/* Lower-cased ASCII byte of token at pos, 0 outside [0, len). */
static inline char
FrAt(const char *token, int len, int pos)
{
	unsigned char c;

	if (pos < 0 || pos >= len)
		return 0;
	c = (unsigned char) token[pos];
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	return (char) c;
}

/* Whether c is a written vowel (y included). */
static inline bool
FrIsVowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
		c == 'y';
}

/* Whether c is a vowel of the code (the sounds A E I O U). */
static inline bool
FrIsVowelSound(char c)
{
	return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

/* Whether c is one of e, i, y (which soften a preceding c or g). */
static inline bool
FrIsSoftener(char c)
{
	return c == 'e' || c == 'i' || c == 'y';
}

/*
 * Write the sounds of s, dropping any letter equal to the previous one (so
 * that tt, ck, "sc"+"e" ... give a single sound).
 */
static void
FrEmit(FrOut *o, const char *s)
{
	for (; *s; s++)
	{
		if (*s == o->last)
			continue;
		if (o->n >= o->cap)
			return;
		o->buf[o->n++] = *s;
		o->last = *s;
	}
}

/* Copy a byte unchanged (digit, non-Latin letter); it breaks collapsing. */
static void
FrEmitRaw(FrOut *o, char c)
{
	if (o->n >= o->cap)
		return;
	o->buf[o->n++] = c;
	o->last = 0;
}

/*
 * Whether the n or m at pos closes a nasal vowel: it is followed (in the
 * whole token, silent ending included) neither by a vowel, nor by n, m or h.
 */
static bool
FrNasalAt(const char *token, int len, int pos)
{
	char		c = FrAt(token, len, pos);
	char		next = FrAt(token, len, pos + 1);

	if (c != 'n' && c != 'm')
		return false;
	return !FrIsVowel(next) && next != 'n' && next != 'm' && next != 'h';
}

/*
 * Where the pronounced part of token ends: rules A-D of FrenchPhonetic's
 * header (silent final s/x/z, t/d/p, -er read as e, silent final e).
 */
static int
FrPronouncedEnd(const char *token, int len)
{
	int			end = len;
	bool		stop_dropped = false;
	char		c;

	/* A: plural or silent s, x after au/eu/ou/oi/ai, z of -ez */
	c = FrAt(token, len, end - 1);
	if (end > 2 && c == 'z' && FrAt(token, len, end - 2) == 'e')
	{
		/* -ez is read as a final e sound that is kept (see the header) */
		return end - 1;
	}
	if (end > 2 &&
		((c == 's' && FrAt(token, len, end - 2) != 's') ||
		 (c == 'x' && (FrAt(token, len, end - 2) == 'u' ||
					   (FrAt(token, len, end - 2) == 'i' &&
						(FrAt(token, len, end - 3) == 'o' ||
						 FrAt(token, len, end - 3) == 'a'))))))
		end--;

	/* B: silent t (after a vowel, r or n; and -ault), d, p */
	c = FrAt(token, len, end - 1);
	if (end > 2)
	{
		char		prev = FrAt(token, len, end - 2);

		if (c == 't' &&
			(FrIsVowel(prev) || prev == 'r' || prev == 'n' ||
			 (prev == 'l' && FrAt(token, len, end - 3) == 'u' &&
			  FrAt(token, len, end - 4) == 'a')))
		{
			end--;
			stop_dropped = true;
			/* -ault, -eault: the l is silent too (Renault, Thibeault) */
			if (prev == 'l')
				end--;
		}
		else if (c == 'd' && (prev == 'r' || prev == 'n' || prev == 'u'))
		{
			end--;
			stop_dropped = true;
		}
		else if (c == 'p' &&
				 (prev == 'm' ||
				  (prev == 'u' && FrAt(token, len, end - 3) == 'o')))
		{
			end--;
			stop_dropped = true;
		}
	}

	/* C: -ier, -cher, -ger, -jer, -oyer, -uyer read as a final e */
	if (!stop_dropped && end > 3 &&
		FrAt(token, len, end - 1) == 'r' && FrAt(token, len, end - 2) == 'e')
	{
		char		p = FrAt(token, len, end - 3);
		char		pp = FrAt(token, len, end - 4);

		if (p == 'i' || p == 'h' || p == 'g' || p == 'j' ||
			(p == 'y' && (pp == 'o' || pp == 'u')))
			end--;
	}

	/* D: final e (mute, or an e-acute that folding made ambiguous) */
	while (end > 1 && FrAt(token, len, end - 1) == 'e')
		end--;

	return end;
}

/*
 * French phonetic key of one token; see phonetic.h.
 *
 * The input has been folded (accents removed, lower case), so e/é/è/ê are
 * one letter and a final é cannot be told from a mute e.  The key is built
 * in two steps; letters are ASCII, digits are copied unchanged, bytes of
 * non-Latin letters are copied unchanged and take part in no rule, other
 * bytes are ignored.  The code alphabet is A E I O U (oral vowels; OU is
 * the sound of "ou"), AN IN ON (nasal vowels), Y (yod) and the consonants
 * B D F G J K L M N P R S T V X(=ch) Z; "gn" is NY.
 *
 * Step 1, the pronounced end (FrPronouncedEnd), in this order:
 *	A. a final s (not ss) is dropped (plural, Dubois, Thomas); a final x
 *	   after au/eu/ou/oi/ai (Roux, Deveaux, Lacroix) too.  Other final x
 *	   (Félix, Max) stay: they are heard.  The z of a final -ez is silent
 *	   and the e before it is read é and kept (steps B-D are skipped): in
 *	   French data -ez is mostly the Spanish ending, and keeping its vowel
 *	   keeps Martinez apart from Martin and Lopez apart from Lopes.
 *	B. a final t after a vowel, r or n (Petit, Robert, Dupont), d after r,
 *	   n or u (Bernard, Durand, Renaud) and p after m or ou (Deschamps,
 *	   Leloup) are silent; -ault/-eault also lose their l (Renault ~ Renaud).
 *	   Final c, r, l, f are heard and kept.
 *	C. if B dropped nothing, -ier/-cher/-ger/-jer/-oyer/-uyer lose their r:
 *	   that -er is read é, and é is folded to e (Boucher ~ Bouché).
 *	D. final e's are dropped (mute e, or é that folding made ambiguous):
 *	   Michèle ~ Michel, Renée ~ René, Petie ~ Petit.  The dropped
 *	   letters still serve as right context (soft c/g, nasality: Maurice,
 *	   Serge, Simone) but produce no sound.
 *
 * Step 2, one left-to-right scan of the pronounced part, longest spelling
 * first (the whole code has at most two letters per input byte):
 *	vowels
 *	 a:	aill/ail$ -> AY (Maillard, Bail); ain/aim nasal -> IN (Germain);
 *		ai -> E; ay before a consonant or at the end -> E (Lemay); au -> O;
 *		aw before a consonant -> O; an/am nasal -> AN; else A.
 *	 e:	eau -> O; eill/eil$ -> EY (Mireille); ein/eim nasal -> IN; ei, eu,
 *		and ew/ey before a consonant or at the end -> E (Lefeuvre ~ Lefevre,
 *		Mathiew ~ Mathieu); en/em nasal -> IN after i, y or e at the end
 *		(Julien) and AN elsewhere (Laurent ~ Lorent, Vincent); else E.
 *	 i:	ill after a vowel sound -> Y (Bouillon); ill at the pronounced end,
 *		at the start, after v, m, soft g or before a consonant -> IL
 *		(Camille ~ Kamil, Gilles, Villeneuve); ill before a vowel elsewhere
 *		-> IY (Guillaume ~ Guiyome); in/im nasal -> IN; else I.
 *	 o:	oin nasal -> OUIN; oi, and oy before a consonant or at the end ->
 *		OUA (Leroi ~ Leroy); oy before a vowel -> OUA then yod; ou, oo -> OU;
 *		oeu -> E; ow before a consonant -> O; on/om nasal -> ON; else O.
 *	 u:	un/um nasal -> IN (Lebrun; un and in merged as in today's French);
 *		else U.
 *	 y:	before a vowel: Y at the start or after a vowel sound, IY after a
 *		consonant (Guyot ~ Guillot); yn/ym nasal -> IN; else I (Dupuy ~
 *		Dupuis, Sylvie).
 *	 A vowel followed by n or m is nasal when the next letter (dropped
 *	 ending included) is neither a vowel nor n, m, h: Dupont is DUPON,
 *	 Anne is AN, Catherine keeps an oral "in" (KATERIN).
 *	consonants
 *	 b: silent before v (Lefebvre).  c: ch -> K before r, l, n (Christophe)
 *		and X elsewhere; c before e, i, y -> S (Cimon ~ Simon); c between n
 *		and "oi" -> S (François, folded from ç); else K (Catherine ~
 *		Katherine, ck, cq).  d: silent before t (Schmidt).
 *	 g: gn -> NY (not at the start); gu before e, i, y -> G (Guy); ge
 *		before a, o, u -> J (Georges); g before e, i, y -> J (Girard ~
 *		Jirard); else G.  h: always silent (th -> T, ph -> F, rh -> R).
 *	 j: je before a, o, u -> J (Jean).  p: ph -> F (Philippe ~ Filipe).
 *	 q: qu, q -> K.  s: sch, sh -> X; sc before e, i, y -> S; silent before
 *		n, m after an E sound (Meusnier ~ Meunier, Dufresne) and in a
 *		starting "des" before a consonant (Desmoulins); between two vowel
 *		sounds -> Z (Louise, Rose); else S.
 *	 t: th -> T (Thomas ~ Tomas); t of "tion" -> S; else T.
 *	 w -> V (Wagner).  x -> KS.  k -> K, z -> Z, f, l, m, n, r, v as such.
 *	As the code is written, a letter equal to the previous one is dropped
 *	(tt, ll, ss, nn, ck, sc ...: Chevallier ~ Chevalier, Matthieu ~
 *	Mathieu, Rousseau ~ Rousso); digits are never merged.
 *
 * Why: step 1 removes the letters French does not pronounce at the end of
 * names, which are the main source of spelling variants (Dupont/Dupond,
 * Bernard/Bernart, Dubois/Duboit); step 2 maps each spelling of a sound to
 * one code (au/eau/o, ai/ei/e, c/k/qu, c/s, g/j, ph/f, th/t, y/i) while
 * keeping the distinctions that separate common names (Martin/Mercier,
 * Leroy/Leroux, Moreau/Morel, Lemaire/Lemaitre, Laurent/Lambert).  Faure
 * and Fort share FOR, as they are homophones.
 */
int
FrenchPhonetic(const char *token, int len, char *out)
{
	FrOut		o;
	int			end;
	int			i;
	int			steps = 0;

	if (token == NULL || len <= 0)
	{
		out[0] = '\0';
		return 0;
	}
	/* keep 2 * len and the lookahead within int */
	if (len > INT_MAX / 2 - 8)
		len = INT_MAX / 2 - 8;

	o.buf = out;
	o.n = 0;
	o.cap = 2 * len;
	o.last = 0;

	end = FrPronouncedEnd(token, len);

	i = 0;
	while (i < end)
	{
		char		c = FrAt(token, len, i);
		char		n1 = (i + 1 < end) ? FrAt(token, len, i + 1) : 0;
		char		n2 = (i + 2 < end) ? FrAt(token, len, i + 2) : 0;
		char		n3 = (i + 3 < end) ? FrAt(token, len, i + 3) : 0;
		char		raw1 = FrAt(token, len, i + 1);
		char		raw2 = FrAt(token, len, i + 2);

		if (++steps % PHONETIC_CHECK_EVERY == 0)
			PHONETIC_INTERRUPT_CHECK();

		switch (c)
		{
			case 'a':
				if (n1 == 'i' && n2 == 'l' && (n3 == 'l' || i + 3 == end))
				{
					FrEmit(&o, "AY");
					i += (n3 == 'l') ? 4 : 3;
				}
				else if (n1 == 'i' && FrNasalAt(token, len, i + 2))
				{
					FrEmit(&o, "IN");
					i += 3;
				}
				else if (n1 == 'i')
				{
					FrEmit(&o, "E");
					i += 2;
				}
				else if (n1 == 'y' && !FrIsVowel(n2))
				{
					FrEmit(&o, "E");
					i += 2;
				}
				else if (n1 == 'u' || (n1 == 'w' && !FrIsVowel(n2)))
				{
					FrEmit(&o, "O");
					i += 2;
				}
				else if (FrNasalAt(token, len, i + 1) && n1)
				{
					FrEmit(&o, "AN");
					i += 2;
				}
				else
				{
					FrEmit(&o, "A");
					i++;
				}
				break;

			case 'e':
				if (n1 == 'a' && n2 == 'u')
				{
					FrEmit(&o, "O");
					i += 3;
				}
				else if (n1 == 'i' && n2 == 'l' && (n3 == 'l' || i + 3 == end))
				{
					FrEmit(&o, "EY");
					i += (n3 == 'l') ? 4 : 3;
				}
				else if (n1 == 'i' && FrNasalAt(token, len, i + 2))
				{
					FrEmit(&o, "IN");
					i += 3;
				}
				else if (n1 == 'i' || n1 == 'u' ||
						 ((n1 == 'w' || n1 == 'y') && !FrIsVowel(n2)))
				{
					FrEmit(&o, "E");
					i += 2;
				}
				else if (n1 && FrNasalAt(token, len, i + 1))
				{
					char		prev = FrAt(token, len, i - 1);

					if (i + 2 == end && (prev == 'i' || prev == 'y' || prev == 'e'))
						FrEmit(&o, "IN");
					else
						FrEmit(&o, "AN");
					i += 2;
				}
				else
				{
					FrEmit(&o, "E");
					i++;
				}
				break;

			case 'i':
				if (n1 == 'l' && n2 == 'l')
				{
					if (FrIsVowelSound(o.last))
						FrEmit(&o, "Y");
					else if (i + 3 == end || o.n == 0 || o.last == 'V' ||
							 o.last == 'M' || o.last == 'J' ||
							 !FrIsVowel(n3))
						FrEmit(&o, "IL");
					else
						FrEmit(&o, "IY");
					i += 3;
				}
				else if (n1 && FrNasalAt(token, len, i + 1))
				{
					FrEmit(&o, "IN");
					i += 2;
				}
				else
				{
					FrEmit(&o, "I");
					i++;
				}
				break;

			case 'o':
				if (n1 == 'i' && FrNasalAt(token, len, i + 2))
				{
					FrEmit(&o, "OUIN");
					i += 3;
				}
				else if (n1 == 'i' || (n1 == 'y' && !FrIsVowel(n2)))
				{
					FrEmit(&o, "OUA");
					i += 2;
				}
				else if (n1 == 'y')
				{
					/* oy before a vowel: the y is a yod, coded next */
					FrEmit(&o, "OUA");
					i++;
				}
				else if (n1 == 'e' && n2 == 'u')
				{
					FrEmit(&o, "E");
					i += 3;
				}
				else if (n1 == 'u' || n1 == 'o')
				{
					FrEmit(&o, "OU");
					i += 2;
				}
				else if (n1 == 'w' && !FrIsVowel(n2))
				{
					FrEmit(&o, "O");
					i += 2;
				}
				else if (n1 && FrNasalAt(token, len, i + 1))
				{
					FrEmit(&o, "ON");
					i += 2;
				}
				else
				{
					FrEmit(&o, "O");
					i++;
				}
				break;

			case 'u':
			case 'y':
				if (n1 && FrNasalAt(token, len, i + 1))
				{
					FrEmit(&o, "IN");
					i += 2;
				}
				else if (c == 'u')
				{
					FrEmit(&o, "U");
					i++;
				}
				else
				{
					if (!FrIsVowel(n1))
						FrEmit(&o, "I");
					else if (o.n == 0 || FrIsVowelSound(o.last))
						FrEmit(&o, "Y");
					else
						FrEmit(&o, "IY");
					i++;
				}
				break;

			case 'b':
				if (n1 != 'v')
					FrEmit(&o, "B");
				i++;
				break;

			case 'c':
				if (n1 == 'h')
				{
					if (n2 == 'r' || n2 == 'l' || n2 == 'n')
						FrEmit(&o, "K");
					else
						FrEmit(&o, "X");
					i += 2;
				}
				else if (FrIsSoftener(raw1) ||
						 (FrAt(token, len, i - 1) == 'n' && raw1 == 'o' &&
						  raw2 == 'i'))
				{
					FrEmit(&o, "S");
					i++;
				}
				else
				{
					FrEmit(&o, "K");
					i++;
				}
				break;

			case 'd':
				if (n1 != 't')
					FrEmit(&o, "D");
				i++;
				break;

			case 'g':
				if (n1 == 'n' && i > 0)
				{
					FrEmit(&o, "NY");
					i += 2;
				}
				else if (n1 == 'u' && FrIsSoftener(raw2))
				{
					FrEmit(&o, "G");
					i += 2;
				}
				else if (n1 == 'e' && (n2 == 'a' || n2 == 'o' || n2 == 'u'))
				{
					FrEmit(&o, "J");
					i += 2;
				}
				else if (FrIsSoftener(raw1))
				{
					FrEmit(&o, "J");
					i++;
				}
				else
				{
					FrEmit(&o, "G");
					i++;
				}
				break;

			case 'j':
				FrEmit(&o, "J");
				if (n1 == 'e' && (n2 == 'a' || n2 == 'o' || n2 == 'u'))
					i += 2;
				else
					i++;
				break;

			case 'p':
				if (n1 == 'h')
				{
					FrEmit(&o, "F");
					i += 2;
				}
				else
				{
					FrEmit(&o, "P");
					i++;
				}
				break;

			case 'q':
				FrEmit(&o, "K");
				i += (n1 == 'u') ? 2 : 1;
				break;

			case 's':
				if (n1 == 'c' && n2 == 'h')
				{
					FrEmit(&o, "X");
					i += 3;
				}
				else if (n1 == 'h')
				{
					FrEmit(&o, "X");
					i += 2;
				}
				else if (n1 == 'c' && FrIsSoftener(raw2))
				{
					FrEmit(&o, "S");
					i += 2;
				}
				else if ((o.last == 'E' && (n1 == 'n' || n1 == 'm')) ||
						 (i == 2 && FrAt(token, len, 0) == 'd' &&
						  FrAt(token, len, 1) == 'e' && n1 &&
						  !FrIsVowel(n1) && n1 != 'h' && n1 != 's'))
				{
					/* silent s: Dufresne, Meusnier, Desmoulins */
					i++;
				}
				else
				{
					if (FrIsVowelSound(o.last) && FrIsVowel(raw1))
						FrEmit(&o, "Z");
					else
						FrEmit(&o, "S");
					i++;
				}
				break;

			case 't':
				if (n1 == 'h')
				{
					FrEmit(&o, "T");
					i += 2;
				}
				else
				{
					if (i > 0 && n1 == 'i' && n2 == 'o' && n3 == 'n')
						FrEmit(&o, "S");
					else
						FrEmit(&o, "T");
					i++;
				}
				break;

			case 'h':
				i++;
				break;
			case 'f':
				FrEmit(&o, "F");
				i++;
				break;
			case 'k':
				FrEmit(&o, "K");
				i++;
				break;
			case 'l':
				FrEmit(&o, "L");
				i++;
				break;
			case 'm':
				FrEmit(&o, "M");
				i++;
				break;
			case 'n':
				FrEmit(&o, "N");
				i++;
				break;
			case 'r':
				FrEmit(&o, "R");
				i++;
				break;
			case 'v':
			case 'w':
				FrEmit(&o, "V");
				i++;
				break;
			case 'x':
				FrEmit(&o, "KS");
				i++;
				break;
			case 'z':
				FrEmit(&o, "Z");
				i++;
				break;

			default:
				if ((c >= '0' && c <= '9') || (unsigned char) c >= 0x80)
					FrEmitRaw(&o, c);
				i++;
				break;
		}
	}

	out[o.n] = '\0';
	return o.n;
}



/* ------------------------------------------------------------------------
 * SQL-callable functions
 * ------------------------------------------------------------------------
 */
#ifndef PHONETIC_STANDALONE

PG_FUNCTION_INFO_V1(cu_double_metaphone);
PG_FUNCTION_INFO_V1(cu_phonetic_fr);

/*
 * cu_double_metaphone(text, max_length int DEFAULT 4) RETURNS text[]:
 * {primary, alternate} Double Metaphone codes of the folded text, so that
 * names from any script and accent compare by their English-style sound.
 */
Datum
cu_double_metaphone(PG_FUNCTION_ARGS)
{
	text	   *arg = PG_GETARG_TEXT_PP(0);
	int32		maxlen = PG_GETARG_INT32(1);
	char		primary[CU_DMETAPHONE_MAX_LENGTH + 1];
	char		alternate[CU_DMETAPHONE_MAX_LENGTH + 1];
	char	   *folded;
	int			foldedlen;
	Datum		elems[2];
	ArrayType  *result;

	if (maxlen < 1 || maxlen > CU_DMETAPHONE_MAX_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_length must be between 1 and %d, got %d",
						CU_DMETAPHONE_MAX_LENGTH, maxlen)));

	folded = FoldString(VARDATA_ANY(arg), VARSIZE_ANY_EXHDR(arg), &foldedlen);
	/* the scan checks for interrupts itself and stops once both codes are full */
	DoubleMetaphone(folded, foldedlen, maxlen, primary, alternate);
	pfree(folded);

	elems[0] = PointerGetDatum(cstring_to_text(primary));
	elems[1] = PointerGetDatum(cstring_to_text(alternate));
	result = construct_array(elems, 2, TEXTOID, -1, false, TYPALIGN_INT);

	PG_FREE_IF_COPY(arg, 0);
	PG_RETURN_ARRAYTYPE_P(result);
}

/*
 * cu_phonetic_fr(text) RETURNS text: the French phonetic codes of the
 * space-separated tokens of the folded text, joined by single spaces, so
 * that French spellings of one name (Dupont/Dupond) compare equal.
 */
Datum
cu_phonetic_fr(PG_FUNCTION_ARGS)
{
	text	   *arg = PG_GETARG_TEXT_PP(0);
	char	   *folded;
	int			foldedlen;
	int			maxtoken = 0;
	int			run = 0;
	int			ntokens = 0;
	int			pos;
	char	   *code;
	StringInfoData buf;
	text	   *result;

	folded = FoldString(VARDATA_ANY(arg), VARSIZE_ANY_EXHDR(arg), &foldedlen);

	/* the longest token sizes the scratch buffer for one code */
	for (pos = 0; pos < foldedlen; pos++)
	{
		if (folded[pos] == ' ')
			run = 0;
		else if (++run > maxtoken)
			maxtoken = run;
	}
	if ((Size) maxtoken > (MaxAllocSize - 2) / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cu_phonetic_fr: a word of %d bytes is too long",
						maxtoken)));
	code = (char *) palloc(2 * (Size) maxtoken + 2);

	initStringInfo(&buf);
	pos = 0;
	while (pos < foldedlen)
	{
		int			start;
		int			codelen;

		while (pos < foldedlen && folded[pos] == ' ')
			pos++;
		start = pos;
		while (pos < foldedlen && folded[pos] != ' ')
			pos++;
		if (pos == start)
			break;

		if (++ntokens % 1024 == 0)
			CHECK_FOR_INTERRUPTS();

		codelen = FrenchPhonetic(folded + start, pos - start, code);
		if (codelen > 0)
		{
			if (buf.len > 0)
				appendStringInfoChar(&buf, ' ');
			appendBinaryStringInfo(&buf, code, codelen);
		}
	}

	result = cstring_to_text_with_len(buf.data, buf.len);
	pfree(buf.data);
	pfree(code);
	pfree(folded);
	PG_FREE_IF_COPY(arg, 0);
	PG_RETURN_TEXT_P(result);
}

#endif							/* !PHONETIC_STANDALONE */
