/* pat_value.c -- pattern values: numbers, strings, lists, control maps.
 *
 * Values are small tagged unions; lists and maps point into an arena (the
 * program's for constants, the query's scratch for values made while
 * querying). Maps keep their keys sorted and unique, which makes lookup a
 * binary search and printing canonical.
 *
 * The printing rules are JavaScript's (the reference is Strudel): numbers as
 * Number#toString (shortest digits that read back to the same double, with
 * JS's choice between fixed and exponent notation), strings raw unless they
 * could be mistaken for something else, lists and maps as compact JSON with
 * sorted keys. SEMANTICS.md section 1 and the corpus README state them.
 */
#include "pat.h"
#include "phonon.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct val *val_map_get(struct val v, const char *key)
{
    if (v.kind != VAL_MAP)
        return NULL;
    int lo = 0, hi = (int)v.n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        const char *k = v.u.map[mid].key;
        /* strcmp's sign, without its call when the first bytes differ
         * (most look-ups: a voice asks for ~100 controls it mostly lacks) */
        int c = (int)(unsigned char)k[0] - (int)(unsigned char)key[0];
        if (c == 0)
            c = strcmp(k, key);
        if (c == 0)
            return &v.u.map[mid].v;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

struct val val_map_set(struct arena *a, struct val m, const char *key, struct val x)
{
    uint32_t n = m.kind == VAL_MAP ? m.n : 0;
    struct pat_kv *kv = ARENA_ARRAY(a, struct pat_kv, n + 1);
    struct val r = { VAL_MAP, 0, { .map = kv } };
    if (!kv)
        return val_none();
    uint32_t j = 0, i = 0;
    int placed = 0;
    for (; i < n; i++) {
        int c = strcmp(m.u.map[i].key, key);
        if (!placed && c >= 0) {
            kv[j].key = key;
            kv[j++].v = x;
            placed = 1;
            if (c == 0)
                continue;
        }
        kv[j++] = m.u.map[i];
    }
    if (!placed) {
        kv[j].key = key;
        kv[j++].v = x;
    }
    r.n = j;
    return r;
}

int val_truthy(struct val v)
{
    switch (v.kind) {
    case VAL_NONE: return 0;
    case VAL_NUM: return v.u.num != 0 && !isnan(v.u.num);
    case VAL_BOOL: return v.u.b;
    case VAL_STR: return v.u.str[0] != 0;
    default: return 1;
    }
}

int val_equal(struct val a, struct val b)
{
    if (a.kind != b.kind || a.n != b.n)
        return 0;
    switch (a.kind) {
    case VAL_NONE: return 1;
    case VAL_NUM: return a.u.num == b.u.num;
    case VAL_BOOL: return a.u.b == b.u.b;
    case VAL_STR: return strcmp(a.u.str, b.u.str) == 0;
    case VAL_LIST:
        for (uint32_t i = 0; i < a.n; i++)
            if (!val_equal(a.u.list[i], b.u.list[i]))
                return 0;
        return 1;
    case VAL_MAP:
        for (uint32_t i = 0; i < a.n; i++)
            if (strcmp(a.u.map[i].key, b.u.map[i].key) || !val_equal(a.u.map[i].v, b.u.map[i].v))
                return 0;
        return 1;
    }
    return 0;
}

/* Note names: [a-gA-G][#bsf]*-?[0-9]* -> (octave + 1) * 12 + chroma + accidentals. */
int val_note_midi(const char *s, double default_octave, double *midi)
{
    static const int chroma[7] = { 9, 11, 0, 2, 4, 5, 7 };     /* a b c d e f g */
    char c = *s;
    if (c >= 'A' && c <= 'G')
        c = (char)(c - 'A' + 'a');
    if (c < 'a' || c > 'g')
        return -1;
    int acc = 0;
    const char *p = s + 1;
    for (; *p == '#' || *p == 'b' || *p == 's' || *p == 'f'; p++)
        acc += (*p == '#' || *p == 's') ? 1 : -1;
    int neg = 0;
    if (*p == '-')
        neg = 1, p++;
    double oct = 0;
    const char *digits = p;
    for (; *p >= '0' && *p <= '9'; p++)
        oct = oct * 10 + (*p - '0');
    if (*p)
        return -1;
    if (p == digits)                            /* no digits: octave 3; a lone '-' is NaN, as in JS */
        oct = neg ? (double)NAN : default_octave;
    else if (neg)
        oct = -oct;
    *midi = (oct + 1) * 12 + chroma[c - 'a'] + acc;
    return 0;
}

/* ---- numbers ------------------------------------------------------------ */

/* Shortest decimal digits of x (x finite, > 0): digits in d (no dot), their
 * count k, and n such that x = 0.d * 10^n. */
static int shortest_digits(double x, char *d, int *n)
{
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
        if (strtod(buf, NULL) == x || prec == 17)
            break;
    }
    /* buf is "d.ddde+XX" or "de+XX" */
    int k = 0;
    const char *p = buf;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            d[k++] = *p;
    while (k > 1 && d[k - 1] == '0')
        k--;
    d[k] = 0;
    *n = atoi(p + 1) + 1;
    return k;
}

size_t val_format_num(double x, char *buf, size_t cap)
{
    if (isnan(x))
        return (size_t)snprintf(buf, cap, "NaN");
    if (isinf(x))
        return (size_t)snprintf(buf, cap, x > 0 ? "Infinity" : "-Infinity");
    if (x == 0)
        return (size_t)snprintf(buf, cap, "0");
    char d[24], out[64];
    int n, k = shortest_digits(fabs(x), d, &n);
    size_t o = 0;
    if (x < 0)
        out[o++] = '-';
    if (k <= n && n <= 21) {                    /* integer: digits then zeros */
        memcpy(out + o, d, (size_t)k), o += (size_t)k;
        for (int i = 0; i < n - k; i++)
            out[o++] = '0';
    } else if (0 < n && n <= 21) {              /* dot inside the digits */
        memcpy(out + o, d, (size_t)n), o += (size_t)n;
        out[o++] = '.';
        memcpy(out + o, d + n, (size_t)(k - n)), o += (size_t)(k - n);
    } else if (-6 < n && n <= 0) {              /* 0.000ddd */
        out[o++] = '0';
        out[o++] = '.';
        for (int i = 0; i < -n; i++)
            out[o++] = '0';
        memcpy(out + o, d, (size_t)k), o += (size_t)k;
    } else {                                    /* exponent form */
        out[o++] = d[0];
        if (k > 1) {
            out[o++] = '.';
            memcpy(out + o, d + 1, (size_t)(k - 1)), o += (size_t)(k - 1);
        }
        o += (size_t)snprintf(out + o, sizeof out - o, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
    }
    out[o] = 0;
    return (size_t)snprintf(buf, cap, "%s", out);
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* JavaScript Number(s) on an atom's text. */
/* A decimal D*[.D*][(e|E)[+-]D+] (grammar already checked, len > 0, no
 * sign) to the correctly rounded double, whatever its length and without
 * allocating: the significant digits are rewritten as 0.DDD...e<exp>,
 * keeping the first 800 and a nonzero digit after them when any dropped
 * digit is nonzero. 767 significant digits decide the rounding of any
 * double, so the result is that of the whole text. */
enum { DEC_KEEP = 800 };
static double decimal_value(const char *s, size_t len)
{
    char buf[DEC_KEEP + 40];
    size_t nd = 0, i = 0;
    long exp10 = 0;                 /* the value is 0.<digits> x 10^exp10 */
    int seen = 0, sticky = 0, point = 0;
    for (; i < len && s[i] != 'e' && s[i] != 'E'; i++) {
        char c = s[i];
        if (c == '.') {
            point = 1;
            continue;
        }
        if (!seen && c == '0') {
            if (point)
                exp10--;            /* 0.00d: each zero after the point moves it */
            continue;
        }
        seen = 1;
        if (!point && exp10 < 2000000000L)
            exp10++;                /* an integer digit */
        if (nd < DEC_KEEP)
            buf[2 + nd++] = c;
        else if (c != '0')
            sticky = 1;
    }
    if (!seen)
        return 0.0;
    if (i < len) {                  /* the exponent, saturated far beyond any double */
        i++;
        int neg = 0;
        if (s[i] == '+' || s[i] == '-')
            neg = s[i++] == '-';
        long e = 0;
        for (; i < len; i++)
            e = e < 1000000000L ? e * 10 + (s[i] - '0') : e;
        exp10 += neg ? -e : e;
    }
    if (sticky)
        buf[2 + nd++] = '1';
    buf[0] = '0';
    buf[1] = '.';
    if (exp10 > 100000)
        exp10 = 100000;             /* still infinity */
    if (exp10 < -100000)
        exp10 = -100000;            /* still zero */
    snprintf(buf + 2 + nd, sizeof buf - 2 - nd, "e%ld", exp10);
    return strtod(buf, NULL);
}

int val_parse_number(const char *s, size_t len, double *x)
{
    if (len == 0)
        return 0;
    size_t i = 0;
    int neg = 0;
    if (len >= 3 && s[0] == '0' && strchr("xXoObB", s[1])) {
        int base = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
        double v = 0;
        for (i = 2; i < len; i++) {
            char c = s[i];
            int dv;
            if (is_digit(c)) dv = c - '0';
            else if (c >= 'a' && c <= 'f') dv = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') dv = c - 'A' + 10;
            else return 0;
            if (dv >= base)
                return 0;
            v = v * base + dv;
        }
        if (base == 16 && len < 64) {       /* correctly rounded for long ones */
            char tmp[64];
            memcpy(tmp, s, len);
            tmp[len] = 0;
            v = strtod(tmp, NULL);
        }
        *x = v;
        return 1;
    }
    if (s[0] == '-')
        neg = 1, i = 1;
    if (len - i == 8 && memcmp(s + i, "Infinity", 8) == 0) {
        *x = neg ? -(double)INFINITY : (double)INFINITY;
        return 1;
    }
    /* D+[.D*][E] or .D+[E] */
    size_t q = i;
    int intd = 0, fracd = 0;
    while (q < len && is_digit(s[q])) q++, intd++;
    if (q < len && s[q] == '.') {
        q++;
        while (q < len && is_digit(s[q])) q++, fracd++;
    }
    if (intd == 0 && fracd == 0)
        return 0;
    if (q < len && (s[q] == 'e' || s[q] == 'E')) {
        q++;
        if (q < len && (s[q] == '+' || s[q] == '-'))
            q++;
        if (q >= len || !is_digit(s[q]))
            return 0;
        while (q < len && is_digit(s[q])) q++;
    }
    if (q != len)
        return 0;
    double v = decimal_value(s + i, len - i);
    *x = neg ? -v : v;
    return 1;
}

/* ---- printing values ----------------------------------------------------- */

struct out {
    char *buf;
    size_t cap, len;
};

static void put(struct out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (o->len + 1 < o->cap)
            o->buf[o->len] = s[i];
        o->len++;
    }
}

static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }

/* s as a JSON string (phonon_json_escape), appended like put. */
static void put_json_string(struct out *o, const char *s)
{
    int room = o->len < o->cap;
    o->len += phonon_json_escape(room ? o->buf + o->len : NULL, room ? o->cap - o->len : 0, s);
}

/* Does a string read as a number (and so need quotes to stay a string)? */
static int looks_numeric(const char *s)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    if (strcmp(p, "Infinity") == 0 || strcmp(p, "NaN") == 0)
        return 1;
    if (s[0] == '0' && strchr("xXbBoO", s[1]) && s[1])
        return 1;
    /* (\d+\.?\d*|\.\d+)([eE][-+]?\d+)? */
    const char *q = p;
    int intd = 0, fracd = 0;
    while (is_digit(*q)) q++, intd++;
    if (intd) {
        if (*q == '.') { q++; while (is_digit(*q)) q++; }
    } else {
        if (*q != '.') return 0;
        q++;
        while (is_digit(*q)) q++, fracd++;
        if (!fracd) return 0;
    }
    if (*q == 'e' || *q == 'E') {
        const char *r = q + 1;
        if (*r == '+' || *r == '-') r++;
        if (!is_digit(*r)) return 0;
        while (is_digit(*r)) r++;
        q = r;
    }
    return *q == 0;
}

static int needs_quotes(const char *s)
{
    if (!*s || s[0] == '[' || s[0] == '{')
        return 1;
    for (const char *p = s; *p; p++)
        if (*p == '"' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
            *p == '\f' || *p == '\v' || ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xa0))
            return 1;
    static const char *const words[] = { "-", "true", "false", "null", "undefined" };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(s, words[i]) == 0)
            return 1;
    return looks_numeric(s);
}

static void put_json(struct out *o, struct val v)
{
    char num[40];
    switch (v.kind) {
    case VAL_NONE: puts_(o, "null"); break;
    case VAL_NUM:
        if (!isfinite(v.u.num)) {
            puts_(o, "null");
        } else {
            val_format_num(v.u.num, num, sizeof num);
            puts_(o, num);
        }
        break;
    case VAL_STR: put_json_string(o, v.u.str); break;
    case VAL_BOOL: puts_(o, v.u.b ? "true" : "false"); break;
    case VAL_LIST:
        put(o, "[", 1);
        for (uint32_t i = 0; i < v.n; i++) {
            if (i)
                put(o, ",", 1);
            put_json(o, v.u.list[i]);
        }
        put(o, "]", 1);
        break;
    case VAL_MAP:
        put(o, "{", 1);
        for (uint32_t i = 0; i < v.n; i++) {
            if (i)
                put(o, ",", 1);
            put_json_string(o, v.u.map[i].key);
            put(o, ":", 1);
            put_json(o, v.u.map[i].v);
        }
        put(o, "}", 1);
        break;
    }
}

size_t val_format(struct val v, char *buf, size_t cap)
{
    struct out o = { buf, cap, 0 };
    switch (v.kind) {
    case VAL_NUM: {
        char num[40];
        val_format_num(v.u.num, num, sizeof num);
        puts_(&o, num);
        break;
    }
    case VAL_STR:
        if (needs_quotes(v.u.str))
            put_json_string(&o, v.u.str);
        else
            puts_(&o, v.u.str);
        break;
    case VAL_NONE: puts_(&o, "undefined"); break;
    default: put_json(&o, v); break;
    }
    if (cap)
        buf[o.len < cap ? o.len : cap - 1] = 0;
    return o.len;
}
