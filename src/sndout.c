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
    unsigned char *mem;             /* OUT "-": the whole file, written to stdout at the end */
    sf_count_t mem_len, mem_cap, mem_pos;
    short *s16;                     /* [2 * cap] converted samples */
    int *s24;                       /* [2 * cap], s24 in the high bits */
    float *pend;                    /* [2 * cap] frames not yet written: one write */
    int npend, cap;                 /* a few hundred ms, not one a block */
};

/* Frames gathered before they go to libsndfile: its float path writes
 * each call through, and a 512-frame block a call was 6,000 write calls
 * a minute of audio. */
enum { SNDOUT_GATHER = 16384 };

/* The containers whose codec fixes the sample type (--format is ignored). */
static const struct {
    const char *name;
    int major, sub;
} codecs[] = {
    { "ogg", SF_FORMAT_OGG, SF_FORMAT_VORBIS },
    { "oga", SF_FORMAT_OGG, SF_FORMAT_VORBIS },
    { "opus", SF_FORMAT_OGG, SF_FORMAT_OPUS },
    { "mp3", SF_FORMAT_MPEG, SF_FORMAT_MPEG_LAYER_III },
};

/* The container named `type` (an extension without the dot, any case):
 * a codec above (*sub set), or a major format libsndfile lists with that
 * extension (*sub 0: the sample type follows --format). -1 for none. */
static int major_format(const char *type, int *major, int *sub)
{
    *sub = 0;
    for (size_t i = 0; i < sizeof codecs / sizeof *codecs; i++)
        if (!strcasecmp(type, codecs[i].name)) {
            *major = codecs[i].major;
            *sub = codecs[i].sub;
            return 0;
        }
    if (!strcasecmp(type, "aif")) {
        *major = SF_FORMAT_AIFF;
        return 0;
    }
    int count = 0;
    sf_command(NULL, SFC_GET_FORMAT_MAJOR_COUNT, &count, sizeof count);
    for (int i = 0; i < count; i++) {
        SF_FORMAT_INFO fi = { .format = i };
        if (sf_command(NULL, SFC_GET_FORMAT_MAJOR, &fi, sizeof fi) == 0 && fi.extension &&
            !strcasecmp(type, fi.extension)) {
            *major = fi.format;                     /* the first: "wav" is WAV, not NIST */
            return 0;
        }
    }
    return -1;
}

/* See sndout.h. */
int sndout_choose_type(const char *path, const char *type, const char *format, int rate,
                       struct sndout_format *f, char *msg, size_t size)
{
    const char *dot = strrchr(path, '/') ? strrchr(strrchr(path, '/'), '.') : strrchr(path, '.');
    const char *t = type ? type : !strcmp(path, "-") ? "wav" : dot ? dot + 1 : "";
    int codec_sub;
    if (major_format(t, &f->major, &codec_sub)) {
        if (type)
            snprintf(msg, size, "--type %s: not a sound file type libsndfile writes (wav, flac, aiff, ogg, "
                     "opus, mp3, caf, w64, rf64, au, ...)", type);
        else
            snprintf(msg, size, "%s: the output's extension names no sound file type (.wav, .flac, .aiff, .ogg, "
                     ".opus, .mp3, .caf, .w64, .rf64, .au, ...); or give --type", path);
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
    if (codec_sub)
        f->sub = codec_sub;
    if (f->major == SF_FORMAT_FLAC && f->sub == SF_FORMAT_FLOAT) {
        snprintf(msg, size, "FLAC stores integers: use --format s16 or s24");
        return PHONON_EINVAL;
    }
    SF_INFO info = { .samplerate = rate, .channels = 2, .format = f->major | f->sub };
    if (!sf_format_check(&info)) {
        snprintf(msg, size, "%s: this combination of container (%s) and --format %s is not supported",
                 path, t, format);
        return PHONON_EINVAL;
    }
    if (f->sub == SF_FORMAT_OPUS && rate != 48000 && rate != 24000 && rate != 16000 && rate != 12000 &&
        rate != 8000) {
        snprintf(msg, size, "%s: Opus is written at 8000, 12000, 16000, 24000 or 48000 Hz: use --sample-rate 48000",
                 path);
        return PHONON_EINVAL;
    }
    return 0;
}

/* See sndout.h. */
int sndout_choose(const char *path, const char *format, int rate, struct sndout_format *f, char *msg,
                  size_t size)
{
    return sndout_choose_type(path, NULL, format, rate, f, msg, size);
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
    free(o->mem);
    free(o->s16);
    free(o->s24);
    free(o->pend);
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

/* ---- OUT "-": libsndfile writes into memory (a pipe cannot seek back to
 * the header), and sndout_finish copies the bytes to stdout. */
static sf_count_t mem_len(void *user)
{
    return ((struct sndout *)user)->mem_len;
}

static sf_count_t mem_seek(sf_count_t off, int whence, void *user)
{
    struct sndout *o = user;
    sf_count_t to = whence == SEEK_SET ? off : whence == SEEK_CUR ? o->mem_pos + off : o->mem_len + off;
    if (to < 0)
        return -1;
    return o->mem_pos = to;
}

static sf_count_t mem_read(void *ptr, sf_count_t n, void *user)
{
    struct sndout *o = user;
    sf_count_t k = o->mem_pos >= o->mem_len ? 0 : o->mem_len - o->mem_pos < n ? o->mem_len - o->mem_pos : n;
    memcpy(ptr, o->mem + o->mem_pos, (size_t)k);
    o->mem_pos += k;
    return k;
}

static sf_count_t mem_write(const void *ptr, sf_count_t n, void *user)
{
    struct sndout *o = user;
    if (o->mem_pos + n > o->mem_cap) {
        sf_count_t cap = o->mem_cap ? o->mem_cap : 1 << 16;
        while (cap < o->mem_pos + n)
            cap *= 2;
        unsigned char *m = realloc(o->mem, (size_t)cap);
        if (!m)
            return 0;
        memset(m + o->mem_cap, 0, (size_t)(cap - o->mem_cap));
        o->mem = m;
        o->mem_cap = cap;
    }
    memcpy(o->mem + o->mem_pos, ptr, (size_t)n);
    o->mem_pos += n;
    if (o->mem_pos > o->mem_len)
        o->mem_len = o->mem_pos;
    return n;
}

static sf_count_t mem_tell(void *user)
{
    return ((struct sndout *)user)->mem_pos;
}

static SF_VIRTUAL_IO mem_io = { mem_len, mem_seek, mem_read, mem_write, mem_tell };

static int ogg_fix_pages(unsigned char *buf, size_t size);

/* The memory file to stdout, every byte (Ogg pages fixed first). */
static int mem_flush(struct sndout *o)
{
    if (o->f.major == SF_FORMAT_OGG && ogg_fix_pages(o->mem, (size_t)o->mem_len))
        return errno = EIO, -1;
    for (sf_count_t at = 0; at < o->mem_len;) {
        ssize_t k = write(1, o->mem + at, (size_t)(o->mem_len - at));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        at += k;
    }
    return 0;
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
    if (!strcmp(path, "-")) {
        if (!(o->sf = sf_open_virtual(&mem_io, SFM_WRITE, &info, o))) {
            *err = PHONON_EIO;
            snprintf(msg, size, "cannot write to stdout: %s", sf_strerror(NULL));
            sndout_abort(o);
            return NULL;
        }
        goto opened;
    }
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
opened:
    /* no PEAK chunk: it holds a timestamp, and the same render must give
     * the same bytes */
    sf_command(o->sf, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    if (f->major == SF_FORMAT_OGG) {
        double q = 0.6;
        sf_command(o->sf, SFC_SET_VBR_ENCODING_QUALITY, &q, sizeof q);
    }
    o->cap = max_frames > SNDOUT_GATHER ? max_frames : SNDOUT_GATHER;
    o->s16 = malloc(sizeof(short) * 2 * (size_t)o->cap);
    o->s24 = malloc(sizeof(int) * 2 * (size_t)o->cap);
    o->pend = malloc(sizeof(float) * 2 * (size_t)o->cap);
    if (!o->s16 || !o->s24 || !o->pend) {
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

/* Convert and write the gathered frames. */
static int write_pending(struct sndout *o, char *msg, size_t size)
{
    const float *buf = o->pend;
    int frames = o->npend;
    o->npend = 0;
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

/* See sndout.h: frames are gathered and written SNDOUT_GATHER at a time
 * (the same bytes; a write error shows at a later call or at finish). */
int sndout_write(struct sndout *o, const float *buf, int frames, char *msg, size_t size)
{
    if (o->npend + frames > o->cap && o->npend > 0 && write_pending(o, msg, size))
        return PHONON_EIO;
    memcpy(o->pend + 2 * (size_t)o->npend, buf, sizeof(float) * 2 * (size_t)frames);
    o->npend += frames;
    return 0;
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
    if (o->npend > 0 && write_pending(o, msg, size)) {
        sndout_abort(o);
        return PHONON_EIO;
    }
    int rc = PHONON_EIO, closed = sf_close(o->sf);
    o->sf = NULL;
    if (closed)
        snprintf(msg, size, "finishing %s failed: %s", o->path, sf_error_number(closed));
    else if (o->mem && mem_flush(o))
        snprintf(msg, size, "writing to stdout failed: %s", strerror(errno));
    else if (o->mem)
        rc = 0;
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
