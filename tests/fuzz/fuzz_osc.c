/* tests/fuzz/fuzz_osc.c -- the OSC decoder (src/osc.c) on arbitrary datagrams.
 *
 * The input is one UDP datagram. Besides "no crash, no read outside the
 * datagram" (ASan watches a copy in a buffer of exactly its size), the
 * answer must be well formed: OSC_EMALFORMED or the number of messages
 * delivered; each message's address starts with '/', its strings lie inside
 * the datagram and end there; at most OSC_MAX_ARGS arguments and
 * OSC_MAX_MESSAGES messages; the same answer when decoded again. A packet
 * that decodes is also written out again (osc_out, the writer phonon's
 * replies use) message by message when its arguments are strings and ints,
 * and must decode to the same message.
 */
#include "fuzz_common.h"
#include "osc.h"

struct seen {
    const uint8_t *lo, *hi;
    int n;
    uint64_t sum;                   /* of what was delivered, to compare two decodes */
};

static void check_str(const struct seen *s, const char *p)
{
    const uint8_t *u = (const uint8_t *)p;
    if (u < s->lo || u >= s->hi || !memchr(u, 0, (size_t)(s->hi - u)))
        fuzz_die("a string outside the datagram");
}

/* Writes m again when it has only s and i arguments; decodes it back. */
static void round_trip(const struct osc_msg *m)
{
    static unsigned char buf[1 << 16];
    char types[OSC_MAX_ARGS + 2] = ",";
    for (int i = 0; i < m->nargs; i++) {
        if (m->args[i].type != 's' && m->args[i].type != 'i')
            return;
        types[1 + i] = m->args[i].type;
        types[2 + i] = 0;
    }
    struct osc_out o;
    osc_out_begin(&o, buf, sizeof buf, m->addr, types);
    for (int i = 0; i < m->nargs; i++) {
        if (m->args[i].type == 's')
            osc_out_str(&o, m->args[i].str);
        else
            osc_out_int(&o, (int32_t)m->args[i].num);
    }
    long n = osc_out_end(&o);
    if (n < 0)
        return;
    static struct osc_msg back;
    if (osc_decode(buf, (size_t)n, &back, NULL, NULL) != 1)
        fuzz_die("a message written again does not decode");
}

static void on_msg(void *user, const struct osc_msg *m)
{
    struct seen *s = user;
    s->n++;
    check_str(s, m->addr);
    if (m->addr[0] != '/')
        fuzz_die("an address without '/'");
    if (m->nargs < 0 || m->nargs > OSC_MAX_ARGS)
        fuzz_die("%d arguments", m->nargs);
    s->sum = s->sum * 31 + m->time + (uint64_t)m->nargs;
    for (int i = 0; i < m->nargs; i++) {
        const struct osc_arg *a = &m->args[i];
        if (a->type == 's')
            check_str(s, a->str);
        s->sum = s->sum * 31 + (uint64_t)a->type + a->u64;
    }
    round_trip(m);
}

static void no_msg(void *user, const struct osc_msg *m) { (void)user; (void)m; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct osc_msg scratch;
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    struct seen a = { copy, copy + size, 0, 0 }, b = a;
    int n = osc_decode(copy, size, &scratch, on_msg, &a);
    if (n != OSC_EMALFORMED && (n < 0 || n > OSC_MAX_MESSAGES || n != a.n))
        fuzz_die("decode returned %d with %d messages delivered", n, a.n);
    if (n == OSC_EMALFORMED && a.n)
        fuzz_die("a malformed packet delivered %d messages", a.n);
    int again = osc_decode(copy, size, &scratch, on_msg, &b);
    if (again != n || a.sum != b.sum)
        fuzz_die("two decodes differ");
    if (osc_decode(copy, size, &scratch, no_msg, NULL) != n)
        fuzz_die("the answer depends on the callback");
    free(copy);
    return 0;
}
