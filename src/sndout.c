/* sndout.c -- rendered audio into a sound file (sndout.h): the format from
 * the extension and --format, blocks converted (dithered for s16) and
 * written to a temporary file beside OUT, the Ogg serial fixed once the
 * file is closed, and the file flushed and renamed over OUT.
 *
 * Thread context: one control thread (render's main thread).
 */
#include "sndout.h"
#include "phonon.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct sndout {
    SNDFILE *sf;
    char *path;                     /* OUT as asked (for messages) */
    char *dest;                     /* the file replaced: OUT, or its link's target */
    char *tmp;                      /* the temporary file; NULL: writing dest in place */
    int sync_fd;                    /* a duplicate of tmp's descriptor, for fsync; -1 none */
    struct sndout_format f;
    uint32_t rng;                   /* the s16 dither's xorshift32 state, never 0 */
    short *s16;                     /* [2 * max_frames] converted samples */
    int *s24;                       /* [2 * max_frames], s24 in the high bits */
};

/* The container for path's extension; -1 when it is none of ours. */
static int major_format(const char *path, int *major)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return -1;
    if (!strcasecmp(dot, ".wav"))
        *major = SF_FORMAT_WAV;
    else if (!strcasecmp(dot, ".flac"))
        *major = SF_FORMAT_FLAC;
    else if (!strcasecmp(dot, ".aiff") || !strcasecmp(dot, ".aif"))
        *major = SF_FORMAT_AIFF;
    else if (!strcasecmp(dot, ".ogg"))
        *major = SF_FORMAT_OGG;
    else
        return -1;
    return 0;
}

/* See sndout.h. */
int sndout_choose(const char *path, const char *format, int rate, struct sndout_format *f, char *msg,
                  size_t size)
{
    if (major_format(path, &f->major)) {
        snprintf(msg, size, "%s: the output must end in .wav, .flac, .aiff or .ogg", path);
        return PHONON_EINVAL;
    }
    if (!strcmp(format, "s16")) {
        f->sub = SF_FORMAT_PCM_16;
    } else if (!strcmp(format, "s24")) {
        f->sub = SF_FORMAT_PCM_24;
    } else if (!strcmp(format, "f32")) {
        f->sub = SF_FORMAT_FLOAT;
    } else {
        snprintf(msg, size, "--format must be s16, s24 or f32, not '%s'", format);
        return PHONON_EINVAL;
    }
    if (f->major == SF_FORMAT_OGG)
        f->sub = SF_FORMAT_VORBIS;
    if (f->major == SF_FORMAT_FLAC && f->sub == SF_FORMAT_FLOAT) {
        snprintf(msg, size, "FLAC stores integers: use --format s16 or s24");
        return PHONON_EINVAL;
    }
    SF_INFO info = { .samplerate = rate, .channels = 2, .format = f->major | f->sub };
    if (!sf_format_check(&info)) {
        snprintf(msg, size, "%s: this combination of container and --format %s is not supported", path, format);
        return PHONON_EINVAL;
    }
    return 0;
}

/* See sndout.h. */
void sndout_abort(struct sndout *o)
{
    if (!o)
        return;
    if (o->sf)
        sf_close(o->sf);
    if (o->sync_fd >= 0)
        close(o->sync_fd);
    if (o->tmp)
        unlink(o->tmp);
    free(o->s16);
    free(o->s24);
    free(o->path);
    free(o->dest);
    free(o->tmp);
    free(o);
}

/* See sndout.h. */
const char *sndout_temp_path(const struct sndout *o)
{
    return o->tmp;
}

/* Where the audio goes: o->dest (path, or the file a symbolic link path
 * names) and, unless dest exists and is no regular file, a new temporary
 * file beside it (o->tmp). The open descriptor, or -1 with errno set. */
static int open_dest(struct sndout *o, const char *path)
{
    struct stat st;
    char *real = lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? realpath(path, NULL) : NULL;
    o->dest = real ? real : strdup(path);
    if (!o->dest)
        return errno = ENOMEM, -1;
    if (stat(o->dest, &st) == 0 && S_ISDIR(st.st_mode))
        return errno = EISDIR, -1;
    if (stat(o->dest, &st) == 0 && !S_ISREG(st.st_mode))
        return open(o->dest, O_WRONLY | O_CLOEXEC);            /* a FIFO, a device: in place */
    const char *slash = strrchr(o->dest, '/');
    int dirlen = slash ? (int)(slash - o->dest) + 1 : 0;
    size_t cap = strlen(o->dest) + 32;
    if (!(o->tmp = malloc(cap)))
        return errno = ENOMEM, -1;
    static unsigned counter;
    for (int tries = 0; tries < 100; tries++) {
        unsigned x = (unsigned)getpid() * 2654435761u ^ (unsigned)phonon_mono_ns() ^ ++counter * 40503u;
        snprintf(o->tmp, cap, "%.*s.%s.%06x.part", dirlen, o->dest, o->dest + dirlen, x & 0xffffff);
        int fd = open(o->tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;                      /* errno: EEXIST */
}

/* See sndout.h. */
struct sndout *sndout_open(const char *path, const struct sndout_format *f, int rate, int max_frames,
                           uint32_t seed, int *err, char *msg, size_t size)
{
    SF_INFO info = { .samplerate = rate, .channels = 2, .format = f->major | f->sub };
    struct sndout *o = calloc(1, sizeof *o);
    if (!o || !(o->path = strdup(path))) {
        free(o);
        *err = PHONON_ENOMEM;
        snprintf(msg, size, "out of memory");
        return NULL;
    }
    o->f = *f;
    o->sync_fd = -1;
    int fd = open_dest(o, path);
    if (fd < 0) {
        *err = errno == ENOMEM ? PHONON_ENOMEM : PHONON_EIO;
        snprintf(msg, size, "cannot create %s: %s", path, strerror(errno));
        free(o->tmp);               /* nothing was created */
        o->tmp = NULL;
        sndout_abort(o);
        return NULL;
    }
    o->sync_fd = dup(fd);
    if (o->sync_fd >= 0)
        (void)fcntl(o->sync_fd, F_SETFD, FD_CLOEXEC);
    if (!(o->sf = sf_open_fd(fd, SFM_WRITE, &info, SF_TRUE))) {
        *err = PHONON_EIO;
        snprintf(msg, size, "cannot create %s: %s", path, sf_strerror(NULL));
        close(fd);
        sndout_abort(o);
        return NULL;
    }
    /* no PEAK chunk: it holds a timestamp, and the same render must give
     * the same bytes */
    sf_command(o->sf, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    if (f->major == SF_FORMAT_OGG) {
        double q = 0.6;
        sf_command(o->sf, SFC_SET_VBR_ENCODING_QUALITY, &q, sizeof q);
    }
    o->s16 = malloc(sizeof(short) * 2 * (size_t)max_frames);
    o->s24 = malloc(sizeof(int) * 2 * (size_t)max_frames);
    if (!o->s16 || !o->s24) {
        *err = PHONON_ENOMEM;
        snprintf(msg, size, "out of memory");
        sndout_abort(o);
        return NULL;
    }
    o->rng = seed * 2654435761u ^ 0x9e3779b9u;
    if (!o->rng)
        o->rng = 1;
    return o;
}

/* xorshift32 for the dither: deterministic, seeded by sndout_open */
static uint32_t rng_next(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* See sndout.h. */
int sndout_write(struct sndout *o, const float *buf, int frames, char *msg, size_t size)
{
    sf_count_t wrote;
    if (o->f.sub == SF_FORMAT_PCM_16) {
        for (int i = 0; i < 2 * frames; i++) {
            /* TPDF dither: two uniform values of one LSB each */
            double d = ((double)(rng_next(&o->rng) >> 8) - (double)(rng_next(&o->rng) >> 8)) / 16777216.0;
            double v = floor((double)buf[i] * 32767.0 + d + 0.5);
            o->s16[i] = (short)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
        }
        wrote = sf_writef_short(o->sf, o->s16, frames);
    } else if (o->f.sub == SF_FORMAT_PCM_24) {
        for (int i = 0; i < 2 * frames; i++) {
            double v = floor((double)buf[i] * 8388607.0 + 0.5);
            v = v > 8388607 ? 8388607 : v < -8388608 ? -8388608 : v;
            o->s24[i] = (int)v * 256;
        }
        wrote = sf_writef_int(o->sf, o->s24, frames);
    } else {
        wrote = sf_writef_float(o->sf, buf, frames);
    }
    if (wrote == frames)
        return 0;
    /* "System error : File too large." -> "File too large" */
    const char *why = sf_strerror(o->sf), *colon = strstr(why, " : ");
    why = colon ? colon + 3 : why;
    int n = (int)strlen(why);
    snprintf(msg, size, "writing %s failed: %.*s", o->path, n > 0 && why[n - 1] == '.' ? n - 1 : n, why);
    return PHONON_EIO;
}

/* libsndfile gives an Ogg stream a serial number seeded from the clock; to
 * keep renders byte-identical, set every page's serial to a fixed value and
 * recompute the page checksums (Ogg's CRC-32: polynomial 0x04c11db7, no
 * reflection, initial 0, over the page with its CRC field zeroed). */
static uint32_t ogg_crc(const unsigned char *p, size_t n)
{
    uint32_t crc = 0;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint32_t)p[i] << 24;
        for (int k = 0; k < 8; k++)
            crc = crc & 0x80000000u ? (crc << 1) ^ 0x04c11db7u : crc << 1;
    }
    return crc;
}

/* Every Ogg page of buf[0 .. size) given our serial and its checksum again;
 * -1 when a page runs past the end. */
static int ogg_fix_pages(unsigned char *buf, size_t size)
{
    size_t at = 0;
    while (at + 27 <= size && memcmp(buf + at, "OggS", 4) == 0) {
        unsigned char *pg = buf + at;
        size_t nseg = pg[26], len = 27 + nseg;
        if (at + len > size)
            return -1;
        for (size_t k = 0; k < nseg; k++)
            len += pg[27 + k];
        if (at + len > size)
            return -1;
        memcpy(pg + 14, "PHON", 4);                 /* serial */
        memset(pg + 22, 0, 4);
        uint32_t crc = ogg_crc(pg, len);
        pg[22] = (unsigned char)crc;
        pg[23] = (unsigned char)(crc >> 8);
        pg[24] = (unsigned char)(crc >> 16);
        pg[25] = (unsigned char)(crc >> 24);
        at += len;
    }
    return 0;
}

/* The Ogg file at path, read, fixed (ogg_fix_pages) and written back. */
static int ogg_fix_serial(const char *path)
{
    FILE *f = fopen(path, "r+b");
    if (!f)
        return -1;
    unsigned char *buf = NULL;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    int rc = -1;
    if (size > 0 && size < (1L << 30) && (buf = malloc((size_t)size)) && fseek(f, 0, SEEK_SET) == 0 &&
        fread(buf, 1, (size_t)size, f) == (size_t)size) {
        rc = ogg_fix_pages(buf, (size_t)size);
        if (rc == 0 && (fseek(f, 0, SEEK_SET) || fwrite(buf, 1, (size_t)size, f) != (size_t)size))
            rc = -1;
    }
    free(buf);
    if (fclose(f))
        rc = -1;
    return rc;
}

/* Flush the temporary file's data to the disk (a full disk or a network
 * file system may say so only now) and close its duplicate descriptor.
 * 0, or -1 with errno. */
static int sync_close(struct sndout *o)
{
    int fd = o->sync_fd, rc = 0;
    o->sync_fd = -1;
    if (fd < 0)
        return 0;
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)    /* EINVAL: a FIFO, a device */
        rc = -1;
    int e = errno;
    if (close(fd) != 0 && !rc)
        return -1;
    errno = e;
    return rc;
}

/* See sndout.h: closed, fixed, flushed, renamed; any failure leaves the
 * destination as it was (sndout_abort removes the temporary file). */
int sndout_finish(struct sndout *o, char *msg, size_t size)
{
    int rc = PHONON_EIO, closed = sf_close(o->sf);
    o->sf = NULL;
    if (closed)
        snprintf(msg, size, "finishing %s failed: %s", o->path, sf_error_number(closed));
    else if (o->f.major == SF_FORMAT_OGG && ogg_fix_serial(o->tmp ? o->tmp : o->dest))
        snprintf(msg, size, "rewriting %s failed: %s", o->path, strerror(errno));
    else if (sync_close(o))
        snprintf(msg, size, "writing %s failed: %s", o->path, strerror(errno));
    else if (o->tmp && rename(o->tmp, o->dest) != 0)
        snprintf(msg, size, "cannot replace %s: %s", o->path, strerror(errno));
    else
        rc = 0;
    if (!rc) {
        free(o->tmp);               /* renamed: nothing to remove */
        o->tmp = NULL;
    }
    sndout_abort(o);
    return rc;
}
