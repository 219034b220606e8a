/*
 * phone.c
 *	  cu_normalize_phone: phone numbers to E.164 ('+', country calling code,
 *	  national significant number), or NULL when the text cannot be a phone
 *	  number.
 *
 * A number is read in one pass over its UTF-8 text: digits (ASCII or any
 * Unicode decimal digit), an optional leading '+', separators (spaces of any
 * kind, '.', '-', '/', brackets, dashes, invisible format characters) and an
 * optional "tel:" prefix.  An extension marker ("ext", "ext.", "extn",
 * "extension", "x", "poste", "p.", "#", ";ext=") ends the number and the
 * extension is dropped.  Any other character (a letter, '*', ',', an
 * unsupported symbol, invalid UTF-8) means the text is not a phone number.
 *
 * A number written with '+', or with the international call prefix of the
 * region it was written in ("00", or "011" in the NANP), may belong to any
 * country.  Numbers of the countries this file knows (the numbering plans
 * below) are validated on their leading digits and length; a national
 * trunk prefix written after the country code ("+33 (0)6 ...", "+44 020
 * ...") is dropped, except where a leading 0 belongs to the number (Italy:
 * +39 06 ...).  Numbers of other countries are accepted when their calling
 * code is assigned by the ITU and their length fits E.164.
 *
 * A number written in national form is read with the numbering plan of the
 * region: the trunk prefix ('0', or '1' in the NANP) is dropped, and is
 * optional (spreadsheets lose leading zeros).  When the digits are not a
 * valid national number but start with the region's own country code
 * ("33612345678" in France), they are read as an international number.
 *
 * The French plan is shared by the overseas departments: 0262, 0692 ... are
 * Réunion numbers, +262, whether written in Paris or in Saint-Denis (and
 * "+33 692 ..." is read as the +262 number it stands for).
 *
 * Text longer than PHONE_MAX_INPUT_BYTES is not read at all, and reading
 * stops at the first digit beyond PHONE_MAX_DIGITS: a megabyte of digits
 * costs no more than a phone number.
 *
 * The core below uses only the C library and ICU's character properties, so
 * this file compiles without the server headers (-DPHONE_STANDALONE) for
 * unit tests; the fmgr wrapper is at the end.
 */
#ifndef PHONE_STANDALONE
/*
 * The server headers need POSIX declarations (sigjmp_buf), which a strict
 * -std=c11 build hides; PGXS passes -D_GNU_SOURCE, a bare compile does not.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "postgres.h"

#include "access/detoast.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#else
#include <stdbool.h>
#endif

#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>

#include "phone.h"

/*
 * At most this many digits are read: an international prefix (3), a
 * country code and number (15) and a "(0)" (1) fit.  More digits mean the
 * text is not one phone number, and reading stops there.
 */
#define PHONE_MAX_DIGITS 20

/* E.164: country code and national significant number, at most 15 digits */
#define E164_MAX_DIGITS 15

/* Shortest national significant number accepted for other countries */
#define GENERIC_MIN_NSN 4

/*
 * One kind of national significant number (NSN) in a numbering plan: the
 * leading digits (a pattern of digits and [x-y] classes), its length, and
 * the country code of such numbers when it is not the plan's own (the
 * French overseas departments).
 */
typedef struct PhoneRule
{
	const char *lead;
	unsigned char minlen;
	unsigned char maxlen;
	unsigned short cc;
} PhoneRule;

/*
 * A numbering plan: its country code, its national trunk prefix ('\0' when
 * the country has none), an optional extra check of the NSN, and its rules
 * (the first rule whose leading digits match decides; NULL-terminated).
 */
typedef struct PhonePlan
{
	unsigned short cc;
	char		trunk;
	bool		(*check) (const char *nsn, int len);
	const PhoneRule *rules;
} PhonePlan;

/*
 * A region numbers can be written in: its ISO 3166-1 alpha-2 code, its
 * numbering plan, its own country code, its international call prefix, and
 * whether PhoneRegionList shows it (aliases are not shown).
 */
typedef struct PhoneRegion
{
	const char *code;
	const PhonePlan *plan;
	unsigned short cc;
	const char *idd;
	bool		listed;
} PhoneRegion;

/*
 * France and its overseas departments (one plan: 0 + 9 digits).  The
 * departments' blocks come first and carry their own country code: Réunion
 * and Mayotte +262, Guadeloupe, Saint-Barthélemy and Saint-Martin +590,
 * French Guiana +594, Martinique +596.  Everything else is metropolitan:
 * 1-5 geographic, 6-7 mobile, 8 special rates, 9 VoIP.
 */
static const PhoneRule fr_rules[] = {
	{"262", 9, 9, 262},			/* Réunion fixed */
	{"263[01]", 9, 9, 262},		/* Réunion fixed */
	{"269", 9, 9, 262},			/* Mayotte fixed */
	{"639", 9, 9, 262},			/* Mayotte mobile */
	{"69[23]", 9, 9, 262},		/* Réunion mobile */
	{"976[239]", 9, 9, 262},	/* Réunion and Mayotte VoIP */
	{"590", 9, 9, 590},			/* Guadeloupe and islands fixed */
	{"69[01]", 9, 9, 590},		/* Guadeloupe and islands mobile */
	{"976[018]", 9, 9, 590},	/* Guadeloupe VoIP */
	{"594", 9, 9, 594},			/* French Guiana fixed */
	{"694", 9, 9, 594},			/* French Guiana mobile */
	{"976[45]", 9, 9, 594},		/* French Guiana VoIP */
	{"596", 9, 9, 596},			/* Martinique fixed */
	{"69[67]", 9, 9, 596},		/* Martinique mobile */
	{"976[67]", 9, 9, 596},		/* Martinique VoIP */
	{"[1-9]", 9, 9, 0},			/* metropolitan France */
	{NULL, 0, 0, 0}
};

/* Belgium: mobiles 45-49 have 9 digits, every other number 8 */
static const PhoneRule be_rules[] = {
	{"4[5-9]", 9, 9, 0},
	{"[1-9]", 8, 8, 0},
	{NULL, 0, 0, 0}
};

/* Switzerland: 9 digits (fixed 2-6 and 71-91, mobile 75-79, services 8-9) */
static const PhoneRule ch_rules[] = {
	{"[2-9]", 9, 9, 0},
	{NULL, 0, 0, 0}
};

/* Luxembourg: mobiles 6 with 9 digits; other numbers 4 to 11 digits */
static const PhoneRule lu_rules[] = {
	{"6", 9, 9, 0},
	{"[2-57-9]", 4, 11, 0},
	{NULL, 0, 0, 0}
};

/*
 * Germany: mobiles 15x (11 digits), 16x and 17x (10 or 11 digits), service
 * numbers 18x; area codes of 2 to 5 digits plus subscriber numbers give
 * geographic numbers of 6 to 13 digits (700, 800, 900 fall in that range).
 */
static const PhoneRule de_rules[] = {
	{"15", 11, 11, 0},
	{"1[67]", 10, 11, 0},
	{"18", 8, 13, 0},
	{"[2-9]", 6, 13, 0},
	{NULL, 0, 0, 0}
};

/*
 * Spain (no trunk prefix): 9 digits, mobiles 6 and 7, fixed 8 and 9, special
 * rates 80x/90x, corporate numbers 51.
 */
static const PhoneRule es_rules[] = {
	{"51", 9, 9, 0},
	{"[6-9]", 9, 9, 0},
	{NULL, 0, 0, 0}
};

/*
 * Italy (no trunk prefix): fixed numbers keep their leading 0 (+39 06 ...)
 * and have 6 to 11 digits; mobiles 3 (and 43) have 9 or 10; VoIP 55 has 10;
 * toll-free 80x, shared cost 84x, premium 89x.
 */
static const PhoneRule it_rules[] = {
	{"0", 6, 11, 0},
	{"3", 9, 10, 0},
	{"43", 10, 10, 0},
	{"55", 10, 10, 0},
	{"80", 6, 9, 0},
	{"84", 6, 9, 0},
	{"89", 6, 10, 0},
	{NULL, 0, 0, 0}
};

/*
 * United Kingdom: 10 digits; some 01 areas and 0800 numbers have 9.  Mobiles
 * are 7, VoIP 56, corporate 55, non-geographic 3, special rates 8 and 9.
 */
static const PhoneRule gb_rules[] = {
	{"1", 9, 10, 0},
	{"2", 10, 10, 0},
	{"3", 10, 10, 0},
	{"5[56]", 10, 10, 0},
	{"7", 10, 10, 0},
	{"80", 9, 10, 0},
	{"8[47]", 10, 10, 0},
	{"9", 10, 10, 0},
	{NULL, 0, 0, 0}
};

/* North American Numbering Plan: NXX-NXX-XXXX (see NanpCheck) */
static const PhoneRule nanp_rules[] = {
	{"[2-9]", 10, 10, 0},
	{NULL, 0, 0, 0}
};

/*
 * Netherlands: 9 digits (geographic 1-5 and 7, mobile 6, VoIP 85 and 91,
 * corporate 84, 87, 88); free and premium 800 and 90x have 7 to 10 digits;
 * machine-to-machine mobiles 970 have 11.
 */
static const PhoneRule nl_rules[] = {
	{"6[1-68]", 9, 9, 0},
	{"800", 7, 10, 0},
	{"8[4578]", 9, 9, 0},
	{"90[069]", 7, 10, 0},
	{"91", 9, 9, 0},
	{"970", 11, 11, 0},
	{"[1-57]", 9, 9, 0},
	{NULL, 0, 0, 0}
};

/*
 * Portugal (no trunk prefix): 9 digits, fixed 2, VoIP 30, mobiles 9, special
 * rates 6, 7 and 8.
 */
static const PhoneRule pt_rules[] = {
	{"2", 9, 9, 0},
	{"30", 9, 9, 0},
	{"[6-9]", 9, 9, 0},
	{NULL, 0, 0, 0}
};

/*
 * Ireland: Dublin 1 plus 7 digits and 1800/15xx numbers of 10; other areas
 * 7 to 10 digits; VoIP 76 and mobiles 8x have 9.
 */
static const PhoneRule ie_rules[] = {
	{"1", 8, 10, 0},
	{"[2569]", 7, 9, 0},
	{"4", 7, 10, 0},
	{"7", 9, 9, 0},
	{"8", 9, 9, 0},
	{NULL, 0, 0, 0}
};

/*
 * Austria: open numbering (extensions are dialled directly), so only the
 * length range of each leading digit is known: Vienna 1, mobiles 6xx, ...
 */
static const PhoneRule at_rules[] = {
	{"1", 4, 13, 0},
	{"2", 7, 13, 0},
	{"5", 5, 13, 0},
	{"8", 8, 13, 0},
	{"9", 9, 13, 0},
	{"[3467]", 6, 13, 0},
	{NULL, 0, 0, 0}
};

/* Monaco: 8 digits; mobiles 6 have 9 and are dialled 06 nationally */
static const PhoneRule mc_rules[] = {
	{"6", 9, 9, 0},
	{"[3489]", 8, 8, 0},
	{NULL, 0, 0, 0}
};

/* Morocco: 9 digits, fixed 5, mobiles 6 and 7, special 8 */
static const PhoneRule ma_rules[] = {
	{"[5-8]", 9, 9, 0},
	{NULL, 0, 0, 0}
};

/* Algeria: fixed 1-4 with 8 digits; mobiles 5-7, VoIP 9, toll-free 80 with 9 */
static const PhoneRule dz_rules[] = {
	{"[1-4]", 8, 8, 0},
	{"[5-79]", 9, 9, 0},
	{"80", 9, 9, 0},
	{NULL, 0, 0, 0}
};

/* Tunisia (no trunk prefix): 8 digits, fixed 3 and 7, mobiles 2, 4, 5, 9 */
static const PhoneRule tn_rules[] = {
	{"[2-57-9]", 8, 8, 0},
	{NULL, 0, 0, 0}
};

static bool NanpCheck(const char *nsn, int len);

/* The numbering plans validated precisely */
static const PhonePlan fr_plan = {33, '0', NULL, fr_rules};
static const PhonePlan be_plan = {32, '0', NULL, be_rules};
static const PhonePlan ch_plan = {41, '0', NULL, ch_rules};
static const PhonePlan lu_plan = {352, '\0', NULL, lu_rules};
static const PhonePlan de_plan = {49, '0', NULL, de_rules};
static const PhonePlan es_plan = {34, '\0', NULL, es_rules};
static const PhonePlan it_plan = {39, '\0', NULL, it_rules};
static const PhonePlan gb_plan = {44, '0', NULL, gb_rules};
static const PhonePlan nanp_plan = {1, '1', NanpCheck, nanp_rules};
static const PhonePlan nl_plan = {31, '0', NULL, nl_rules};
static const PhonePlan pt_plan = {351, '\0', NULL, pt_rules};
static const PhonePlan ie_plan = {353, '0', NULL, ie_rules};
static const PhonePlan at_plan = {43, '0', NULL, at_rules};
static const PhonePlan mc_plan = {377, '0', NULL, mc_rules};
static const PhonePlan ma_plan = {212, '0', NULL, ma_rules};
static const PhonePlan dz_plan = {213, '0', NULL, dz_rules};
static const PhonePlan tn_plan = {216, '\0', NULL, tn_rules};

/*
 * Which plan validates the numbers of a country code.  The French plan also
 * validates the codes of the overseas departments, whose numbers it holds.
 */
static const struct
{
	unsigned short cc;
	const PhonePlan *plan;
}			cc_plans[] = {
	{1, &nanp_plan},
	{31, &nl_plan},
	{32, &be_plan},
	{33, &fr_plan},
	{34, &es_plan},
	{39, &it_plan},
	{41, &ch_plan},
	{43, &at_plan},
	{44, &gb_plan},
	{49, &de_plan},
	{212, &ma_plan},
	{213, &dz_plan},
	{216, &tn_plan},
	{262, &fr_plan},
	{351, &pt_plan},
	{352, &lu_plan},
	{353, &ie_plan},
	{377, &mc_plan},
	{590, &fr_plan},
	{594, &fr_plan},
	{596, &fr_plan},
};

/*
 * The supported regions, by code.  The French overseas departments and
 * collectivities dial the French plan but have their own country codes; UK is
 * accepted as an alias of GB.
 */
static const PhoneRegion regions[] = {
	{"AT", &at_plan, 43, "00", true},
	{"BE", &be_plan, 32, "00", true},
	{"BL", &fr_plan, 590, "00", true},
	{"CA", &nanp_plan, 1, "011", true},
	{"CH", &ch_plan, 41, "00", true},
	{"DE", &de_plan, 49, "00", true},
	{"DZ", &dz_plan, 213, "00", true},
	{"ES", &es_plan, 34, "00", true},
	{"FR", &fr_plan, 33, "00", true},
	{"GB", &gb_plan, 44, "00", true},
	{"GF", &fr_plan, 594, "00", true},
	{"GP", &fr_plan, 590, "00", true},
	{"IE", &ie_plan, 353, "00", true},
	{"IT", &it_plan, 39, "00", true},
	{"LU", &lu_plan, 352, "00", true},
	{"MA", &ma_plan, 212, "00", true},
	{"MC", &mc_plan, 377, "00", true},
	{"MF", &fr_plan, 590, "00", true},
	{"MQ", &fr_plan, 596, "00", true},
	{"NL", &nl_plan, 31, "00", true},
	{"PT", &pt_plan, 351, "00", true},
	{"RE", &fr_plan, 262, "00", true},
	{"TN", &tn_plan, 216, "00", true},
	{"UK", &gb_plan, 44, "00", false},
	{"US", &nanp_plan, 1, "011", true},
	{"YT", &fr_plan, 262, "00", true},
};

#define NUM_REGIONS ((int) (sizeof(regions) / sizeof(regions[0])))

/* The listed codes of regions[], for error hints */
static const char region_list[] =
	"AT, BE, BL, CA, CH, DE, DZ, ES, FR, GB, GF, GP, IE, IT, LU, MA, MC, MF, "
	"MQ, NL, PT, RE, TN, US, YT";

/*
 * The country calling codes assigned by the ITU and in service (ITU-T E.164
 * list of assigned codes), sorted.  No code is a prefix of another, so a
 * number's code is found by reading 1, 2, then 3 digits.  Includes the
 * global services (800 freephone, 808 shared cost, 870 Inmarsat, 878
 * personal numbers, 881 satellite, 882/883 international networks, 888 UN
 * OCHA, 979 premium rate); not 379 (reserved for the Vatican, which uses
 * +39 06 698).
 */
static const unsigned short assigned_codes[] = {
	1, 7,
	20, 27, 30, 31, 32, 33, 34, 36, 39,
	40, 41, 43, 44, 45, 46, 47, 48, 49,
	51, 52, 53, 54, 55, 56, 57, 58,
	60, 61, 62, 63, 64, 65, 66,
	81, 82, 84, 86,
	90, 91, 92, 93, 94, 95, 98,
	211, 212, 213, 216, 218,
	220, 221, 222, 223, 224, 225, 226, 227, 228, 229,
	230, 231, 232, 233, 234, 235, 236, 237, 238, 239,
	240, 241, 242, 243, 244, 245, 246, 247, 248, 249,
	250, 251, 252, 253, 254, 255, 256, 257, 258,
	260, 261, 262, 263, 264, 265, 266, 267, 268, 269,
	290, 291, 297, 298, 299,
	350, 351, 352, 353, 354, 355, 356, 357, 358, 359,
	370, 371, 372, 373, 374, 375, 376, 377, 378,
	380, 381, 382, 383, 385, 386, 387, 389,
	420, 421, 423,
	500, 501, 502, 503, 504, 505, 506, 507, 508, 509,
	590, 591, 592, 593, 594, 595, 596, 597, 598, 599,
	670, 672, 673, 674, 675, 676, 677, 678, 679,
	680, 681, 682, 683, 685, 686, 687, 688, 689,
	690, 691, 692,
	800, 808, 850, 852, 853, 855, 856,
	870, 878, 880, 881, 882, 883, 886, 888,
	960, 961, 962, 963, 964, 965, 966, 967, 968,
	970, 971, 972, 973, 974, 975, 976, 977, 979,
	992, 993, 994, 995, 996, 998,
};

/*
 * Country codes whose national numbers may begin with 0, so that a "(0)"
 * after the code is part of the number and not a trunk prefix: Italy, San
 * Marino, Côte d'Ivoire, Gabon, Republic of the Congo.
 */
static const unsigned short zero_kept_codes[] = {39, 225, 241, 242, 378};

/* Words that introduce an extension (lower case), and end the number */
static const char *const extension_words[] = {
	"ext", "extn", "extension", "x", "poste", "p"
};

/* The digits of a text, as read by ScanPhone */
typedef struct PhoneDigits
{
	char		d[PHONE_MAX_DIGITS];	/* ASCII digits */
	int			n;
	bool		plus;			/* written with a leading '+' */
	int			bracket_zero;	/* index in d of a bracketed "(0)", or -1 */
} PhoneDigits;

/* What a character is to ScanPhone */
typedef enum PhoneChar
{
	PC_DIGIT,
	PC_SEPARATOR,
	PC_OPEN,
	PC_CLOSE,
	PC_PLUS,
	PC_OTHER
} PhoneChar;

/*
 * Decode the UTF-8 character at s[*pos] and move *pos past it; -1 for an
 * invalid sequence (overlong, surrogate, beyond U+10FFFF, truncated), which
 * makes the text "not a number" rather than a crash or a misreading.
 */
static int32_t
DecodeUtf8(const unsigned char *s, int len, int *pos)
{
	int			p = *pos;
	unsigned char c = s[p];
	unsigned char lo = 0x80;
	unsigned char hi = 0xBF;
	int32_t		cp;
	int			need;
	int			i;

	if (c >= 0xC2 && c <= 0xDF)
	{
		need = 1;
		cp = c & 0x1F;
	}
	else if (c >= 0xE0 && c <= 0xEF)
	{
		need = 2;
		cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;			/* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F;			/* no surrogates */
	}
	else if (c >= 0xF0 && c <= 0xF4)
	{
		need = 3;
		cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;			/* no overlong forms */
		else if (c == 0xF4)
			hi = 0x8F;			/* nothing beyond U+10FFFF */
	}
	else
		return -1;

	if (len - p - 1 < need)
		return -1;
	for (i = 1; i <= need; i++)
	{
		unsigned char b = s[p + i];

		if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF))
			return -1;
		cp = (cp << 6) | (b & 0x3F);
	}
	*pos = p + need + 1;
	return cp;
}

/*
 * Classify a non-ASCII character with ICU: decimal digits of any script
 * (full-width, Arabic-Indic, ...) with their value in *digit, full-width
 * plus and brackets, and as separators every space, dash and invisible
 * format character (no-break space, en dash, zero-width space, BOM, ...).
 */
static PhoneChar
ClassifyNonAscii(int32_t c, int *digit)
{
	int32_t		value;
	int8_t		type;

	switch (c)
	{
		case 0xFF0B:			/* FULLWIDTH PLUS SIGN */
		case 0xFE62:			/* SMALL PLUS SIGN */
			return PC_PLUS;
		case 0xFF08:			/* FULLWIDTH LEFT PARENTHESIS */
		case 0xFF3B:			/* FULLWIDTH LEFT SQUARE BRACKET */
			return PC_OPEN;
		case 0xFF09:			/* FULLWIDTH RIGHT PARENTHESIS */
		case 0xFF3D:			/* FULLWIDTH RIGHT SQUARE BRACKET */
			return PC_CLOSE;
		case 0x00B7:			/* MIDDLE DOT */
		case 0x2022:			/* BULLET */
		case 0x2024:			/* ONE DOT LEADER */
		case 0x2027:			/* HYPHENATION POINT */
		case 0x2212:			/* MINUS SIGN */
		case 0xFF0E:			/* FULLWIDTH FULL STOP */
		case 0xFF0F:			/* FULLWIDTH SOLIDUS */
			return PC_SEPARATOR;
		default:
			break;
	}

	value = u_charDigitValue(c);
	if (value >= 0 && value <= 9)
	{
		*digit = (int) value;
		return PC_DIGIT;
	}
	if (u_isUWhiteSpace(c))
		return PC_SEPARATOR;
	type = u_charType(c);
	if (type == U_DASH_PUNCTUATION || type == U_FORMAT_CHAR)
		return PC_SEPARATOR;
	return PC_OTHER;
}

/* Append a digit; false when there are too many digits for a number. */
static bool
AddDigit(PhoneDigits *pd, int value)
{
	if (pd->n >= PHONE_MAX_DIGITS)
		return false;
	pd->d[pd->n++] = (char) ('0' + value);
	return true;
}

/*
 * A closing bracket: if the group it closes held exactly the digit 0, note
 * where, since "+33 (0)6" writes the trunk prefix in brackets.
 */
static void
CloseGroup(PhoneDigits *pd, int *group)
{
	if (*group >= 0 && pd->n == *group + 1 && pd->d[*group] == '0' &&
		pd->bracket_zero < 0)
		pd->bracket_zero = *group;
	*group = -1;
}

/* Is s (len bytes) an extension word, ignoring ASCII case? */
static bool
IsExtensionWord(const unsigned char *s, int len)
{
	size_t		i;

	for (i = 0; i < sizeof(extension_words) / sizeof(extension_words[0]); i++)
	{
		const char *w = extension_words[i];
		int			j;

		if ((int) strlen(w) != len)
			continue;
		for (j = 0; j < len; j++)
			if ((s[j] | 0x20) != (unsigned char) w[j])
				break;
		if (j == len)
			return true;
	}
	return false;
}

/* Does s (len bytes) start with the lower-case ASCII word w, ignoring case? */
static bool
StartsWithWord(const unsigned char *s, int len, const char *w)
{
	int			i;

	for (i = 0; w[i]; i++)
	{
		unsigned char c = (i < len) ? s[i] : 0;

		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		if (c != (unsigned char) w[i])
			return false;
	}
	return true;
}

/*
 * Read the digits of a phone number written as UTF-8 text, in one pass; see
 * the header comment for what is accepted.  Returns false when the text is
 * not a phone number: a character that has no place in one, invalid UTF-8,
 * no digit, or more than PHONE_MAX_DIGITS digits (reading stops there, so a
 * long text costs no more than a short one).
 */
static bool
ScanPhone(const char *phone, int len, PhoneDigits *pd)
{
	const unsigned char *s = (const unsigned char *) phone;
	int			pos = 0;
	int			group = -1;		/* digit count at the open bracket, or -1 */
	bool		tel = false;

	pd->n = 0;
	pd->plus = false;
	pd->bracket_zero = -1;

	while (pos < len)
	{
		int32_t		c = s[pos];
		int			digit = 0;
		PhoneChar	kind;

		if (c < 0x80)
		{
			pos++;
			if (c >= '0' && c <= '9')
			{
				digit = c - '0';
				kind = PC_DIGIT;
			}
			else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			{
				int			start = pos - 1;

				/* a word: "tel:" before the number, or an extension after */
				while (pos < len && pos - start <= 9 &&
					   ((s[pos] >= 'a' && s[pos] <= 'z') ||
						(s[pos] >= 'A' && s[pos] <= 'Z')))
					pos++;
				if (!tel && pd->n == 0 && !pd->plus && pos - start == 3 &&
					StartsWithWord(s + start, 3, "tel") &&
					pos < len && s[pos] == ':')
				{
					tel = true;
					pos++;
					continue;
				}
				return pd->n > 0 && IsExtensionWord(s + start, pos - start);
			}
			else
			{
				switch (c)
				{
					case ' ':
					case '\t':
					case '\n':
					case '\r':
					case '\v':
					case '\f':
					case '.':
					case '-':
					case '/':
						kind = PC_SEPARATOR;
						break;
					case '(':
					case '[':
						kind = PC_OPEN;
						break;
					case ')':
					case ']':
						kind = PC_CLOSE;
						break;
					case '+':
						kind = PC_PLUS;
						break;
					case '#':
						return pd->n > 0;
					case ';':
						return pd->n > 0 &&
							StartsWithWord(s + pos, len - pos, "ext=");
					default:
						return false;
				}
			}
		}
		else
		{
			c = DecodeUtf8(s, len, &pos);
			if (c < 0)
				return false;
			kind = ClassifyNonAscii(c, &digit);
		}

		switch (kind)
		{
			case PC_DIGIT:
				if (!AddDigit(pd, digit))
					return false;
				break;
			case PC_SEPARATOR:
				break;
			case PC_OPEN:
				group = pd->n;
				break;
			case PC_CLOSE:
				CloseGroup(pd, &group);
				break;
			case PC_PLUS:
				/* '+' only counts before the number */
				if (pd->plus || pd->n > 0)
					return false;
				pd->plus = true;
				break;
			case PC_OTHER:
				return false;
		}
	}
	return pd->n > 0;
}

/*
 * Does the national number (len digits) start with the leading digits of a
 * rule: a pattern of digits and classes such as "4[5-9]" or "[2-57-9]"?
 */
static bool
MatchLead(const char *lead, const char *nsn, int len)
{
	const char *p = lead;
	int			i = 0;

	while (*p)
	{
		bool		ok = false;

		if (i >= len)
			return false;
		if (*p == '[')
		{
			for (p++; *p && *p != ']';)
			{
				char		lo = *p;
				char		hi = *p;

				if (p[1] == '-' && p[2])
				{
					hi = p[2];
					p += 3;
				}
				else
					p++;
				if (nsn[i] >= lo && nsn[i] <= hi)
					ok = true;
			}
			if (*p == ']')
				p++;
		}
		else
			ok = (*p++ == nsn[i]);
		if (!ok)
			return false;
		i++;
	}
	return true;
}

/*
 * NANP: the area code and the exchange code are NXX with N = 2-9, and never
 * N11 (service codes such as 411 and 911).
 */
static bool
NanpCheck(const char *nsn, int len)
{
	if (len != 10)
		return false;
	if (nsn[0] < '2' || (nsn[1] == '1' && nsn[2] == '1'))
		return false;
	if (nsn[3] < '2' || (nsn[4] == '1' && nsn[5] == '1'))
		return false;
	return true;
}

/*
 * Country code of the national significant number nsn under plan, or 0 when
 * the plan has no such number.  The first rule whose leading digits match
 * decides.
 */
static int
PlanMatch(const PhonePlan *plan, const char *nsn, int len)
{
	const PhoneRule *r;

	for (r = plan->rules; r->lead != NULL; r++)
	{
		if (!MatchLead(r->lead, nsn, len))
			continue;
		if (len < r->minlen || len > r->maxlen)
			return 0;
		if (plan->check != NULL && !plan->check(nsn, len))
			return 0;
		return r->cc ? r->cc : plan->cc;
	}
	return 0;
}

/* Is value in the sorted array codes of n entries? */
static bool
CodeIn(const unsigned short *codes, int n, int value)
{
	int			lo = 0;
	int			hi = n - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;

		if (codes[mid] == value)
			return true;
		if (codes[mid] < value)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

/*
 * Length of the assigned country code the digits start with (1 to 3), and
 * the code in *cc; 0 when they start with no assigned code.
 */
static int
CountryCodeLength(const char *d, int n, int *cc)
{
	int			value = 0;
	int			i;

	for (i = 0; i < 3 && i < n; i++)
	{
		value = value * 10 + (d[i] - '0');
		if (value == 0)
			return 0;
		if (CodeIn(assigned_codes,
				   (int) (sizeof(assigned_codes) / sizeof(assigned_codes[0])),
				   value))
		{
			*cc = value;
			return i + 1;
		}
	}
	return 0;
}

/* The plan that validates the numbers of country code cc, or NULL */
static const PhonePlan *
FindPlan(int cc)
{
	size_t		i;

	for (i = 0; i < sizeof(cc_plans) / sizeof(cc_plans[0]); i++)
		if (cc_plans[i].cc == cc)
			return cc_plans[i].plan;
	return NULL;
}

/* Decimal digits of a country code (1 to 999) into buf; returns how many. */
static int
CountryCodeDigits(int cc, char *buf)
{
	int			len = cc >= 100 ? 3 : cc >= 10 ? 2 : 1;
	int			i;

	for (i = len - 1; i >= 0; i--)
	{
		buf[i] = (char) ('0' + cc % 10);
		cc /= 10;
	}
	return len;
}

/*
 * Write "+<cc><nsn>" into out; false when it would not be a valid E.164
 * length.
 */
static bool
WriteE164(int cc, const char *nsn, int len, char *out)
{
	int			cclen;

	if (cc < 1 || cc > 999 || len < 1)
		return false;
	out[0] = '+';
	cclen = CountryCodeDigits(cc, out + 1);
	if (cclen + len > E164_MAX_DIGITS)
		return false;
	memcpy(out + 1 + cclen, nsn, len);
	out[1 + cclen + len] = '\0';
	return true;
}

/*
 * An international number: digits after the '+' or the international call
 * prefix, with the index of a bracketed "(0)" among them (or -1).
 */
static bool
NormalizeInternational(const char *d, int n, int bracket_zero, char *out)
{
	const PhonePlan *plan;
	const char *nsn;
	int			nsnlen;
	int			cc = 0;
	int			cclen;

	cclen = CountryCodeLength(d, n, &cc);
	if (cclen == 0)
		return false;
	nsn = d + cclen;
	nsnlen = n - cclen;

	/* "+44 (0)20 ...": a trunk prefix in brackets, unless 0 is significant */
	if (bracket_zero == cclen &&
		!CodeIn(zero_kept_codes,
				(int) (sizeof(zero_kept_codes) / sizeof(zero_kept_codes[0])),
				cc))
	{
		nsn++;
		nsnlen--;
	}

	plan = FindPlan(cc);
	if (plan != NULL)
	{
		int			found = PlanMatch(plan, nsn, nsnlen);

		/* "+33 06 ...": a trunk prefix written after the country code */
		if (found == 0 && plan->trunk != '\0' && nsnlen > 0 &&
			nsn[0] == plan->trunk)
		{
			nsn++;
			nsnlen--;
			found = PlanMatch(plan, nsn, nsnlen);
		}
		if (found == 0)
			return false;

		/*
		 * A number of an overseas department written with +33 is given its
		 * own code; under another department's code it is not a number.
		 */
		if (found != cc && cc != plan->cc)
			return false;
		cc = found;
	}
	else if (nsnlen < GENERIC_MIN_NSN || cclen + nsnlen > E164_MAX_DIGITS)
		return false;

	return WriteE164(cc, nsn, nsnlen, out);
}

/*
 * A number in national form, read with the region's plan: the trunk prefix
 * is dropped when present (and optional), and digits that start with the
 * region's own country code but are no national number are read as an
 * international number.
 */
static bool
NormalizeNational(const PhoneRegion *region, const PhoneDigits *pd, char *out)
{
	const PhonePlan *plan = region->plan;
	char		ccdigits[3];
	int			cclen;
	int			found;

	if (plan->trunk != '\0' && pd->d[0] == plan->trunk)
	{
		found = PlanMatch(plan, pd->d + 1, pd->n - 1);
		if (found != 0)
			return WriteE164(found, pd->d + 1, pd->n - 1, out);
	}
	found = PlanMatch(plan, pd->d, pd->n);
	if (found != 0)
		return WriteE164(found, pd->d, pd->n, out);

	/* "33612345678": the country code written without '+' */
	cclen = CountryCodeDigits(region->cc, ccdigits);
	if (pd->n > cclen && memcmp(pd->d, ccdigits, cclen) == 0)
		return NormalizeInternational(pd->d, pd->n, pd->bracket_zero, out);
	return false;
}

/*
 * Region index for an ISO 3166-1 alpha-2 code, ignoring ASCII case, or -1
 * when the region is not supported.
 */
int
PhoneRegionLookup(const char *code, int len)
{
	char		upper[2];
	int			i;

	if (code == NULL || len != 2)
		return -1;
	for (i = 0; i < 2; i++)
	{
		char		c = code[i];

		if (c >= 'a' && c <= 'z')
			c = (char) (c - 'a' + 'A');
		if (c < 'A' || c > 'Z')
			return -1;
		upper[i] = c;
	}
	for (i = 0; i < NUM_REGIONS; i++)
		if (regions[i].code[0] == upper[0] && regions[i].code[1] == upper[1])
			return i;
	return -1;
}

/* Comma-separated list of the supported region codes, for error hints */
const char *
PhoneRegionList(void)
{
	return region_list;
}

/*
 * E.164 form of phone (UTF-8, len bytes) written in region (an index from
 * PhoneRegionLookup), into out (PHONE_E164_BUFSIZE bytes); false when the
 * text cannot be a phone number.
 */
bool
NormalizePhone(const char *phone, int len, int region, char *out)
{
	const PhoneRegion *r;
	PhoneDigits pd;
	int			iddlen;

	if (phone == NULL || out == NULL || region < 0 || region >= NUM_REGIONS ||
		len < 0 || len > PHONE_MAX_INPUT_BYTES)
		return false;
	if (!ScanPhone(phone, len, &pd))
		return false;

	r = &regions[region];
	if (pd.plus)
		return NormalizeInternational(pd.d, pd.n, pd.bracket_zero, out);

	iddlen = (int) strlen(r->idd);
	if (pd.n > iddlen && memcmp(pd.d, r->idd, iddlen) == 0)
		return NormalizeInternational(pd.d + iddlen, pd.n - iddlen,
									  pd.bracket_zero >= iddlen ?
									  pd.bracket_zero - iddlen : -1,
									  out);

	return NormalizeNational(r, &pd, out);
}

#ifndef PHONE_STANDALONE

PG_FUNCTION_INFO_V1(cu_normalize_phone);

/*
 * cu_normalize_phone(phone text, region text DEFAULT 'FR') RETURNS text
 *		E.164 form of phone written in region, or NULL when it cannot be a
 *		phone number; an unsupported region is an error.
 *
 * The text is read in place (no copy); a value longer than
 * PHONE_MAX_INPUT_BYTES is answered NULL without being detoasted.
 */
Datum
cu_normalize_phone(PG_FUNCTION_ARGS)
{
	Datum		phone_datum = PG_GETARG_DATUM(0);
	text	   *region_text = PG_GETARG_TEXT_PP(1);
	const char *region = VARDATA_ANY(region_text);
	int			region_len = VARSIZE_ANY_EXHDR(region_text);
	int			region_index;
	text	   *phone_text;
	const char *phone;
	int			phone_len;
	char		e164[PHONE_E164_BUFSIZE];

	region_index = PhoneRegionLookup(region, region_len);
	if (region_index < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unsupported phone region \"%s\"",
						pnstrdup(region, pg_mbcliplen(region, region_len, 64))),
				 errhint("Supported regions are: %s.", PhoneRegionList())));

	if (toast_raw_datum_size(phone_datum) >
		(Size) (PHONE_MAX_INPUT_BYTES + VARHDRSZ))
		PG_RETURN_NULL();

	phone_text = DatumGetTextPP(phone_datum);
	phone = VARDATA_ANY(phone_text);
	phone_len = VARSIZE_ANY_EXHDR(phone_text);

	/*
	 * The core reads UTF-8.  Under SQL_ASCII the bytes are taken as they are
	 * (invalid UTF-8 then gives NULL, where a conversion would raise an
	 * error).
	 */
	if (GetDatabaseEncoding() != PG_UTF8 &&
		GetDatabaseEncoding() != PG_SQL_ASCII)
	{
		const char *utf8 = pg_server_to_any(phone, phone_len, PG_UTF8);

		if (utf8 != phone)
		{
			phone = utf8;
			phone_len = (int) strlen(utf8);
		}
	}

	if (!NormalizePhone(phone, phone_len, region_index, e164))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(e164));
}

#endif							/* PHONE_STANDALONE */
