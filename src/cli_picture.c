/* cli_picture.c -- `phonon render --png FILE` / `--svg FILE`: a picture of
 * the render, to see where events land.
 *
 * The picture is W x H pixels: the left channel's waveform on top, the
 * right one's below (each column the min..max of the frames it covers), a
 * spectrogram strip at the bottom (a 1024-point FFT of the mono mix at each
 * column, 40 Hz to 16 kHz on a log scale, -90..0 dB), a grey line at every
 * cycle boundary through all three and a red tick at the top at every
 * frame where the program's onsets started voices (the column holding that
 * frame; up to ENGINE_ONSET_LOG distinct frames a block). PNG is written here (stored deflate blocks: no compression
 * library; the files are a few hundred KB), SVG by hand (the waveforms as
 * polygons, the spectrogram as coarse cells).
 *
 * Thread context: the render's main thread.
 */
#include "cli.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { PIC_W = 1000, PIC_WAVE_H = 130, PIC_SPEC_H = 100, PIC_H = 2 * PIC_WAVE_H + PIC_SPEC_H, FFT_N = 1024 };

struct cli_picture {
    int64_t total, fed;             /* frames expected, frames seen */
    int rate;
    double cps;
    float lo[2][PIC_W], hi[2][PIC_W];
    unsigned char onset[PIC_W];
    float spec[PIC_W][PIC_SPEC_H];  /* dB */
    float ring[FFT_N];              /* the last FFT_N mono frames */
    int next_col;                   /* the next column whose spectrum is due */
};

/* See cli.h. */
struct cli_picture *cli_picture_new(int64_t total_frames, int rate, double cps)
{
    struct cli_picture *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->total = total_frames > 0 ? total_frames : 1;
    p->rate = rate;
    p->cps = cps;
    for (int c = 0; c < PIC_W; c++)
        for (int ch = 0; ch < 2; ch++)
            p->lo[ch][c] = 1, p->hi[ch][c] = -1;
    for (int c = 0; c < PIC_W; c++)
        for (int r = 0; r < PIC_SPEC_H; r++)
            p->spec[c][r] = -90;
    return p;
}

void cli_picture_free(struct cli_picture *p)
{
    free(p);
}

/* In-place radix-2 FFT of re[FFT_N] + i im[FFT_N]. */
static void fft(double *re, double *im)
{
    for (int i = 1, j = 0; i < FFT_N; i++) {
        int bit = FFT_N >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            double t = re[i];
            re[i] = re[j];
            re[j] = t;
            t = im[i];
            im[i] = im[j];
            im[j] = t;
        }
    }
    for (int len = 2; len <= FFT_N; len <<= 1) {
        double wr = cos(2 * M_PI / len), wi = -sin(2 * M_PI / len);
        for (int i = 0; i < FFT_N; i += len) {
            double ur = 1, ui = 0;
            for (int k = 0; k < len / 2; k++) {
                int a = i + k, b = i + k + len / 2;
                double br = re[b] * ur - im[b] * ui, bi = re[b] * ui + im[b] * ur;
                re[b] = re[a] - br;
                im[b] = im[a] - bi;
                re[a] += br;
                im[a] += bi;
                double t = ur * wr - ui * wi;
                ui = ur * wi + ui * wr;
                ur = t;
            }
        }
    }
}

/* Column c's spectrum from the ring (the FFT_N frames before it, Hann). */
static void spectrum(struct cli_picture *p, int c)
{
    double re[FFT_N], im[FFT_N];
    int start = (int)(p->fed % FFT_N);
    for (int i = 0; i < FFT_N; i++) {
        re[i] = (double)p->ring[(start + i) % FFT_N] * (0.5 - 0.5 * cos(2 * M_PI * i / (FFT_N - 1)));
        im[i] = 0;
    }
    fft(re, im);
    double top = p->rate / 2.0 < 16000 ? p->rate / 2.0 : 16000;
    for (int r = 0; r < PIC_SPEC_H; r++) {
        double f = 40 * pow(top / 40, (r + 0.5) / PIC_SPEC_H);
        int k = (int)lround(f * FFT_N / p->rate);
        k = k < 1 ? 1 : k >= FFT_N / 2 ? FFT_N / 2 - 1 : k;
        double mag = hypot(re[k], im[k]) / (FFT_N / 4.0);
        double db = mag > 0 ? 20 * log10(mag) : -90;
        p->spec[c][r] = (float)(db < -90 ? -90 : db > 0 ? 0 : db);
    }
}

/* The column of frame f. */
static int column(const struct cli_picture *p, int64_t f)
{
    int64_t c = f * PIC_W / p->total;
    return c < 0 ? 0 : c >= PIC_W ? PIC_W - 1 : (int)c;
}

/* See cli.h. */
void cli_picture_feed(struct cli_picture *p, const float *buf, int frames, const int *onset, int nonsets)
{
    for (int i = 0; i < nonsets; i++)
        if (onset[i] < frames && p->fed + onset[i] < p->total)   /* a last, partial block's may lie past the end */
            p->onset[column(p, p->fed + onset[i])] = 1;
    for (int i = 0; i < frames && p->fed < p->total; i++, p->fed++) {
        int c = column(p, p->fed);
        for (int ch = 0; ch < 2; ch++) {
            float v = buf[2 * i + ch];
            if (v < p->lo[ch][c])
                p->lo[ch][c] = v;
            if (v > p->hi[ch][c])
                p->hi[ch][c] = v;
        }
        p->ring[p->fed % FFT_N] = 0.5f * (buf[2 * i] + buf[2 * i + 1]);
        while (p->next_col < PIC_W && (int64_t)p->next_col * p->total / PIC_W <= p->fed)
            spectrum(p, p->next_col++);
    }
}

/* ---- the raster ------------------------------------------------------------ */

static void put(unsigned char *img, int x, int y, unsigned rgb)
{
    if (x < 0 || x >= PIC_W || y < 0 || y >= PIC_H)
        return;
    unsigned char *px = img + 3 * ((size_t)y * PIC_W + (size_t)x);
    px[0] = (unsigned char)(rgb >> 16);
    px[1] = (unsigned char)(rgb >> 8);
    px[2] = (unsigned char)rgb;
}

/* -90..0 dB as black, purple, orange, yellow. */
static unsigned heat(float db)
{
    double t = ((double)db + 90) / 90;
    double r = t < 0.5 ? t * 2 * 0.6 : 0.6 + (t - 0.5) * 0.8;
    double g = t < 0.5 ? 0 : (t - 0.5) * 2;
    double b = t < 0.5 ? t * 2 * 0.5 : 0.5 * (1 - (t - 0.5) * 2);
    return (unsigned)(r * 255) << 16 | (unsigned)(g * 255) << 8 | (unsigned)(b * 255);
}

/* The row of value v in a waveform band starting at y0. */
static int wave_row(float v, int y0)
{
    double h = PIC_WAVE_H / 2.0 - 2;
    v = v > 1 ? 1 : v < -1 ? -1 : v;
    return y0 + PIC_WAVE_H / 2 - (int)lround((double)v * h);
}

enum { BG = 0xffffff, GRID = 0xaaaaaa, ONSET = 0xdc1e1e, AXIS = 0xdddddd };
static const unsigned wave_colour[2] = { 0x1e5ac8, 0x1e963c };

/* The cycle boundaries' columns, in order: 1 for each x that has one. */
static void cycle_columns(const struct cli_picture *p, unsigned char *grid)
{
    double seconds = (double)p->total / p->rate;
    for (int k = 0; k <= (int)(seconds * p->cps) + 1 && p->cps > 0; k++) {
        int64_t f = (int64_t)llround(k / p->cps * p->rate);
        if (f <= p->total)
            grid[f == p->total ? PIC_W - 1 : column(p, f)] = 1;
    }
}

static unsigned char *raster(const struct cli_picture *p)
{
    unsigned char *img = malloc((size_t)3 * PIC_W * PIC_H), grid[PIC_W] = { 0 };
    if (!img)
        return NULL;
    memset(img, 0xff, (size_t)3 * PIC_W * PIC_H);
    cycle_columns(p, grid);
    for (int x = 0; x < PIC_W; x++) {
        for (int ch = 0; ch < 2; ch++)
            put(img, x, ch * PIC_WAVE_H + PIC_WAVE_H / 2, AXIS);
        for (int r = 0; r < PIC_SPEC_H; r++)
            put(img, x, PIC_H - 1 - r, heat(p->spec[x][r]));
        if (grid[x])
            for (int y = 0; y < PIC_H; y++)
                put(img, x, y, GRID);
        for (int ch = 0; ch < 2 && p->hi[ch][x] >= p->lo[ch][x]; ch++)
            for (int y = wave_row(p->hi[ch][x], ch * PIC_WAVE_H); y <= wave_row(p->lo[ch][x], ch * PIC_WAVE_H); y++)
                put(img, x, y, wave_colour[ch]);
        if (p->onset[x])
            for (int y = 0; y < 8; y++)
                put(img, x, y, ONSET);
    }
    return img;
}

/* ---- PNG (stored deflate blocks) -------------------------------------------- */

static uint32_t crc_table[256];

static uint32_t crc(uint32_t c, const unsigned char *b, size_t n)
{
    if (!crc_table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t x = i;
            for (int k = 0; k < 8; k++)
                x = x & 1 ? 0xedb88320u ^ (x >> 1) : x >> 1;
            crc_table[i] = x;
        }
    c = ~c;
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ b[i]) & 0xff] ^ (c >> 8);
    return ~c;
}

static void be32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)(v >> 24);
    b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8);
    b[3] = (unsigned char)v;
}

/* One chunk: length, type, data, CRC. */
static void chunk(FILE *f, const char *type, const unsigned char *data, size_t n)
{
    unsigned char len[4], sum[4];
    be32(len, (uint32_t)n);
    fwrite(len, 1, 4, f);
    fwrite(type, 1, 4, f);
    if (n)
        fwrite(data, 1, n, f);
    be32(sum, crc(crc(0, (const unsigned char *)type, 4), data, n));
    fwrite(sum, 1, 4, f);
}

static int write_png(FILE *f, const unsigned char *img)
{
    size_t row = 1 + 3 * (size_t)PIC_W, raw_n = row * PIC_H, blocks = (raw_n + 65534) / 65535;
    unsigned char *raw = malloc(raw_n), *z = malloc(2 + raw_n + 5 * blocks + 4);
    if (!raw || !z) {
        free(raw);
        free(z);
        return -1;
    }
    for (int y = 0; y < PIC_H; y++) {
        raw[y * row] = 0;                               /* filter: none */
        memcpy(raw + y * row + 1, img + (size_t)y * 3 * PIC_W, 3 * (size_t)PIC_W);
    }
    size_t at = 0;
    z[at++] = 0x78;
    z[at++] = 0x01;
    uint32_t a = 1, b = 0;
    for (size_t off = 0; off < raw_n; off += 65535) {
        size_t n = raw_n - off < 65535 ? raw_n - off : 65535;
        z[at++] = off + n == raw_n;                     /* BFINAL, stored */
        z[at++] = (unsigned char)n;
        z[at++] = (unsigned char)(n >> 8);
        z[at++] = (unsigned char)~n;
        z[at++] = (unsigned char)(~n >> 8);
        memcpy(z + at, raw + off, n);
        at += n;
    }
    for (size_t i = 0; i < raw_n; i++) {
        a = (a + raw[i]) % 65521;
        b = (b + a) % 65521;
    }
    be32(z + at, b << 16 | a);
    at += 4;
    unsigned char ihdr[13] = { 0 };
    be32(ihdr, PIC_W);
    be32(ihdr + 4, PIC_H);
    ihdr[8] = 8;                                        /* bit depth */
    ihdr[9] = 2;                                        /* RGB */
    fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
    chunk(f, "IHDR", ihdr, sizeof ihdr);
    chunk(f, "IDAT", z, at);
    chunk(f, "IEND", NULL, 0);
    free(raw);
    free(z);
    return 0;
}

/* ---- SVG ---------------------------------------------------------------------- */

static void write_svg(FILE *f, const struct cli_picture *p)
{
    unsigned char grid[PIC_W] = { 0 };
    cycle_columns(p, grid);
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n"
               "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", PIC_W, PIC_H, PIC_W, PIC_H, PIC_W, PIC_H);
    enum { CELL = 4, ROWS = 4 };
    for (int x = 0; x < PIC_W; x += CELL)
        for (int r = 0; r < PIC_SPEC_H; r += ROWS) {
            float db = -90;
            for (int i = 0; i < CELL; i++)
                for (int k = 0; k < ROWS; k++)
                    db = p->spec[x + i][r + k] > db ? p->spec[x + i][r + k] : db;
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#%06x\"/>\n", x,
                    PIC_H - r - ROWS, CELL, ROWS, heat(db));
        }
    for (int ch = 0; ch < 2; ch++) {
        fprintf(f, "<line x1=\"0\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>\n<polygon fill=\"#%06x\" points=\"",
                PIC_W, ch * PIC_WAVE_H + PIC_WAVE_H / 2, ch * PIC_WAVE_H + PIC_WAVE_H / 2, wave_colour[ch]);
        for (int x = 0; x < PIC_W; x++)
            fprintf(f, "%d,%d ", x, wave_row(p->hi[ch][x] >= p->lo[ch][x] ? p->hi[ch][x] : 0, ch * PIC_WAVE_H));
        for (int x = PIC_W - 1; x >= 0; x--)
            fprintf(f, "%d,%d ", x + 1, wave_row(p->hi[ch][x] >= p->lo[ch][x] ? p->lo[ch][x] : 0, ch * PIC_WAVE_H) + 1);
        fputs("\"/>\n", f);
    }
    for (int x = 0; x < PIC_W; x++) {
        if (grid[x])
            fprintf(f, "<line class=\"cycle\" x1=\"%d.5\" x2=\"%d.5\" y1=\"0\" y2=\"%d\" stroke=\"#aaa\"/>\n", x, x, PIC_H);
        if (p->onset[x])
            fprintf(f, "<line class=\"onset\" x1=\"%d.5\" x2=\"%d.5\" y1=\"0\" y2=\"8\" stroke=\"#dc1e1e\"/>\n", x, x);
    }
    fputs("</svg>\n", f);
}

/* See cli.h. */
int cli_picture_write(const struct cli_picture *p, const char *path, int svg, char *msg, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(msg, size, "cannot create %s", path);
        return PHONON_EXIT_CANTCREAT;
    }
    int rc = 0;
    if (svg) {
        write_svg(f, p);
    } else {
        unsigned char *img = raster(p);
        rc = img ? write_png(f, img) : -1;
        free(img);
    }
    if (fclose(f) != 0 || rc) {
        snprintf(msg, size, "writing %s failed", path);
        return PHONON_EXIT_IOERR;
    }
    return 0;
}
