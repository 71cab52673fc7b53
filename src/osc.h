/* osc.h -- Open Sound Control 1.0 packets: decoding, and the few messages
 * phonon sends.
 *
 * A packet (one UDP datagram) is a message or a bundle. A message is an
 * address ("/dirt/play"), a type tag string (",sfi") and the arguments, each
 * padded to a multiple of 4 bytes, big-endian. A bundle is "#bundle", a
 * 64-bit NTP time tag (seconds since 1900 in the high 32 bits, the fraction
 * in the low ones; 1 means "immediately") and elements, each a 32-bit size
 * and a message or a nested bundle. A nested bundle's time tag is its own
 * (the spec asks it to be no earlier than its parent's; we take it as
 * written).
 *
 * The decoder never trusts a byte: every size, string and padding is
 * checked against the datagram's end, nesting is bounded (OSC_MAX_DEPTH),
 * the messages of a packet are bounded (OSC_MAX_MESSAGES) and so are the
 * arguments of a message (OSC_MAX_ARGS). A packet that breaks a rule is
 * malformed: osc_decode returns OSC_EMALFORMED and delivers nothing, not
 * even the messages before the fault (a packet is taken whole or not at
 * all). Types i f s S d h t c T F N I b are understood (b, blobs, are
 * skipped: their bytes are not kept); another type tag makes the packet
 * malformed, since its argument's size is unknown.
 *
 * Strings point into the packet (NUL-terminated there); the caller keeps
 * the buffer alive while it reads them.
 *
 * Thread context: any thread; no allocation, no state (tests/fuzz/fuzz_osc.c
 * feeds it arbitrary bytes).
 */
#ifndef OSC_H
#define OSC_H

#include <stddef.h>
#include <stdint.h>

enum {
    OSC_MAX_DEPTH = 4,              /* bundles inside bundles */
    OSC_MAX_MESSAGES = 256,         /* messages in one packet */
    OSC_MAX_ARGS = 128,             /* arguments of one message */
    OSC_EMALFORMED = -1,
};

/* 1 (seconds 0, fraction 1): "now". */
#define OSC_TIME_NOW ((uint64_t)1)
/* Seconds from 1900 (NTP's era) to 1970 (Unix time). */
#define OSC_NTP_UNIX_OFFSET 2208988800u

struct osc_arg {
    char type;                      /* i f s d h t c T F N I (S as s, b as b) */
    double num;                     /* i f d h c T(1) F(0): the value as a number */
    const char *str;                /* s S: the string (in the packet) */
    uint64_t u64;                   /* t: the time tag; h: the bits */
};

struct osc_msg {
    const char *addr;               /* "/dirt/play" (in the packet) */
    uint64_t time;                  /* the enclosing bundle's time tag, or OSC_TIME_NOW */
    int nargs;
    struct osc_arg args[OSC_MAX_ARGS];
};

/* Called for each message of a packet, in order, once the whole packet
 * has decoded without fault. */
typedef void osc_msg_fn(void *user, const struct osc_msg *m);

/* Decode one packet of len bytes (not modified): checked whole first,
 * then each message decoded into *scratch and passed to fn. Returns the
 * number of messages delivered, or OSC_EMALFORMED (nothing delivered). */
int osc_decode(const void *buf, size_t len, struct osc_msg *scratch, osc_msg_fn *fn, void *user);

/* Unix time in nanoseconds of a time tag (OSC_TIME_NOW: 0, meaning "now"). */
int64_t osc_time_to_unix_ns(uint64_t t);
/* The time tag of a Unix time in nanoseconds. */
uint64_t osc_time_from_unix_ns(int64_t ns);

/* Writing a message: osc_out_begin with the address and the type tags
 * (",sisi"), then the arguments in order. Each returns 0, or -1 when the
 * buffer is too small (the message is then unusable). */
struct osc_out {
    unsigned char *buf;
    size_t cap, len;
    int err;
};
void osc_out_begin(struct osc_out *o, void *buf, size_t cap, const char *addr, const char *types);
void osc_out_str(struct osc_out *o, const char *s);
void osc_out_int(struct osc_out *o, int32_t v);
/* The message's length, or -1 when something did not fit. */
long osc_out_end(const struct osc_out *o);

#endif
