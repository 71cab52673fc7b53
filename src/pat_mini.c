/* pat_mini.c -- the mini-notation: "bd*2 [sn cp] <a b>(3,8) c?" -> pattern.
 *
 * Two passes, like the reference (Strudel's krill grammar, then its
 * patternifyAST). The parser is a hand-written PEG that follows the
 * reference grammar rule for rule, including where whitespace may stand and
 * the ordered choices, because that is what decides the corner cases
 * SEMANTICS.md section 3 lists (`a _b` is `a@2 b`, `a?05` is `a?0` then `5`,
 * a lone `.` separates feet but `.b` is an atom). Random operators are
 * numbered 0, 1, 2 ... in the order their elements are completed (post-order),
 * which fixes each `?` and `|` to its seed exactly as the corpus expects.
 *
 * The second pass builds the nodes of pat.h: sequences are weighted
 * timecats, `<...>` layers are those sequences slowed by their total weight,
 * `{...}%s` speeds each layer by s over its weight with s as a pattern
 * argument, and each element's operators are applied left to right.
 *
 * Errors: the parser remembers the furthest position where the input stopped
 * matching and what could have come there, and reports that ("expected ']'
 * to close '[' opened at ..." when a bracket is left open). Errors in values
 * written directly (weights that sum to 0, euclid with more pulses than
 * steps) are reported at the element.
 */
#include "pat.h"
#include "pat_tonal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Letters (Unicode categories Lu Ll Lt Lm Lo Nl) of the Basic Multilingual
 * Plane above ASCII, as closed ranges; generated from the Unicode 14 character
 * database (Python's unicodedata). The reference matches UTF-16 code units,
 * so characters beyond the BMP are not letters there either. */
static const uint16_t letter_ranges[][2] = {
    {0x00AA,0x00AA},{0x00B5,0x00B5},{0x00BA,0x00BA},{0x00C0,0x00D6},{0x00D8,0x00F6},{0x00F8,0x02C1},
    {0x02C6,0x02D1},{0x02E0,0x02E4},{0x02EC,0x02EC},{0x02EE,0x02EE},{0x0370,0x0374},{0x0376,0x0377},
    {0x037A,0x037D},{0x037F,0x037F},{0x0386,0x0386},{0x0388,0x038A},{0x038C,0x038C},{0x038E,0x03A1},
    {0x03A3,0x03F5},{0x03F7,0x0481},{0x048A,0x052F},{0x0531,0x0556},{0x0559,0x0559},{0x0560,0x0588},
    {0x05D0,0x05EA},{0x05EF,0x05F2},{0x0620,0x064A},{0x066E,0x066F},{0x0671,0x06D3},{0x06D5,0x06D5},
    {0x06E5,0x06E6},{0x06EE,0x06EF},{0x06FA,0x06FC},{0x06FF,0x06FF},{0x0710,0x0710},{0x0712,0x072F},
    {0x074D,0x07A5},{0x07B1,0x07B1},{0x07CA,0x07EA},{0x07F4,0x07F5},{0x07FA,0x07FA},{0x0800,0x0815},
    {0x081A,0x081A},{0x0824,0x0824},{0x0828,0x0828},{0x0840,0x0858},{0x0860,0x086A},{0x0870,0x0887},
    {0x0889,0x088E},{0x08A0,0x08C9},{0x0904,0x0939},{0x093D,0x093D},{0x0950,0x0950},{0x0958,0x0961},
    {0x0971,0x0980},{0x0985,0x098C},{0x098F,0x0990},{0x0993,0x09A8},{0x09AA,0x09B0},{0x09B2,0x09B2},
    {0x09B6,0x09B9},{0x09BD,0x09BD},{0x09CE,0x09CE},{0x09DC,0x09DD},{0x09DF,0x09E1},{0x09F0,0x09F1},
    {0x09FC,0x09FC},{0x0A05,0x0A0A},{0x0A0F,0x0A10},{0x0A13,0x0A28},{0x0A2A,0x0A30},{0x0A32,0x0A33},
    {0x0A35,0x0A36},{0x0A38,0x0A39},{0x0A59,0x0A5C},{0x0A5E,0x0A5E},{0x0A72,0x0A74},{0x0A85,0x0A8D},
    {0x0A8F,0x0A91},{0x0A93,0x0AA8},{0x0AAA,0x0AB0},{0x0AB2,0x0AB3},{0x0AB5,0x0AB9},{0x0ABD,0x0ABD},
    {0x0AD0,0x0AD0},{0x0AE0,0x0AE1},{0x0AF9,0x0AF9},{0x0B05,0x0B0C},{0x0B0F,0x0B10},{0x0B13,0x0B28},
    {0x0B2A,0x0B30},{0x0B32,0x0B33},{0x0B35,0x0B39},{0x0B3D,0x0B3D},{0x0B5C,0x0B5D},{0x0B5F,0x0B61},
    {0x0B71,0x0B71},{0x0B83,0x0B83},{0x0B85,0x0B8A},{0x0B8E,0x0B90},{0x0B92,0x0B95},{0x0B99,0x0B9A},
    {0x0B9C,0x0B9C},{0x0B9E,0x0B9F},{0x0BA3,0x0BA4},{0x0BA8,0x0BAA},{0x0BAE,0x0BB9},{0x0BD0,0x0BD0},
    {0x0C05,0x0C0C},{0x0C0E,0x0C10},{0x0C12,0x0C28},{0x0C2A,0x0C39},{0x0C3D,0x0C3D},{0x0C58,0x0C5A},
    {0x0C5D,0x0C5D},{0x0C60,0x0C61},{0x0C80,0x0C80},{0x0C85,0x0C8C},{0x0C8E,0x0C90},{0x0C92,0x0CA8},
    {0x0CAA,0x0CB3},{0x0CB5,0x0CB9},{0x0CBD,0x0CBD},{0x0CDD,0x0CDE},{0x0CE0,0x0CE1},{0x0CF1,0x0CF2},
    {0x0D04,0x0D0C},{0x0D0E,0x0D10},{0x0D12,0x0D3A},{0x0D3D,0x0D3D},{0x0D4E,0x0D4E},{0x0D54,0x0D56},
    {0x0D5F,0x0D61},{0x0D7A,0x0D7F},{0x0D85,0x0D96},{0x0D9A,0x0DB1},{0x0DB3,0x0DBB},{0x0DBD,0x0DBD},
    {0x0DC0,0x0DC6},{0x0E01,0x0E30},{0x0E32,0x0E33},{0x0E40,0x0E46},{0x0E81,0x0E82},{0x0E84,0x0E84},
    {0x0E86,0x0E8A},{0x0E8C,0x0EA3},{0x0EA5,0x0EA5},{0x0EA7,0x0EB0},{0x0EB2,0x0EB3},{0x0EBD,0x0EBD},
    {0x0EC0,0x0EC4},{0x0EC6,0x0EC6},{0x0EDC,0x0EDF},{0x0F00,0x0F00},{0x0F40,0x0F47},{0x0F49,0x0F6C},
    {0x0F88,0x0F8C},{0x1000,0x102A},{0x103F,0x103F},{0x1050,0x1055},{0x105A,0x105D},{0x1061,0x1061},
    {0x1065,0x1066},{0x106E,0x1070},{0x1075,0x1081},{0x108E,0x108E},{0x10A0,0x10C5},{0x10C7,0x10C7},
    {0x10CD,0x10CD},{0x10D0,0x10FA},{0x10FC,0x1248},{0x124A,0x124D},{0x1250,0x1256},{0x1258,0x1258},
    {0x125A,0x125D},{0x1260,0x1288},{0x128A,0x128D},{0x1290,0x12B0},{0x12B2,0x12B5},{0x12B8,0x12BE},
    {0x12C0,0x12C0},{0x12C2,0x12C5},{0x12C8,0x12D6},{0x12D8,0x1310},{0x1312,0x1315},{0x1318,0x135A},
    {0x1380,0x138F},{0x13A0,0x13F5},{0x13F8,0x13FD},{0x1401,0x166C},{0x166F,0x167F},{0x1681,0x169A},
    {0x16A0,0x16EA},{0x16EE,0x16F8},{0x1700,0x1711},{0x171F,0x1731},{0x1740,0x1751},{0x1760,0x176C},
    {0x176E,0x1770},{0x1780,0x17B3},{0x17D7,0x17D7},{0x17DC,0x17DC},{0x1820,0x1878},{0x1880,0x1884},
    {0x1887,0x18A8},{0x18AA,0x18AA},{0x18B0,0x18F5},{0x1900,0x191E},{0x1950,0x196D},{0x1970,0x1974},
    {0x1980,0x19AB},{0x19B0,0x19C9},{0x1A00,0x1A16},{0x1A20,0x1A54},{0x1AA7,0x1AA7},{0x1B05,0x1B33},
    {0x1B45,0x1B4C},{0x1B83,0x1BA0},{0x1BAE,0x1BAF},{0x1BBA,0x1BE5},{0x1C00,0x1C23},{0x1C4D,0x1C4F},
    {0x1C5A,0x1C7D},{0x1C80,0x1C88},{0x1C90,0x1CBA},{0x1CBD,0x1CBF},{0x1CE9,0x1CEC},{0x1CEE,0x1CF3},
    {0x1CF5,0x1CF6},{0x1CFA,0x1CFA},{0x1D00,0x1DBF},{0x1E00,0x1F15},{0x1F18,0x1F1D},{0x1F20,0x1F45},
    {0x1F48,0x1F4D},{0x1F50,0x1F57},{0x1F59,0x1F59},{0x1F5B,0x1F5B},{0x1F5D,0x1F5D},{0x1F5F,0x1F7D},
    {0x1F80,0x1FB4},{0x1FB6,0x1FBC},{0x1FBE,0x1FBE},{0x1FC2,0x1FC4},{0x1FC6,0x1FCC},{0x1FD0,0x1FD3},
    {0x1FD6,0x1FDB},{0x1FE0,0x1FEC},{0x1FF2,0x1FF4},{0x1FF6,0x1FFC},{0x2071,0x2071},{0x207F,0x207F},
    {0x2090,0x209C},{0x2102,0x2102},{0x2107,0x2107},{0x210A,0x2113},{0x2115,0x2115},{0x2119,0x211D},
    {0x2124,0x2124},{0x2126,0x2126},{0x2128,0x2128},{0x212A,0x212D},{0x212F,0x2139},{0x213C,0x213F},
    {0x2145,0x2149},{0x214E,0x214E},{0x2160,0x2188},{0x2C00,0x2CE4},{0x2CEB,0x2CEE},{0x2CF2,0x2CF3},
    {0x2D00,0x2D25},{0x2D27,0x2D27},{0x2D2D,0x2D2D},{0x2D30,0x2D67},{0x2D6F,0x2D6F},{0x2D80,0x2D96},
    {0x2DA0,0x2DA6},{0x2DA8,0x2DAE},{0x2DB0,0x2DB6},{0x2DB8,0x2DBE},{0x2DC0,0x2DC6},{0x2DC8,0x2DCE},
    {0x2DD0,0x2DD6},{0x2DD8,0x2DDE},{0x2E2F,0x2E2F},{0x3005,0x3007},{0x3021,0x3029},{0x3031,0x3035},
    {0x3038,0x303C},{0x3041,0x3096},{0x309D,0x309F},{0x30A1,0x30FA},{0x30FC,0x30FF},{0x3105,0x312F},
    {0x3131,0x318E},{0x31A0,0x31BF},{0x31F0,0x31FF},{0x3400,0x4DBF},{0x4E00,0xA48C},{0xA4D0,0xA4FD},
    {0xA500,0xA60C},{0xA610,0xA61F},{0xA62A,0xA62B},{0xA640,0xA66E},{0xA67F,0xA69D},{0xA6A0,0xA6EF},
    {0xA717,0xA71F},{0xA722,0xA788},{0xA78B,0xA7CA},{0xA7D0,0xA7D1},{0xA7D3,0xA7D3},{0xA7D5,0xA7D9},
    {0xA7F2,0xA801},{0xA803,0xA805},{0xA807,0xA80A},{0xA80C,0xA822},{0xA840,0xA873},{0xA882,0xA8B3},
    {0xA8F2,0xA8F7},{0xA8FB,0xA8FB},{0xA8FD,0xA8FE},{0xA90A,0xA925},{0xA930,0xA946},{0xA960,0xA97C},
    {0xA984,0xA9B2},{0xA9CF,0xA9CF},{0xA9E0,0xA9E4},{0xA9E6,0xA9EF},{0xA9FA,0xA9FE},{0xAA00,0xAA28},
    {0xAA40,0xAA42},{0xAA44,0xAA4B},{0xAA60,0xAA76},{0xAA7A,0xAA7A},{0xAA7E,0xAAAF},{0xAAB1,0xAAB1},
    {0xAAB5,0xAAB6},{0xAAB9,0xAABD},{0xAAC0,0xAAC0},{0xAAC2,0xAAC2},{0xAADB,0xAADD},{0xAAE0,0xAAEA},
    {0xAAF2,0xAAF4},{0xAB01,0xAB06},{0xAB09,0xAB0E},{0xAB11,0xAB16},{0xAB20,0xAB26},{0xAB28,0xAB2E},
    {0xAB30,0xAB5A},{0xAB5C,0xAB69},{0xAB70,0xABE2},{0xAC00,0xD7A3},{0xD7B0,0xD7C6},{0xD7CB,0xD7FB},
    {0xF900,0xFA6D},{0xFA70,0xFAD9},{0xFB00,0xFB06},{0xFB13,0xFB17},{0xFB1D,0xFB1D},{0xFB1F,0xFB28},
    {0xFB2A,0xFB36},{0xFB38,0xFB3C},{0xFB3E,0xFB3E},{0xFB40,0xFB41},{0xFB43,0xFB44},{0xFB46,0xFBB1},
    {0xFBD3,0xFD3D},{0xFD50,0xFD8F},{0xFD92,0xFDC7},{0xFDF0,0xFDFB},{0xFE70,0xFE74},{0xFE76,0xFEFC},
    {0xFF21,0xFF3A},{0xFF41,0xFF5A},{0xFF66,0xFFBE},{0xFFC2,0xFFC7},{0xFFCA,0xFFCF},{0xFFD2,0xFFD7},
    {0xFFDA,0xFFDC},
};

static int is_letter(uint32_t cp)
{
    int lo = 0, hi = (int)(sizeof letter_ranges / sizeof *letter_ranges) - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (cp < letter_ranges[mid][0])
            hi = mid - 1;
        else if (cp > letter_ranges[mid][1])
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* ---- syntax tree -------------------------------------------------------- */

enum m_align { AL_SEQ, AL_STACK, AL_RAND, AL_FEET, AL_POLY, AL_SLOWCAT, AL_CHORD };
enum m_optype { OP_FAST, OP_SLOW, OP_REPLICATE, OP_EUCLID, OP_DEGRADE, OP_TAIL, OP_RANGE };

struct melem;

/* A group's item: an element (its address, which is even), or a step of a
 * sequence kept as where it is written, (offset << 40) | (seed << 16) |
 * (length << 3) | (kind << 1) | 1, 8 bytes instead of elements, nodes,
 * operators and copies of the text (an offset of 2^24 or more, the
 * limit of a file, or a length of 2^13, stays an element):
 *   IT_BARE  a bare atom ("bd", most steps of a long line; about 160 bytes
 *            parsed), made again by item_elem;
 *   IT_PAIR  two joined by ':' ("sn:2"; 300), made again by item_elem;
 *   IT_TEXT  any other element with no random operator in it ("bd*2",
 *            "[bd sn]", "bd(3,8)", and weighted: "bd@2", "bd _", "bd!";
 *            700 to 1,400 bytes parsed and as much built): parsed and built
 *            again once per distinct text as the sequence is built
 *            (item_built, which keeps its weight too), and then shared, as
 *            the same text makes the same pattern;
 *   IT_RAND  the same, with random operators in it ("bd?", "[bd|sn]",
 *            "hh?0.3@2"): its pattern is made once for its text with
 *            them numbered from 0, and shared; the seed is the number
 *            its first one has in the string, and a step plays the shared
 *            pattern with its random signals shifted as that number
 *            shifts them (pat_rand_shift; in a sequence, the seeds of its
 *            steps: pat_fastcat_seeded). */
typedef uint64_t mitem;

enum { IT_BARE, IT_PAIR, IT_TEXT, IT_RAND };
enum { ITEM_MAX_OFF = 1 << 24, ITEM_MAX_LEN = 1 << 13, ITEM_MAX_SEED = 1 << 24 };
#define ITEM(off, len, kind, seed) \
    ((uint64_t)(off) << 40 | (uint64_t)(seed) << 16 | (uint64_t)(len) << 3 | (uint64_t)(kind) << 1 | 1)
#define ITEM_KIND(it) ((int)((it) >> 1 & 3))
#define ITEM_LEN(it) ((size_t)((it) >> 3 & (ITEM_MAX_LEN - 1)))
#define ITEM_SEED(it) ((int32_t)((it) >> 16 & (ITEM_MAX_SEED - 1)))
#define ITEM_OFF(it) ((size_t)((it) >> 40))

struct mop {
    enum m_optype type;
    struct melem *arg[3];           /* FAST/SLOW/TAIL/RANGE: arg[0]; EUCLID: pulses, steps, rotation */
    double amount;                  /* REPLICATE: count; DEGRADE: probability */
    int seed;                       /* DEGRADE */
    struct mop *next;
};

struct mnode {
    int atom;                       /* 1: text; 0: a group */
    const char *text;               /* ATOM */
    size_t len, off;                /* ATOM text; offset in the string (atom or group) */
    enum m_align align;             /* group */
    int seed;                       /* AL_RAND */
    mitem *items;                   /* AL_SEQ: elements; AL_CHORD: text pieces and patterns;
                                       others: one per layer (ops-less) */
    int n;
    struct melem *steps;            /* AL_POLY: %steps, or NULL */
};

struct melem {
    struct mnode *src;
    struct mop *ops, *ops_tail;
    double weight;                  /* the element's weight in its sequence (default 1) */
    double reps;                    /* replication count (default 1) */
    size_t off;                     /* where the element starts */
};

/* ---- parser state -------------------------------------------------------- */

enum expect {
    EX_STEP = 1 << 0, EX_LBRACK = 1 << 1, EX_LBRACE = 1 << 2, EX_LANGLE = 1 << 3,
    EX_RBRACK = 1 << 4, EX_RBRACE = 1 << 5, EX_RANGLE = 1 << 6, EX_RPAREN = 1 << 7,
    EX_COMMA = 1 << 8, EX_OP = 1 << 9, EX_END = 1 << 10, EX_NUMBER = 1 << 11,
};

struct mp {
    const char *s;
    size_t len, pos;
    struct arena *a;
    int seed;                       /* next random operator number */
    int depth;
    size_t far;                     /* furthest position where something failed */
    unsigned expected;              /* what could have come there (enum expect) */
    long open_at;                   /* an unclosed bracket's offset at far, or -1 */
    char open_ch;
    int oom, toodeep;
    unsigned char *failed;          /* 3 bits a byte: a bracket of each kind that did not
                                       parse there (bracketed); NULL until one fails */
};

enum { MINI_MAX_DEPTH = PAT_MINI_MAX_DEPTH };

static void expect(struct mp *m, unsigned what)
{
    if (m->pos > m->far) {
        m->far = m->pos;
        m->expected = 0;
        m->open_at = -1;
    }
    if (m->pos == m->far)
        m->expected |= what;
}

static void expect_close(struct mp *m, unsigned what, size_t open, char ch)
{
    size_t far = m->far;
    expect(m, what);
    if (m->pos == m->far && (m->pos > far || m->open_at < 0 || (size_t)m->open_at < open)) {
        m->open_at = (long)open;
        m->open_ch = ch;
    }
}

static int peek(struct mp *m) { return m->pos < m->len ? (unsigned char)m->s[m->pos] : -1; }

/* ws = [ \n\r\t\u00A0]* */
static void ws(struct mp *m)
{
    for (;;) {
        int c = peek(m);
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            m->pos++;
        else if (c == 0xc2 && m->pos + 1 < m->len && (unsigned char)m->s[m->pos + 1] == 0xa0)
            m->pos += 2;
        else
            return;
    }
}

static int lit(struct mp *m, char ch, unsigned ex)
{
    if (peek(m) == (unsigned char)ch) {
        m->pos++;
        return 1;
    }
    expect(m, ex);
    return 0;
}

/* Decode one UTF-8 code point at m->pos; returns its byte length, 0 when the
 * bytes are not valid UTF-8. */
static int utf8_at(const struct mp *m, size_t pos, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)m->s + pos;
    size_t left = m->len - pos;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    int n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;
    if (n == 0 || (size_t)n > left)
        return 0;
    uint32_t v = p[0] & (0xff >> (n + 1));
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3f);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

/* step_char = letter / [0-9~] / "-" / "#" / "." / "^" / "_" / "'" (chords) / "&" (arp modes up&down) */
static int step_char(struct mp *m, size_t pos)
{
    uint32_t cp;
    int n = utf8_at(m, pos, &cp);
    if (n == 0)
        return 0;
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))
            return 1;
        return strchr("~-#.^_'&", (int)cp) && cp ? 1 : 0;
    }
    return is_letter(cp) ? n : 0;
}

static void *alloc(struct mp *m, size_t size)
{
    void *p = arena_calloc(m->a, 1, size, 16);
    if (!p)
        m->oom = 1;
    return p;
}

/* number = "-"? ("0" / [1-9][0-9]*) ("." [0-9]+)? ([eE] [+-]? [0-9]+)? */
static int number(struct mp *m, double *x)
{
    size_t save = m->pos, p = m->pos;
    const char *s = m->s;
    if (p < m->len && s[p] == '-')
        p++;
    if (p < m->len && s[p] == '0')
        p++;
    else if (p < m->len && s[p] >= '1' && s[p] <= '9')
        while (p < m->len && s[p] >= '0' && s[p] <= '9')
            p++;
    else {
        expect(m, EX_NUMBER);
        return 0;
    }
    if (p + 1 < m->len && s[p] == '.' && s[p + 1] >= '0' && s[p + 1] <= '9') {
        p++;
        while (p < m->len && s[p] >= '0' && s[p] <= '9')
            p++;
    }
    if (p < m->len && (s[p] == 'e' || s[p] == 'E')) {
        size_t q = p + 1;
        if (q < m->len && (s[q] == '+' || s[q] == '-'))
            q++;
        if (q < m->len && s[q] >= '0' && s[q] <= '9') {
            while (q < m->len && s[q] >= '0' && s[q] <= '9')
                q++;
            p = q;
        }
    }
    if (!val_parse_number(s + save, p - save, x))     /* cannot fail: the text read above is one */
        *x = 0;
    m->pos = p;
    return 1;
}

static struct mnode *stack_or_choose(struct mp *m);
static struct mnode *polymeter_stack(struct mp *m, enum m_align align);
static struct melem *slice_with_ops(struct mp *m);
static struct melem *slice_with_ops_(struct mp *m);

static struct melem *wrap(struct mp *m, struct mnode *src)
{
    struct melem *e = alloc(m, sizeof *e);
    if (e) {
        e->src = src;
        e->weight = 1;
        e->reps = 1;
        e->off = src ? src->off : 0;
    }
    return e;
}

static struct mnode *bracketed(struct mp *m, char open, char close, unsigned ex_open, unsigned ex_close);
static struct melem *wrap(struct mp *m, struct mnode *src);

/* Does the text [start, end) end a chord's quote with a pattern after it
 * ("c'major'<i 5>": Tidal's patterned chord parts)? */
static int chord_opens(const struct mp *m, size_t start, size_t end)
{
    return end > start + 1 && m->s[end - 1] == '\'' && end < m->len && (m->s[end] == '<' || m->s[end] == '[');
}

static struct mnode *text_piece(struct mp *m, size_t start, size_t end)
{
    struct mnode *t = arena_calloc(m->a, 1, sizeof *t, 16);
    if (!t || !(t->text = arena_strndup(m->a, m->s + start, end - start))) {
        m->oom = 1;
        return NULL;
    }
    t->atom = 1;
    t->len = end - start;
    t->off = start;
    return t;
}

/* chord_step = text "'" (pattern step_char*)+ where pattern = "<...>" / "[...]":
 * one step, its pieces joined per event (AL_CHORD). */
static struct mnode *chord_step(struct mp *m, size_t start)
{
    struct melem *items[32];
    int n = 0;
    size_t piece = start;
    for (;;) {
        if (m->pos > piece && n < 32)
            items[n++] = wrap(m, text_piece(m, piece, m->pos));
        int c = peek(m);
        if ((c != '<' && c != '[') || n >= 32 || (n && m->s[m->pos - 1] != '\'' && m->s[m->pos - 1] != '>'
                                                && m->s[m->pos - 1] != ']'))
            break;
        struct mnode *sub = c == '<' ? bracketed(m, '<', '>', EX_LANGLE, EX_RANGLE)
                                     : bracketed(m, '[', ']', EX_LBRACK, EX_RBRACK);
        if (!sub)
            return NULL;
        items[n++] = wrap(m, sub);
        if (m->s[m->pos - 1] != (c == '<' ? '>' : ']'))
            break;                                  /* whitespace after it ends the step */
        piece = m->pos;
        int k;
        while (m->pos < m->len && (k = step_char(m, m->pos)) > 0)
            m->pos += (size_t)k;
    }
    ws(m);
    struct mnode *g = arena_calloc(m->a, 1, sizeof *g, 16);
    mitem *it = ARENA_ARRAY(m->a, mitem, n);
    if (!g || !it) {
        m->oom = 1;
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (!(it[i] = (mitem)(uintptr_t)items[i]))
            return NULL;
    g->align = AL_CHORD;
    g->items = it;
    g->n = n;
    g->off = start;
    return g;
}

/* A '%' between digits inside a step (Tidal's fraction 1%3), not the
 * polymeter's steps ({a b}%4). */
static int frac_mark(const struct mp *m, size_t start)
{
    size_t p = m->pos;
    return p > start && p + 1 < m->len && m->s[p] == '%' && m->s[p - 1] >= '0' && m->s[p - 1] <= '9'
           && m->s[p + 1] >= '0' && m->s[p + 1] <= '9';
}

/* step = ws (step_char / digit "%" digit)+ ws !{ "." or "_" alone } */
static struct mnode *step(struct mp *m)
{
    size_t save = m->pos;
    ws(m);
    size_t start = m->pos;
    int n;
    for (;;) {
        if (m->pos < m->len && (n = step_char(m, m->pos)) > 0)
            m->pos += (size_t)n;
        else if (frac_mark(m, start))           /* Tidal's fractions: 1%3 */
            m->pos++;
        else
            break;
    }
    if (m->pos == start) {
        expect(m, EX_STEP);
        m->pos = save;
        return NULL;
    }
    size_t end = m->pos;
    if (chord_opens(m, start, end))
        return chord_step(m, start);
    ws(m);
    if (end - start == 1 && (m->s[start] == '.' || m->s[start] == '_')) {
        m->pos = save;
        return NULL;
    }
    struct mnode *a = alloc(m, sizeof *a);
    if (!a)
        return NULL;
    a->atom = 1;
    a->text = arena_strndup(m->a, m->s + start, end - start);
    a->len = end - start;
    a->off = start;
    if (!a->text)
        m->oom = 1;
    return a;
}

/* Brackets that failed to parse, by position and kind ([ { <). The parser
 * backtracks: after `..` fails to take a bracket as its argument, the
 * sequence tries the same bracket again as a step of its own, so each
 * unclosed level of "[a ..[a ..[a .." doubled the work (20 levels, 100
 * bytes: 4 s and 900 MB). Whether a bracket at a position parses depends on
 * the text only, and a bracket that fails makes the whole pattern fail
 * (nothing else can take its opening character), so a failure is
 * remembered and not tried again; the first try has recorded the error. */
static int failed_before(const struct mp *m, size_t at, char open)
{
    size_t bit = at * 3 + (open == '[' ? 0 : open == '{' ? 1 : 2);
    return m->failed && (m->failed[bit / 8] >> (bit % 8) & 1);
}

static void note_failure(struct mp *m, size_t at, char open)
{
    if (!m->failed && !(m->failed = arena_calloc(m->a, (m->len * 3 + 8) / 8, 1, 1))) {
        m->oom = 1;
        return;
    }
    size_t bit = at * 3 + (open == '[' ? 0 : open == '{' ? 1 : 2);
    m->failed[bit / 8] |= (unsigned char)(1u << (bit % 8));
}

/* sub_cycle = ws "[" ws stack_or_choose ws "]" ws
 * polymeter = ws "{" ws polymeter_stack ws "}" ("%" slice)? ws
 * slow_sequence = ws "<" ws polymeter_stack ws ">" ws */
static struct mnode *bracketed(struct mp *m, char open, char close, unsigned ex_open, unsigned ex_close)
{
    size_t save = m->pos;
    ws(m);
    size_t at = m->pos;
    if (failed_before(m, at, open) || !lit(m, open, ex_open)) {
        m->pos = save;
        return NULL;
    }
    if (++m->depth > MINI_MAX_DEPTH) {
        m->toodeep = 1;
        m->far = m->pos;
        return NULL;
    }
    ws(m);
    struct mnode *g = open == '[' ? stack_or_choose(m)
                                  : polymeter_stack(m, open == '<' ? AL_SLOWCAT : AL_POLY);
    m->depth--;
    if (!g) {
        if (!m->oom && !m->toodeep)
            note_failure(m, at, open);
        m->pos = save;
        return NULL;
    }
    ws(m);
    if (peek(m) != (unsigned char)close) {
        expect_close(m, ex_close, at, open);
        note_failure(m, at, open);
        m->pos = save;
        return NULL;
    }
    m->pos++;
    if (open == '{' && peek(m) == '%') {
        size_t p = m->pos;
        m->pos++;
        struct mnode *sl = NULL;
        /* slice = step / sub_cycle / polymeter / slow_sequence */
        if (!(sl = step(m)) && !m->oom && !m->toodeep && !(sl = bracketed(m, '[', ']', EX_LBRACK, EX_RBRACK)) &&
            !m->oom && !m->toodeep && !(sl = bracketed(m, '{', '}', EX_LBRACE, EX_RBRACE)) &&
            !m->oom && !m->toodeep)
            sl = bracketed(m, '<', '>', EX_LANGLE, EX_RANGLE);
        if (!sl)
            m->pos = p;                 /* the optional %steps did not match */
        else
            g->steps = wrap(m, sl);
    }
    ws(m);
    g->off = at;
    return g;
}

/* slice = step / sub_cycle / polymeter / slow_sequence */
static struct mnode *slice(struct mp *m)
{
    struct mnode *r;
    if ((r = step(m)) || m->oom || m->toodeep)
        return r;
    if ((r = bracketed(m, '[', ']', EX_LBRACK, EX_RBRACK)) || m->oom || m->toodeep)
        return r;
    if ((r = bracketed(m, '{', '}', EX_LBRACE, EX_RBRACE)) || m->oom || m->toodeep)
        return r;
    return bracketed(m, '<', '>', EX_LANGLE, EX_RANGLE);
}

static struct mop *add_op(struct mp *m, struct melem *e, enum m_optype t)
{
    struct mop *o = alloc(m, sizeof *o);
    if (!o)
        return NULL;
    o->type = t;
    if (e->ops_tail)
        e->ops_tail->next = o;
    else
        e->ops = o;
    e->ops_tail = o;
    return o;
}

/* comma = ws "," ws */
static int sep(struct mp *m, char ch)
{
    size_t save = m->pos;
    ws(m);
    if (!lit(m, ch, ch == ',' ? EX_COMMA : EX_OP)) {
        m->pos = save;
        return 0;
    }
    ws(m);
    return 1;
}

/* One slice_op; returns 1 when one matched. The ops of an element are only
 * recorded here; replication and random seeds are settled when the element
 * is complete (slice_with_ops), as the reference's closures run then. */
static int slice_op(struct mp *m, struct melem *e, double *weight_add, double *reps_add, int *replicate)
{
    size_t save = m->pos;
    double x;
    /* op_weight = ws ("@" / "_") number? */
    ws(m);
    if (peek(m) == '@' || peek(m) == '_') {
        m->pos++;
        *weight_add += (number(m, &x) ? x : 2) - 1;
        return 1;
    }
    expect(m, EX_OP);
    m->pos = save;
    /* op_bjorklund = "(" ws slice_with_ops ws comma ws slice_with_ops ws comma? ws slice_with_ops? ws ")" */
    if (peek(m) == '(') {
        size_t open = m->pos;
        m->pos++;
        ws(m);
        struct melem *p = slice_with_ops(m), *s = NULL, *r = NULL;
        if (p) {
            ws(m);
            if (sep(m, ',')) {
                ws(m);
                s = slice_with_ops(m);
            }
        }
        if (s) {
            ws(m);
            sep(m, ',');
            ws(m);
            r = slice_with_ops(m);
            if (m->oom || m->toodeep)
                return 0;
            ws(m);
            if (peek(m) == ')') {
                m->pos++;
                struct mop *o = add_op(m, e, OP_EUCLID);
                if (!o)
                    return 0;
                o->arg[0] = p;
                o->arg[1] = s;
                o->arg[2] = r;
                return 1;
            }
            expect_close(m, EX_RPAREN, open, '(');
        }
        m->pos = save;
        if (m->oom || m->toodeep)
            return 0;
    } else {
        expect(m, EX_OP);
    }
    /* op_slow = "/" slice; op_fast = "*" slice; op_tail = ":" slice; op_range = ".." slice */
    int c = peek(m);
    enum m_optype t = OP_FAST;
    size_t skip = 1;
    if (c == '/')
        t = OP_SLOW;
    else if (c == '*')
        t = OP_FAST;
    else if (c == ':')
        t = OP_TAIL;
    else if (c == '.' && m->pos + 1 < m->len && m->s[m->pos + 1] == '.')
        t = OP_RANGE, skip = 2;
    else
        c = 0;
    if (c) {
        m->pos += skip;
        struct mnode *sl = slice(m);
        if (sl) {
            struct mop *o = add_op(m, e, t);
            if (!o)
                return 0;
            o->arg[0] = wrap(m, sl);
            return 1;
        }
        m->pos = save;
        if (m->oom || m->toodeep)
            return 0;
    }
    /* op_replicate = ws "!" number? */
    ws(m);
    if (peek(m) == '!') {
        m->pos++;
        *reps_add += (number(m, &x) ? x : 2) - 1;
        *replicate = 1;
        return 1;
    }
    m->pos = save;
    /* op_degrade = "?" number? */
    if (peek(m) == '?') {
        m->pos++;
        struct mop *o = add_op(m, e, OP_DEGRADE);
        if (!o)
            return 0;
        o->amount = number(m, &x) ? x : 0.5;
        return 1;
    }
    expect(m, EX_OP);
    return 0;
}

/* slice_with_ops = slice slice_op* */
static struct melem *slice_with_ops(struct mp *m)
{
    if (m->depth >= MINI_MAX_DEPTH) {           /* a(a(a(... nests through operators */
        m->toodeep = 1;
        m->far = m->pos;
        return NULL;
    }
    m->depth++;
    struct melem *e = slice_with_ops_(m);
    m->depth--;
    return e;
}

static struct melem *slice_with_ops_(struct mp *m)
{
    struct mnode *sl = slice(m);
    if (!sl)
        return NULL;
    struct melem *e = wrap(m, sl);
    if (!e)
        return NULL;
    for (;;) {
        double wadd = 0, radd = 0;
        int rep = 0;
        if (!slice_op(m, e, &wadd, &radd, &rep))
            break;
        e->weight += wadd;
        if (rep) {
            /* !n: count += n - 1, weight := count, and the replication moves
             * to the end of the operator list */
            e->reps += radd;
            e->weight = e->reps;
            struct mop **pp = &e->ops;
            e->ops_tail = NULL;
            while (*pp) {
                if ((*pp)->type == OP_REPLICATE)
                    *pp = (*pp)->next;
                else {
                    e->ops_tail = *pp;
                    pp = &(*pp)->next;
                }
            }
            struct mop *o = add_op(m, e, OP_REPLICATE);
            if (!o)
                return NULL;
            o->amount = e->reps;
        }
    }
    if (m->oom || m->toodeep)
        return NULL;
    for (struct mop *o = e->ops; o; o = o->next)   /* seeds in completion order */
        if (o->type == OP_DEGRADE)
            o->seed = m->seed++;
    return e;
}

/* A growing list of items in the parse arena. */
struct mlist {
    mitem *items;
    int n, cap;
};

static int mlist_push_item(struct mp *m, struct mlist *l, mitem it)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        mitem *bigger = alloc(m, sizeof *bigger * (size_t)cap);
        if (!bigger)
            return -1;
        if (l->n)
            memcpy(bigger, l->items, sizeof *bigger * (size_t)l->n);
        l->items = bigger;
        l->cap = cap;
    }
    l->items[l->n++] = it;
    return 0;
}

static int mlist_push(struct mp *m, struct mlist *l, struct melem *e)
{
    return mlist_push_item(m, l, (mitem)(uintptr_t)e);
}

/* The next element of a sequence as an item: a bare atom or a ':' pair (no
 * other operators, weight 1, no chord quote), or another element (IT_TEXT,
 * or IT_RAND when its parse numbered random operators), is kept as its
 * place in the text and everything its parse allocated is given back
 * (since mark), unless the parse left something else in the arena (the
 * failed-brackets map). 0 when no element matched. */
static mitem sequence_item(struct mp *m)
{
    struct arena_mark mark = arena_mark(m->a);
    const unsigned char *failed = m->failed;
    int seed = m->seed;
    struct melem *e = slice_with_ops(m);
    if (!e)
        return 0;
    if (m->failed != failed || e->off >= ITEM_MAX_OFF || seed >= ITEM_MAX_SEED)
        return (mitem)(uintptr_t)e;
    const struct mnode *n = e->src, *arg = NULL;
    const struct mop *o = e->ops;
    if (o && !o->next && o->type == OP_TAIL && o->arg[0] && !o->arg[0]->ops && o->arg[0]->weight == 1 &&
        o->arg[0]->reps == 1 && o->arg[0]->src->atom)
        arg = o->arg[0]->src;                   /* "sn:2" */
    int kind = m->seed != seed ? IT_RAND
               : e->weight == 1 && e->reps == 1 && n->atom && (!o || (arg && arg->off == n->off + n->len + 1)) &&
                       !memchr(n->text, '\'', n->len) &&
                       !(arg && memchr(arg->text, '\'', arg->len))
                   ? (arg ? IT_PAIR : IT_BARE)
                   : IT_TEXT;
    size_t len = arg ? arg->off + arg->len - n->off : n->len;
    if (kind >= IT_TEXT) {                      /* as written, without the blanks after it */
        const unsigned char *t = (const unsigned char *)m->s + e->off;
        for (len = m->pos - e->off; len;) {
            if (t[len - 1] == ' ' || t[len - 1] == '\n' || t[len - 1] == '\r' || t[len - 1] == '\t')
                len--;
            else if (len >= 2 && t[len - 2] == 0xc2 && t[len - 1] == 0xa0)
                len -= 2;
            else
                break;
        }
    }
    if (len >= ITEM_MAX_LEN)
        return (mitem)(uintptr_t)e;
    arena_rewind(m->a, mark);
    return ITEM(e->off, len, kind, kind == IT_RAND ? seed : 0);
}

/* The group node of a finished list (NULL after an error in the parse). */
static struct mnode *group(struct mp *m, const struct mlist *l, enum m_align align, size_t off)
{
    if (m->oom || m->toodeep)
        return NULL;
    struct mnode *g = alloc(m, sizeof *g);
    if (!g)
        return NULL;
    g->align = align;
    g->items = l->items;
    g->n = l->n;
    g->off = off;
    return g;
}

/* sequence = "^"? slice_with_ops+ */
static struct mnode *sequence(struct mp *m)
{
    size_t start = m->pos;
    if (peek(m) == '^')
        m->pos++;
    mitem first = sequence_item(m);
    if (!first) {
        m->pos = start;
        return NULL;
    }
    struct mlist l = { 0 };
    if (mlist_push_item(m, &l, first))
        return NULL;
    mitem it;
    while ((it = sequence_item(m)))
        if (mlist_push_item(m, &l, it))
            return NULL;
    return group(m, &l, AL_SEQ, first & 1 ? ITEM_OFF(first) : ((struct melem *)(uintptr_t)first)->off);
}

/* (sep sequence)+ appended to a group whose first layer is head. */
static struct mnode *layers(struct mp *m, struct mnode *head, char ch, enum m_align align)
{
    struct mlist l = { 0 };
    if (mlist_push(m, &l, wrap(m, head)))
        return NULL;
    for (;;) {
        size_t save = m->pos;
        if (!sep(m, ch))
            break;
        struct mnode *s = sequence(m);
        if (!s) {
            m->pos = save;
            break;
        }
        if (mlist_push(m, &l, wrap(m, s)))
            return NULL;
    }
    return group(m, &l, align, head->off);
}

/* stack_or_choose = sequence (stack_tail / choose_tail / dot_tail)? */
static struct mnode *stack_or_choose(struct mp *m)
{
    struct mnode *head = sequence(m);
    if (!head)
        return NULL;
    static const struct { char ch; enum m_align align; } tails[] = {
        { ',', AL_STACK }, { '|', AL_RAND }, { '.', AL_FEET },
    };
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        struct mnode *g = layers(m, head, tails[i].ch, tails[i].align);
        if (!g)
            return NULL;
        if (g->n > 1) {
            if (g->align != AL_STACK)
                g->seed = m->seed++;            /* choose and feet take a number */
            return g;
        }
    }
    return head;
}

/* polymeter_stack = sequence stack_tail? */
static struct mnode *polymeter_stack(struct mp *m, enum m_align align)
{
    struct mnode *head = sequence(m);
    if (!head)
        return NULL;
    return layers(m, head, ',', align);
}

/* ---- from syntax tree to pattern -------------------------------------------- */

struct mb {
    const char *src;                /* the string's contents */
    struct arena *a;                /* the result's */
    struct arena *scratch;          /* the parse tree's and the build's temporaries */
    struct pat_mini_error *err;
    int failed;
    int line, col;                  /* where the string's contents start */
    int bools;                      /* read as Tidal's Pattern Bool (pat_mini_parse_bools_at) */
    struct vtab {                   /* in scratch, by text: open addressing, at most half full */
        struct vcache *v;
        size_t n, cap;
    } vals, steps;                  /* bare steps' values; sequence items' patterns (item_built) */
};

/* Made once per distinct text ("bd", "sn:2", "0.5"; "bd*2" in steps): a
 * line of 300,000 steps names a few sounds. */
struct vcache {
    const char *text;               /* the step as written (in the source) */
    size_t len;
    struct val v;                   /* vals: in the result's arena */
    const struct built *built;      /* steps: in scratch */
    double weight;                  /* steps: the step's weight in its sequence ("bd@2": 2) */
};

struct built {
    const struct pnode *p;
    struct rat weight;              /* a sequence's total weight (__weight); 0/1 when none */
    int has_weight;
    struct rat steps;               /* steps per cycle, 0 when unknown */
};

__attribute__((format(printf, 3, 4)))
static void build_error(struct mb *b, size_t off, const char *fmt, ...)
{
    if (b->failed)
        return;
    b->failed = 1;
    b->err->offset = off;
    b->err->open_offset = -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->err->msg, sizeof b->err->msg, fmt, ap);
    va_end(ap);
}

static int to_rat(struct mb *b, double x, size_t off, struct rat *r)
{
    if (rat_from_double(x, r)) {
        build_error(b, off, "%g cannot be used as a time", x);
        return -1;
    }
    return 0;
}

static struct rat lcm2(struct rat x, struct rat y)
{
    if (x.n == 0 || y.n == 0)
        return rat_int(0);
    int64_t a = x.n < 0 ? -x.n : x.n, c = y.n < 0 ? -y.n : y.n, g = a, h = c;
    while (h) { int64_t t = g % h; g = h; h = t; }
    int64_t d = x.d, e = y.d;
    while (e) { int64_t t = d % e; d = e; e = t; }
    return rat_div(rat_mul(rat_int(a / g), rat_int(c)), rat_int(d));
}

static struct built build_node(struct mb *b, struct mnode *n);

/* A group's item as an element: a step kept as text (mitem) is made in *f,
 * with its text where it is written; "sn:2" as the parse makes it, the atom
 * sn with a ':' operator whose argument is the atom 2. An IT_TEXT or
 * IT_RAND item stands for an element of weight 1 that is no value step:
 * built by item_built, never from *f. */
struct mfull {
    struct melem e, arg;
    struct mnode n, argn;
    struct mop tail;
};

static struct melem *item_elem(const struct mb *b, mitem it, struct mfull *f)
{
    if (!(it & 1))
        return (struct melem *)(uintptr_t)it;
    size_t off = ITEM_OFF(it), len = ITEM_LEN(it), n = len;
    if (ITEM_KIND(it) == IT_PAIR)
        n = (size_t)((const char *)memchr(b->src + off, ':', len) - (b->src + off));
    f->n = (struct mnode){ .atom = ITEM_KIND(it) < IT_TEXT, .text = b->src + off, .len = n, .off = off };
    f->e = (struct melem){ .src = &f->n, .weight = 1, .reps = 1, .off = off };
    if (ITEM_KIND(it) == IT_PAIR) {
        size_t at = off + n + 1;
        f->argn = (struct mnode){ .atom = 1, .text = b->src + at, .len = len - n - 1, .off = at };
        f->arg = (struct melem){ .src = &f->argn, .weight = 1, .reps = 1, .off = at };
        f->tail = (struct mop){ .type = OP_TAIL, .arg = { &f->arg } };
        f->e.ops = f->e.ops_tail = &f->tail;
    }
    return &f->e;
}

/* Apply a transform with the element's argument patterns: directly when
 * every argument is a bare atom, else as a pattern argument. */
static const struct pnode *apply_op(struct mb *b, int op, struct built *args, int nargs,
                                    const struct pnode *p, size_t off)
{
    struct val vals[3];
    const struct pnode *pats[3];
    int direct = 1;
    for (int i = 0; i < nargs; i++)
        direct &= (args[i].p->flags & PF_PURE) != 0;
    for (int i = 0; i < nargs; i++) {
        vals[i] = direct ? args[i].p->v : val_none();
        pats[i] = direct ? NULL : args[i].p;
    }
    const char *err = NULL;
    const struct pnode *r = pat_op_apply(b->a, op, vals, pats, nargs, p, &err);
    if (!r)
        build_error(b, off, "%s", err ? err : "out of memory");
    return r;
}

/* Under bools, a(k,n,r) is Tidal's euclidOffBool: the pulses a, the other
 * steps its negation (the euclid of -k over the inverted value). */
static const struct pnode *euclid_bools(struct mb *b, struct built *args, int nargs, const struct pnode *p,
                                        size_t off)
{
    struct arena *a = b->a;
    int op = nargs == 3 ? PAT_OP_EUCLIDROT : PAT_OP_EUCLID;
    struct built neg[3];
    for (int i = 0; i < nargs; i++)
        neg[i] = args[i];
    const struct pnode *k = args[0].p;
    neg[0].p = (k->flags & PF_PURE) && k->v.kind == VAL_NUM ? pat_pure(a, val_num(-k->v.u.num))
                                                           : pat_fmap(a, FM_MUL, k, -1, 0, val_none());
    const struct pnode *not = pat_fmap(a, FM_NOT, p, 0, 0, val_none());
    if (!neg[0].p || !not) {
        build_error(b, off, "out of memory");
        return NULL;
    }
    const struct pnode *on = apply_op(b, op, args, nargs, p, off);
    const struct pnode *rest = on ? apply_op(b, op, neg, nargs, not, off) : NULL;
    const struct pnode *both[2] = { on, rest };
    return rest ? pat_stack(a, both, 2) : NULL;
}

static struct built build_elem(struct mb *b, struct melem *e)
{
    struct built r = build_node(b, e->src);
    if (b->failed)
        return r;
    struct arena *a = b->a;
    for (struct mop *o = e->ops; o && !b->failed; o = o->next) {
        const struct pnode *p = r.p;
        struct built args[3];
        int nargs = 0;
        for (int i = 0; i < 3 && o->arg[i]; i++) {
            args[nargs++] = build_elem(b, o->arg[i]);
            if (b->failed)
                return r;
        }
        switch (o->type) {
        case OP_FAST:
        case OP_SLOW:
            p = apply_op(b, o->type == OP_FAST ? PAT_OP_FAST : PAT_OP_SLOW, args, 1, p, e->off);
            break;
        case OP_REPLICATE: {
            struct rat n;
            if (o->amount == 0) {
                p = pat_silence();
                break;
            }
            if (to_rat(b, o->amount, e->off, &n))
                return r;
            p = pat_fast(a, n, pat_repeat(a, n, p));
            break;
        }
        case OP_EUCLID:
            p = b->bools ? euclid_bools(b, args, nargs, p, e->off)
                         : apply_op(b, nargs == 3 ? PAT_OP_EUCLIDROT : PAT_OP_EUCLID, args, nargs, p, e->off);
            break;
        case OP_DEGRADE: {
            const struct pnode *rnd = pat_shift(a, pat_mini_seed_shift(o->seed), pat_signal(a, SIG_RAND));
            struct pnode *d = pat_app(a, APP_LEFT | VOP_DEGRADE, p, rnd);
            if (d)
                d->x0 = o->amount;
            p = d;
            break;
        }
        case OP_TAIL:
            p = pat_app(a, APP_LEFT | VOP_TAIL, p, args[0].p);
            break;
        case OP_RANGE: {
            struct pnode *s = ARENA_NEW(a, struct pnode);
            const struct pnode **k = ARENA_ARRAY(a, const struct pnode *, 2);
            if (s && k) {
                s->kind = P_SQUEEZE;
                s->op = SQ_RANGE;
                s->n = 2;
                k[0] = p;
                k[1] = args[0].p;
                s->kids = k;
            }
            p = s;
            r.steps = rat_int(0);
            break;
        }
        }
        if (!p && !b->failed)
            build_error(b, e->off, "out of memory");
        r.p = p;
    }
    return r;
}

/* {a b, c d e}%steps: each layer sped up by steps over its own weight,
 * steps a pattern (cut at every cycle). 0, or -1 after an error. */
static int build_poly(struct mb *b, struct mnode *n, const struct built *kids, const struct pnode **pk,
                      struct built *r)
{
    struct arena *a = b->a;
    const struct pnode *steps;
    if (n->steps) {
        struct built s = build_elem(b, n->steps);
        if (b->failed)
            return -1;
        steps = s.p;
    } else {
        struct rat w = kids[0].has_weight ? kids[0].weight : rat_int(1);
        steps = pat_pure(a, val_num(rat_to_double(w)));
    }
    for (int i = 0; i < n->n; i++) {
        double w = kids[i].has_weight ? rat_to_double(kids[i].weight) : (double)NAN;
        const struct pnode *f = pat_fmap(a, FM_DIV, steps, w, 0, val_none());
        struct val none = val_none();
        const char *err = NULL;
        pk[i] = pat_op_apply(a, PAT_OP_FAST, &none, &f, 1, kids[i].p, &err);
    }
    r->p = pat_stack(a, pk, n->n);
    r->steps = rat_int(0);
    return 0;
}

/* a|b|c: chooseInWith(rand.early(0.0003 * seed).segment(1), layers). 0,
 * or -1 after an error (r->p stays NULL when out of memory). */
static int build_rand(struct mb *b, struct mnode *n, const struct pnode *const *pk, struct built *r)
{
    struct arena *a = b->a;
    const struct pnode *sel = pat_shift(a, pat_mini_seed_shift(n->seed), pat_signal(a, SIG_RAND));
    sel = pat_app(a, APP_RIGHT | VOP_KEEPIF, sel, pat_pure(a, val_bool(1)));
    sel = pat_app(a, APP_LEFT | VOP_MUL, sel, pat_pure(a, val_num(n->n)));
    sel = pat_app(a, APP_LEFT | VOP_ADD, sel, pat_pure(a, val_num(0)));
    sel = pat_fmap(a, FM_INDEX, sel, n->n, 0, val_none());
    struct pnode *j = ARENA_NEW(a, struct pnode);
    const struct pnode **k = ARENA_ARRAY(a, const struct pnode *, n->n + 1);
    if (!j || !k || !sel)
        return 0;
    j->kind = P_JOIN;
    j->op = 0;
    j->n = n->n + 1;
    k[0] = sel;
    memcpy(k + 1, pk, sizeof *pk * (size_t)n->n);
    j->kids = k;
    r->p = j;
    r->steps = rat_int(0);
    return 0;
}

static struct vcache *vcache_slot(struct mb *b, struct vtab *vt, const char *text, size_t len);

/* An item's weight in its sequence; an IT_TEXT or IT_RAND item's as item_built found
 * it (build_node builds every item before its sequence). */
static double item_weight(struct mb *b, mitem it)
{
    struct mfull f;
    if (!(it & 1) || ITEM_KIND(it) < IT_TEXT)
        return item_elem(b, it, &f)->weight;
    const struct vcache *slot = vcache_slot(b, &b->steps, b->src + ITEM_OFF(it), ITEM_LEN(it));
    if (!slot || !slot->text) {
        build_error(b, ITEM_OFF(it), slot ? "internal error: a step was not built" : "out of memory");
        return (double)NAN;
    }
    return slot->weight;
}

/* a b@2 c: a timecat of the weighted steps (a plain fastcat when no step
 * has a weight, or when every step weighs 1: the same events, without a
 * node and a boundary per step); seeds (NULL: none), the shifts of the
 * steps' random signals (IT_RAND). 0, or -1 after an error. */
static int build_seq(struct mb *b, struct mnode *n, const struct pnode *const *pk, const int32_t *seeds,
                     struct built *r)
{
    struct arena *a = b->a;
    int weighted = 0, ones = 1;
    struct mfull f;
    for (int i = 0; i < n->n; i++) {
        double x = item_weight(b, n->items[i]);
        weighted |= x != 0 && !isnan(x);
        ones &= x == 1;
    }
    if (b->failed)
        return -1;
    if (!weighted || ones) {
        r->p = pat_fastcat_seeded(a, pk, seeds, n->n);
        r->steps = rat_int(n->n);
        if (ones) {                             /* as the weights of 1 below give */
            r->weight = r->steps;
            r->has_weight = 1;
        }
        return 0;
    }
    struct rat *w = ARENA_ARRAY(b->scratch, struct rat, n->n);      /* pat_timecat keeps its own sums */
    if (!w)
        return 0;
    struct rat sum = rat_int(0);
    for (int i = 0; i < n->n; i++) {
        double x = item_weight(b, n->items[i]);
        if (x == 0 || isnan(x))
            x = 1;
        if (to_rat(b, x, item_elem(b, n->items[i], &f)->off, &w[i]))
            return -1;
        sum = rat_add(sum, w[i]);
    }
    const char *err = NULL;
    r->p = pat_timecat_seeded(a, w, pk, seeds, n->n, &err);
    if (!r->p && err) {
        if (strcmp(err, "Division by Zero") == 0)
            build_error(b, n->off, "%s: the weights of this sequence sum to 0", err);
        else
            build_error(b, n->off, "%s", err);
        return -1;
    }
    r->weight = sum;
    r->has_weight = 1;
    r->steps = sum;
    return 0;
}

static uint64_t text_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u;          /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* The cache slot for text[0 .. len) (empty when not seen: text NULL), or
 * NULL out of memory. */
static struct vcache *vcache_slot(struct mb *b, struct vtab *vt, const char *text, size_t len)
{
    if (2 * (vt->n + 1) > vt->cap) {
        size_t cap = vt->cap ? 2 * vt->cap : 64;
        struct vcache *t = arena_calloc(b->scratch, cap, sizeof *t, _Alignof(struct vcache));
        if (!t)
            return NULL;
        for (size_t i = 0; i < vt->cap; i++) {
            if (!vt->v[i].text)
                continue;
            size_t k = text_hash(vt->v[i].text, vt->v[i].len) & (cap - 1);
            while (t[k].text)
                k = (k + 1) & (cap - 1);
            t[k] = vt->v[i];
        }
        vt->v = t;
        vt->cap = cap;
    }
    size_t k = text_hash(text, len) & (vt->cap - 1);
    for (; vt->v[k].text; k = (k + 1) & (vt->cap - 1))
        if (vt->v[k].len == len && memcmp(vt->v[k].text, text, len) == 0)
            break;
    return &vt->v[k];
}

/* A string atom's value: the string, or under bools t/true and f/false
 * as booleans. */
static struct val atom_string(const struct mb *b, const char *t)
{
    if (b->bools && (!strcmp(t, "t") || !strcmp(t, "true") || !strcmp(t, "f") || !strcmp(t, "false")))
        return val_bool(t[0] == 't');
    return val_str(t);
}

/* The result's copy of text[0 .. len), one per distinct text. */
static const char *text_copy(struct mb *b, const char *text, size_t len)
{
    struct vcache *slot = vcache_slot(b, &b->vals, text, len);
    if (!slot)
        return NULL;
    if (!slot->text) {
        const char *copy = arena_strndup(b->a, text, len);
        if (!copy)
            return NULL;
        *slot = (struct vcache){ .text = text, .len = len, .v = val_str(copy) };
        b->vals.n++;
    }
    return slot->v.u.str;
}

/* A bare atom's value: 1 and *v (a number, Tidal's fraction 1%3, or a
 * string), 0 for a rest ('~' or '-'), 2 for a chord (text with a quote:
 * build_chord), -1 after an error (reported). Strings are copied into the
 * result once per distinct text. */
static int atom_value(struct mb *b, const struct mnode *n, struct val *v)
{
    double x;
    if (n->len == 1 && (n->text[0] == '~' || n->text[0] == '-'))
        return 0;
    if (val_parse_number(n->text, n->len, &x)) {
        *v = val_num(x);
        return 1;
    }
    if (memchr(n->text, '%', n->len)) {
        if (!tonal_ratio(n->text, n->len, &x)) {
            build_error(b, n->off, "a fraction is written with whole numbers, as in 1%%3");
            return -1;
        }
        *v = val_num(x);
        return 1;
    }
    if (memchr(n->text, '\'', n->len))
        return 2;
    const char *t = text_copy(b, n->text, n->len);
    if (!t) {
        build_error(b, n->off, "out of memory");
        return -1;
    }
    *v = atom_string(b, t);
    return 1;
}

/* The atom of a bare step: an atom without operators; NULL otherwise. */
static const struct mnode *bare_atom(const struct melem *e)
{
    return e->src && e->src->atom && !e->ops && !memchr(e->src->text, '\'', e->src->len) ? e->src : NULL;
}

/* A step that is one value every cycle: a bare atom ("bd", "0.5"), or a
 * ':' list of them ("sn:2"), of weight 1. */
static int is_value_step(const struct melem *e)
{
    if (!e->src || !e->src->atom || e->weight != 1 || memchr(e->src->text, '\'', e->src->len))
        return 0;
    for (const struct mop *o = e->ops; o; o = o->next)
        if (o->type != OP_TAIL || !bare_atom(o->arg[0]))
            return 0;
    return 1;
}

/* The value of a value step (is_value_step): a ':' list is the one VOP_TAIL
 * makes, made once here. 1 and *v, 0 a rest (any part a rest), -1 out of
 * memory. */
static int step_value(struct mb *b, const struct melem *e, struct val *v)
{
    uint32_t parts = 1;
    for (const struct mop *o = e->ops; o; o = o->next)
        parts++;
    if (parts == 1)
        return atom_value(b, e->src, v);
    struct val *items = ARENA_ARRAY(b->scratch, struct val, parts);
    if (!items) {
        build_error(b, e->off, "out of memory");
        return -1;
    }
    const struct mnode *last = e->src;
    int kind = atom_value(b, e->src, &items[0]);
    uint32_t i = 1;
    for (const struct mop *o = e->ops; o && kind > 0; o = o->next) {
        last = o->arg[0]->src;
        kind = atom_value(b, last, &items[i++]);
    }
    if (kind <= 0)
        return kind;
    size_t len = last->off + last->len - e->src->off;      /* "sn:2" as written */
    struct vcache *slot = vcache_slot(b, &b->vals, b->src + e->src->off, len);
    struct val *keep = slot && !slot->text ? ARENA_ARRAY(b->a, struct val, parts) : NULL;
    if (!slot || (!slot->text && !keep)) {
        build_error(b, e->off, "out of memory");
        return -1;
    }
    if (!slot->text) {
        memcpy(keep, items, sizeof *keep * parts);
        *slot = (struct vcache){ .text = b->src + e->src->off, .len = len,
                                 .v = { .kind = VAL_LIST, .n = parts, .u.list = keep } };
        b->vals.n++;
    }
    *v = slot->v;
    return 1;
}

/* A sequence of two or more value steps (is_value_step),
 * written as one P_VALCAT (24 bytes a step) instead of a node per step.
 * 1 built into *r, 0 when the sequence has anything else in it, -1 after
 * an error. */
static int build_plain_seq(struct mb *b, struct mnode *n, struct built *r)
{
    if (n->align != AL_SEQ || n->n < 2)
        return 0;
    struct mfull f;
    for (int i = 0; i < n->n; i++)
        if (!is_value_step(item_elem(b, n->items[i], &f)))
            return 0;
    struct val *vals = ARENA_ARRAY(b->a, struct val, n->n);
    int32_t *cols = b->line ? ARENA_ARRAY(b->a, int32_t, n->n) : NULL;
    int ok = vals && (cols || !b->line);
    for (int i = 0; ok && i < n->n; i++) {
        const struct melem *e = item_elem(b, n->items[i], &f);
        int kind = step_value(b, e, &vals[i]);
        ok = kind >= 0;
        if (kind == 0)
            vals[i] = val_none();
        if (cols)
            cols[i] = b->col + (int32_t)e->off;
    }
    struct pnode *p = ok ? pat_valcat(b->a, vals, cols, n->n, b->line) : NULL;
    r->p = p ? pat_fast(b->a, rat_int(n->n), p) : NULL;
    if (!r->p) {
        build_error(b, n->off, "out of memory");   /* or what atom_value reported first */
        return -1;
    }
    r->weight = r->steps = rat_int(n->n);      /* as build_seq's weights of 1 give */
    r->has_weight = 1;
    return 1;
}

/* An atom with a quote: a chord ("c'maj'ii", Tidal's chord table and
 * modifiers, pat_tonal.c) is one step holding a stack of its notes, as
 * numbers (semitones from c4); other text with a quote stays a string. */
static struct built build_chord(struct mb *b, struct mnode *n)
{
    struct built r = { NULL, { 0, 1 }, 0, { 1, 1 } };
    double notes[64];
    const char *err = NULL;
    int k = tonal_chord_notes(n->text, n->len, notes, 64, &err);
    if (k < 0) {
        build_error(b, n->off, "%s", err);
        return r;
    }
    const struct pnode *pk[64];
    for (int i = 0; i < k; i++) {
        struct pnode *w = pat_pure(b->a, val_num(notes[i]));
        if (w && b->line) {
            w->line = b->line;
            w->col = b->col + (int32_t)n->off;
        }
        pk[i] = w;
        if (!w) {
            build_error(b, n->off, "out of memory");
            return r;
        }
    }
    const char *t = k ? NULL : text_copy(b, n->text, n->len);
    r.p = k ? pat_stack(b->a, pk, k) : t ? pat_pure(b->a, val_str(t)) : NULL;
    if (!r.p)
        build_error(b, n->off, "out of memory");
    return r;
}

/* The pattern of an item kept as text (mitem): made once, the IT_TEXT or
 * IT_RAND item's text parsed again (an IT_RAND one's random operators
 * numbered from 0: its caller shifts it by its seed), then the same
 * pattern wherever the same text is written (patterns are values; the
 * first place it is written is where its names are looked up and its
 * errors said, as for a pattern built at each place). */
static struct built item_built(struct mb *b, mitem it)
{
    struct built r = { NULL, { 0, 1 }, 0, { 1, 1 } };
    size_t off = ITEM_OFF(it), len = ITEM_LEN(it);
    struct vcache *slot = vcache_slot(b, &b->steps, b->src + off, len);
    if (slot && slot->text)
        return *slot->built;
    struct mp m = { .s = b->src, .len = off + len, .pos = off, .a = b->scratch, .open_at = -1 };
    struct mfull f;
    struct melem *e = !slot ? NULL : ITEM_KIND(it) >= IT_TEXT ? slice_with_ops(&m) : item_elem(b, it, &f);
    struct built *keep = e ? ARENA_NEW(b->scratch, struct built) : NULL;
    if (!keep || (ITEM_KIND(it) >= IT_TEXT && m.pos != off + len)) {
        build_error(b, off, e && keep ? "internal error: a step does not parse again" : "out of memory");
        return r;
    }
    *keep = build_elem(b, e);
    if (b->failed)
        return *keep;
    if (!(slot = vcache_slot(b, &b->steps, b->src + off, len))) {     /* the table may have grown */
        build_error(b, off, "out of memory");
        return r;
    }
    *slot = (struct vcache){ .text = b->src + off, .len = len, .built = keep, .weight = e->weight };
    b->steps.n++;
    return *keep;
}

static struct built build_node(struct mb *b, struct mnode *n)
{
    struct built r = { NULL, { 0, 1 }, 0, { 1, 1 } };
    struct arena *a = b->a;
    if (n->atom) {
        struct val v;
        struct pnode *w = NULL;
        int kind = atom_value(b, n, &v);
        if (kind == 0)
            r.p = pat_silence();
        else {
            if (kind == 2)
                return build_chord(b, n);
            w = kind > 0 ? pat_pure(a, v) : NULL;
            if (kind < 0)
                return r;                       /* reported */
            if (w && b->line) {
                w->line = b->line;
                w->col = b->col + (int32_t)n->off;
            }
            r.p = w;
        }
        if (!r.p)
            build_error(b, n->off, "out of memory");
        return r;
    }
    if (build_plain_seq(b, n, &r))
        return r;
    /* what the layers of a stack, < > or { } give besides their patterns
     * (a sequence's steps need none: 48 bytes a step of a long line) */
    int layers = n->align == AL_STACK || n->align == AL_SLOWCAT || n->align == AL_POLY;
    struct built *kids = layers ? ARENA_ARRAY(b->scratch, struct built, n->n) : NULL, one;
    const struct pnode **pk = ARENA_ARRAY(b->scratch, const struct pnode *, n->n);
    if ((layers && !kids) || !pk) {
        build_error(b, n->off, "out of memory");
        return r;
    }
    int32_t *seeds = NULL;              /* a sequence's steps' (IT_RAND), else 0 */
    struct mfull f;
    for (int i = 0; i < n->n; i++) {
        struct melem *e = item_elem(b, n->items[i], &f);
        if (n->align == AL_CHORD && e->src->atom) {       /* a piece of text as it is */
            const struct mnode *t = e->src;
            const char *text = text_copy(b, t->text, t->len);         /* out of the scratch arena */
            pk[i] = text ? pat_pure(a, val_str(text)) : NULL;
            if (!pk[i]) {
                build_error(b, t->off, "out of memory");
                return r;
            }
            continue;
        }
        one = n->items[i] & 1 ? item_built(b, n->items[i]) : build_elem(b, e);
        if (b->failed)
            return r;
        if ((n->items[i] & 1) && ITEM_KIND(n->items[i]) == IT_RAND) {
            int32_t seed = ITEM_SEED(n->items[i]);
            if (n->align != AL_SEQ) {
                one.p = pat_rand_shift(a, pat_mini_seed_shift(seed), one.p);
            } else if (!seeds && !(seeds = arena_calloc(a, (size_t)n->n, sizeof *seeds, _Alignof(int32_t)))) {
                build_error(b, n->off, "out of memory");
                return r;
            }
            if (seeds)
                seeds[i] = seed;
        }
        pk[i] = one.p;
        if (kids)
            kids[i] = one;
    }
    switch (n->align) {
    case AL_STACK:
        r.p = pat_stack(a, pk, n->n);
        r.steps = kids[0].steps;
        for (int i = 1; i < n->n; i++)
            r.steps = lcm2(r.steps, kids[i].steps);
        break;
    case AL_SLOWCAT:
        r.steps = rat_int(0);
        for (int i = 0; i < n->n; i++) {
            if (!kids[i].has_weight || kids[i].weight.n == 0) {
                build_error(b, item_elem(b, n->items[i], &f)->off,
                            "Division by Zero: the weights of a '<...>' layer sum to 0");
                return r;
            }
            pk[i] = pat_fast(a, rat_div(rat_int(1), kids[i].weight), kids[i].p);
            r.steps = i ? lcm2(r.steps, kids[i].steps) : kids[i].steps;
        }
        r.p = pat_stack(a, pk, n->n);
        break;
    case AL_POLY:
        if (build_poly(b, n, kids, pk, &r))
            return r;
        break;
    case AL_RAND:
        if (build_rand(b, n, pk, &r))
            return r;
        break;
    case AL_FEET:
        r.p = pat_fastcat(a, pk, n->n);
        r.steps = rat_int(n->n);
        break;
    case AL_SEQ:
        if (build_seq(b, n, pk, seeds, &r))
            return r;
        break;
    case AL_CHORD:
        r.p = pk[0];
        for (int i = 1; i < n->n && r.p; i++)
            r.p = pat_app(a, APP_BOTH | VOP_TAIL, r.p, pk[i]);
        r.p = pat_tonal_chords(a, r.p);
        r.steps = rat_int(1);
        break;
    }
    if (!r.p)
        build_error(b, n->off, "out of memory");
    return r;
}

/* ---- entry point ----------------------------------------------------------- */

static void describe(char *buf, size_t cap, unsigned ex)
{
    static const struct { unsigned bit; const char *text; } names[] = {
        { EX_STEP, "a value" }, { EX_LBRACK, "'['" }, { EX_LANGLE, "'<'" }, { EX_LBRACE, "'{'" },
        { EX_RBRACK, "']'" }, { EX_RANGLE, "'>'" }, { EX_RBRACE, "'}'" }, { EX_RPAREN, "')'" },
        { EX_COMMA, "','" }, { EX_NUMBER, "a number" }, { EX_END, "the end of the pattern" },
    };
    size_t o = 0;
    int k = 0, count = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        count += (ex & names[i].bit) != 0;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names && o < cap; i++) {
        if (!(ex & names[i].bit))
            continue;
        k++;
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", k == 1 ? "" : k == count ? " or " : ", ",
                              names[i].text);
    }
}

static void found_text(const struct mp *m, size_t pos, char *buf, size_t cap)
{
    if (pos >= m->len) {
        snprintf(buf, cap, "the end of the pattern");
        return;
    }
    uint32_t cp;
    int n = utf8_at(m, pos, &cp);
    if (n == 0)
        snprintf(buf, cap, "the byte 0x%02x, which is not valid UTF-8", (unsigned char)m->s[pos]);
    else if (m->s[pos] == '"')
        snprintf(buf, cap, "'\"' (a string cannot contain a double quote)");
    else if (cp < 0x20 || cp == 0x7f)
        snprintf(buf, cap, "control character 0x%02x%s", (unsigned)cp, cp ? "" : " (a NUL byte)");
    else
        snprintf(buf, cap, "'%.*s'", n, m->s + pos);
}

const struct pnode *pat_mini_parse(struct arena *a, const char *s, size_t len,
                                   struct pat_mini_error *err, struct rat *steps)
{
    return pat_mini_parse_at(a, s, len, 0, 0, err, steps);
}

static const struct pnode *parse_and_build(struct arena *a, struct arena *scratch, const char *s, size_t len,
                                           int line, int col, int bools, struct pat_mini_error *err,
                                           struct rat *steps);

static const struct pnode *parse_mini(struct arena *a, const char *s, size_t len, int line, int col, int bools,
                                      struct pat_mini_error *err, struct rat *steps);

const struct pnode *pat_mini_parse_at(struct arena *a, const char *s, size_t len, int line, int col,
                                      struct pat_mini_error *err, struct rat *steps)
{
    return parse_mini(a, s, len, line, col, 0, err, steps);
}

const struct pnode *pat_mini_parse_bools_at(struct arena *a, const char *s, size_t len, int line, int col,
                                            struct pat_mini_error *err, struct rat *steps)
{
    return parse_mini(a, s, len, line, col, 1, err, steps);
}

static const struct pnode *parse_mini(struct arena *a, const char *s, size_t len, int line, int col, int bools,
                                      struct pat_mini_error *err, struct rat *steps)
{
    /* The parse tree and the build's temporaries live in a scratch arena
     * (with the caller's limit, so that runaway parsing still stops there),
     * freed before returning: the result keeps only what it plays. */
    struct arena scratch;
    err->offset = 0;
    err->open_offset = -1;
    err->msg[0] = 0;
    err->scratch = 0;
    if (arena_init(&scratch, 1 << 14, 1, a->limit)) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    const struct pnode *p = parse_and_build(a, &scratch, s, len, line, col, bools, err, steps);
    err->scratch = scratch.total;               /* chunks are kept until here: the peak */
    arena_deinit(&scratch);
    return p;
}

static const struct pnode *parse_and_build(struct arena *a, struct arena *scratch, const char *s, size_t len,
                                           int line, int col, int bools, struct pat_mini_error *err,
                                           struct rat *steps)
{
    struct mp m = { .s = s, .len = len, .a = scratch, .open_at = -1 };
    ws(&m);
    struct mnode *root = stack_or_choose(&m);
    if (root)
        ws(&m);
    if (root && m.pos < m.len)
        expect(&m, EX_END | EX_OP);
    if (m.oom) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    if (m.toodeep) {
        err->offset = m.far;
        snprintf(err->msg, sizeof err->msg, "brackets nested more than %d deep", MINI_MAX_DEPTH);
        return NULL;
    }
    if (!root || m.pos < m.len) {
        char found[64], want[120];
        found_text(&m, m.far, found, sizeof found);
        err->offset = m.far;
        if (m.open_at >= 0) {
            char close = m.open_ch == '[' ? ']' : m.open_ch == '<' ? '>' : m.open_ch == '{' ? '}' : ')';
            err->open_offset = m.open_at;
            snprintf(err->msg, sizeof err->msg, "expected '%c' to close '%c'", close, m.open_ch);
        } else {
            unsigned ex = m.expected & ~(unsigned)EX_OP;
            if (m.far == 0 || !ex)
                ex |= EX_STEP;
            describe(want, sizeof want, ex);
            if (m.far >= m.len)
                snprintf(err->msg, sizeof err->msg, "the pattern ends too early; expected %s", want);
            else
                snprintf(err->msg, sizeof err->msg, "unexpected %s in the pattern; expected %s", found, want);
        }
        return NULL;
    }
    struct mb b = { .src = s, .a = a, .scratch = scratch, .err = err, .line = line, .col = col, .bools = bools };
    struct built r = build_elem(&b, wrap(&m, root));
    if (b.failed)
        return NULL;
    if (steps)
        *steps = r.steps;
    return r.p;
}
