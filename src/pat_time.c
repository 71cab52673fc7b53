/* pat_time.c -- exact rational time.
 *
 * Every time in a pattern is a fraction n/d of cycles with 64-bit numerator
 * and denominator, kept in lowest terms with d > 0. Intermediate products are
 * computed in 128 bits and reduced; a result that does not fit sets the
 * thread-local flag rat_overflow instead of wrapping, so a query that
 * overflows reports an error rather than a wrong time. Patterns that stay
 * musical (denominators from sequences, euclid steps, decimal factors) never
 * come near the limit: 2^63 cycles is longer than the universe at any tempo.
 *
 * rat_from_double is the conversion SEMANTICS.md section 1 specifies for
 * numbers used as times: a Stern-Brocot search with denominators up to 10^7,
 * in doubles, so that 0.3 becomes 3/10 and 1/3 (as a double) becomes 1/3.
 */
#include "pat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Thread_local int rat_overflow;

typedef __int128 i128;
typedef unsigned __int128 u128;

/* Binary GCD (Stein): shifts and subtractions instead of divisions, which
 * cost tens of cycles each at 64 bits and far more at 128 (__udivti3); the
 * arithmetic below runs its GCDs on 64-bit values whenever it can. */
static uint64_t gcd64(uint64_t a, uint64_t b)
{
    if (!a || !b)
        return a | b;
    int k = __builtin_ctzll(a | b);
    a >>= __builtin_ctzll(a);
    do {
        b >>= __builtin_ctzll(b);
        if (a > b) {
            uint64_t t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b);
    return a << k;
}

static u128 gcd128(u128 a, u128 b)
{
    while ((a >> 64) || (b >> 64)) {
        if (!b)
            return a;
        u128 t = a % b;
        a = b;
        b = t;
    }
    return gcd64((uint64_t)a, (uint64_t)b);
}

/* n/d (d != 0) in lowest terms, or overflow. */
static struct rat norm128(i128 n, i128 d)
{
    struct rat r = { 0, 1 };
    if (d == 0) {
        rat_overflow = 1;
        return r;
    }
    if (d < 0) {
        n = -n;
        d = -d;
    }
    if (n == 0)
        return r;
    u128 un = n < 0 ? (u128)(-n) : (u128)n;
    u128 g = gcd128(un, (u128)d);
    if (g > 1) {
        un /= g;
        d /= (i128)g;
    }
    if (un > (u128)INT64_MAX || d > (i128)INT64_MAX) {
        rat_overflow = 1;
        return r;
    }
    r.n = n < 0 ? -(int64_t)un : (int64_t)un;
    r.d = (int64_t)d;
    return r;
}

/* n/d already in lowest terms (d > 0), or overflow when it does not fit. */
static struct rat fit128(i128 n, i128 d)
{
    if (n > INT64_MAX || n < -(i128)INT64_MAX || d > INT64_MAX) {
        rat_overflow = 1;
        return (struct rat){ 0, 1 };
    }
    return (struct rat){ (int64_t)n, (int64_t)d };
}

static uint64_t uabs64(int64_t x)
{
    return x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
}

struct rat rat_make(int64_t n, int64_t d)
{
    if (d == 1)
        return rat_int(n);
    return norm128(n, d);
}

/* a/b + s c/d as Knuth gives it (TAOCP 4.5.1): with g = gcd(b, d), the sum is
 * (a (d/g) + s c (b/g)) / (b/g) d, and only gcd(t, g) can still divide
 * numerator and denominator. Every GCD is of 64-bit values; the result is
 * the same lowest-terms fraction the plain formula reduces to. */
static struct rat add_scaled(struct rat a, struct rat b, int sign)
{
    if (a.d == b.d) {
        int64_t s;
        if (!(sign > 0 ? __builtin_add_overflow(a.n, b.n, &s) : __builtin_sub_overflow(a.n, b.n, &s)))
            return a.d == 1 ? rat_int(s) : norm128(s, a.d);
    }
    uint64_t g = gcd64((uint64_t)a.d, (uint64_t)b.d);
    i128 bd = b.d / (int64_t)g, ad = a.d / (int64_t)g;
    i128 t = (i128)a.n * bd + (sign > 0 ? (i128)b.n * ad : -(i128)b.n * ad);
    if (t == 0)
        return rat_int(0);
    if (g == 1)
        return fit128(t, (i128)a.d * b.d);
    u128 ut = t < 0 ? (u128)(-t) : (u128)t;
    uint64_t g2 = gcd64((uint64_t)(ut % g), g);
    return fit128(t / (i128)g2, (i128)(a.d / (int64_t)g2) * bd);
}

struct rat rat_add(struct rat a, struct rat b)
{
    return add_scaled(a, b, 1);
}

struct rat rat_sub(struct rat a, struct rat b)
{
    return add_scaled(a, b, -1);
}

/* (a/b)(c/d) = ((a/g1)(c/g2)) / ((b/g2)(d/g1)) with g1 = gcd(a, d), g2 =
 * gcd(c, b): in lowest terms already, with 64-bit GCDs only. */
static struct rat mul_reduced(int64_t an, int64_t ad, int64_t bn, int64_t bd)
{
    if (an == 0 || bn == 0)
        return rat_int(0);
    int64_t g1 = (int64_t)gcd64(uabs64(an), uabs64(bd)), g2 = (int64_t)gcd64(uabs64(bn), uabs64(ad));
    i128 n = (i128)(an / g1) * (bn / g2), d = (i128)(ad / g2) * (bd / g1);
    if (d < 0)
        n = -n, d = -d;
    return fit128(n, d);
}

struct rat rat_mul(struct rat a, struct rat b)
{
    if (a.d == 1 && b.d == 1) {
        int64_t p;
        if (!__builtin_mul_overflow(a.n, b.n, &p))
            return rat_int(p);
    }
    return mul_reduced(a.n, a.d, b.n, b.d);
}

struct rat rat_div(struct rat a, struct rat b)
{
    if (b.n == 0) {
        rat_overflow = 1;
        return rat_int(0);
    }
    if (b.n == INT64_MIN)                   /* no 64-bit negation: the general path */
        return norm128((i128)a.n * b.d, (i128)a.d * b.n);
    return mul_reduced(a.n, a.d, b.d, b.n);
}

struct rat rat_neg(struct rat a)
{
    if (a.n == INT64_MIN) {
        rat_overflow = 1;
        return a;
    }
    a.n = -a.n;
    return a;
}

int rat_cmp(struct rat a, struct rat b)
{
    if (a.d == b.d)
        return (a.n > b.n) - (a.n < b.n);
    i128 x = (i128)a.n * b.d, y = (i128)b.n * a.d;
    return (x > y) - (x < y);
}

int64_t rat_floor_int(struct rat a)
{
    if (a.d == 1)
        return a.n;
    int64_t q = a.n / a.d;
    if (a.n % a.d != 0 && a.n < 0)
        q--;
    return q;
}

struct rat rat_floor(struct rat a)
{
    return rat_int(rat_floor_int(a));
}

struct rat rat_ceil(struct rat a)
{
    int64_t f = rat_floor_int(a);
    return rat_int(a.d == 1 ? f : f + 1);
}

struct rat rat_cycle_pos(struct rat a)
{
    return rat_sub(a, rat_floor(a));
}

double rat_to_double(struct rat a)
{
    return (double)a.n / (double)a.d;
}

/* The search of SEMANTICS.md section 1, for 0 < x, x not an integer. All
 * arithmetic in doubles, as the reference does it. Returns p/q and the scale
 * z (a power of ten as a double) separately. */
/* The search of SEMANTICS.md 1, step for step, but with each run of moves
 * in one direction taken at once: after j moves right the bounds are
 * (a + j c)/(b + j d), and the mediants compared along the run increase
 * with j (their doubles too: division rounds monotonically), so the run's
 * length is found by bisection. Integers stay below 2^53: exact. Without
 * this, x = 1e-7 or 0.9999999 takes ten million steps. */
static double mediant(double a, double b, double c, double d, double j)
{
    return (a + j * c) / (b + j * d);
}

static void stern_brocot(double x, double *p, double *q, double *z)
{
    const double lim = 1e7;
    *z = x >= 1 ? pow(10, floor(log10(x)) + 1) : 1;
    x = x / *z;
    double a = 0, b = 1, c = 1, d = 1, rn = 0, rd = 1;
    while (b <= lim && d <= lim) {
        double m = (a + c) / (b + d);
        if (x == m) {
            if (b + d <= lim) {
                rn = a + c;
                rd = b + d;
            } else if (d > b) {
                rn = c;
                rd = d;
            } else {
                rn = a;
                rd = b;
            }
            break;
        }
        /* a run of moves: right while x > (a + j c)/(b + j d) (each move
         * made while b <= lim), or left while x < (c + j a)/(d + j b) */
        int right = x > m;
        double lo = 1, hi = right ? floor((lim - b) / d) + 1 : floor((lim - d) / b) + 1;
        while (lo < hi) {                           /* the last j whose move is made */
            double mid = floor((lo + hi + 1) / 2);
            int go = right ? x > mediant(a, b, c, d, mid) : x < mediant(c, d, a, b, mid);
            if (go)
                lo = mid;
            else
                hi = mid - 1;
        }
        if (right) {
            a += lo * c;
            b += lo * d;
        } else {
            c += lo * a;
            d += lo * b;
        }
        if (b > lim) {
            rn = c;
            rd = d;
        } else {
            rn = a;
            rd = b;
        }
    }
    *p = rn;
    *q = rd;
}

int rat_from_double(double x, struct rat *r)
{
    if (!isfinite(x))
        return -1;
    double ax = fabs(x);
    if (ax == floor(ax)) {                          /* integers convert exactly */
        if (ax >= 9.2e18)
            return -1;
        *r = rat_int((int64_t)x);
        return 0;
    }
    double p, q, z;
    stern_brocot(ax, &p, &q, &z);
    if (z >= 9.2e18 || p * z >= 9.2e18)
        return -1;
    int saved = rat_overflow;
    rat_overflow = 0;
    struct rat v = rat_mul(rat_make((int64_t)p, (int64_t)q), rat_int((int64_t)z));
    int of = rat_overflow;
    rat_overflow = saved;
    if (of)
        return -1;
    *r = x < 0 ? rat_neg(v) : v;
    return 0;
}

char *rat_format(struct rat a, char *buf)
{
    if (a.d == 1)
        snprintf(buf, 48, "%lld", (long long)a.n);
    else
        snprintf(buf, 48, "%lld/%lld", (long long)a.n, (long long)a.d);
    return buf;
}

/* "n", "n/d", or a decimal "[-]digits[.digits][e[+-]digits]": exact when the
 * decimal fits in 64 bits, else through rat_from_double. */
int rat_parse(const char *s, struct rat *r)
{
    const char *slash = strchr(s, '/');
    char *end;
    if (slash) {
        long long n = strtoll(s, &end, 10);
        if (end != slash || end == s)
            return -1;
        long long d = strtoll(slash + 1, &end, 10);
        if (*end || end == slash + 1 || d == 0)
            return -1;
        int saved = rat_overflow;
        rat_overflow = 0;
        *r = rat_make(n, d);
        int of = rat_overflow;
        rat_overflow = saved;
        return of ? -1 : 0;
    }
    /* decimal: collect digits exactly */
    const char *p = s;
    int neg = 0;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    uint64_t mant = 0;
    int frac = 0, any = 0, exact = 1;
    for (; *p >= '0' && *p <= '9'; p++, any = 1) {
        if (mant > (UINT64_MAX - 9) / 10) { exact = 0; continue; }
        mant = mant * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, any = 1) {
            if (mant > (UINT64_MAX - 9) / 10) { exact = 0; continue; }
            mant = mant * 10 + (uint64_t)(*p - '0');
            frac++;
        }
    }
    long ex = 0;
    if (any && (*p == 'e' || *p == 'E')) {
        ex = strtol(p + 1, &end, 10);
        if (end == p + 1)
            return -1;
        p = end;
    }
    if (!any || *p)
        return -1;
    long scale = ex - frac;
    if (exact && mant <= (uint64_t)INT64_MAX && scale >= -18 && scale <= 18) {
        int64_t pw = 1;
        for (long i = 0; i < (scale < 0 ? -scale : scale); i++)
            pw *= 10;
        int saved = rat_overflow;
        rat_overflow = 0;
        struct rat v = scale >= 0 ? rat_mul(rat_int((int64_t)mant), rat_int(pw))
                                  : rat_make((int64_t)mant, pw);
        int of = rat_overflow;
        rat_overflow = saved;
        if (!of) {
            *r = neg ? rat_neg(v) : v;
            return 0;
        }
    }
    return rat_from_double(strtod(s, NULL), r);
}
