/* wavstat.c -- read an audio file back with libsndfile and print one line
 * of facts about it, for tests/render/run.sh:
 *
 *   frames=N rate=R channels=C format=wav/s16 peak_db=P rms_db=R dc_db=D nonfinite=K
 *   over=V dc_tail=T hash=H
 *
 * peak_db and rms_db are over every channel ("-inf" for digital silence),
 * dc_db is the larger of the channels' means; nonfinite counts NaN/Inf
 * samples (only possible in float files); over counts samples beyond
 * +-1.0 (float files); dc_tail is the larger of the channels' means over
 * the last half second (linear, |mean|: the DC the master left); hash is a
 * 64-bit FNV-1a of the samples as floats, to compare the audio of two
 * files whatever their headers hold.
 * Exit 0, or 1 when the file cannot be opened (the reason on stderr).
 */
#include <math.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *sub_name(int sub)
{
    switch (sub) {
    case SF_FORMAT_PCM_16: return "s16";
    case SF_FORMAT_PCM_24: return "s24";
    case SF_FORMAT_PCM_32: return "s32";
    case SF_FORMAT_FLOAT: return "f32";
    case SF_FORMAT_DOUBLE: return "f64";
    case SF_FORMAT_VORBIS: return "vorbis";
    default: return "other";
    }
}

static const char *major_name(int major)
{
    switch (major) {
    case SF_FORMAT_WAV: return "wav";
    case SF_FORMAT_AIFF: return "aiff";
    case SF_FORMAT_FLAC: return "flac";
    case SF_FORMAT_OGG: return "ogg";
    default: return "other";
    }
}

static void print_db(const char *name, double v)
{
    if (v > 0)
        printf(" %s=%.2f", name, 20.0 * log10(v));
    else
        printf(" %s=-inf", name);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: wavstat FILE\n");
        return 2;
    }
    SF_INFO info = { 0 };
    SNDFILE *sf = sf_open(argv[1], SFM_READ, &info);
    if (!sf) {
        fprintf(stderr, "wavstat: %s: %s\n", argv[1], sf_strerror(NULL));
        return 1;
    }
    float buf[4096];
    int per = 4096 / info.channels;
    double peak = 0, sumsq = 0, sum[2] = { 0, 0 }, tail[2] = { 0, 0 };
    long long nonfinite = 0, over = 0, n = 0, at = 0;
    long long tail_from = (long long)info.frames - info.samplerate / 2;
    uint64_t hash = 14695981039346656037u;
    sf_count_t got;
    while ((got = sf_readf_float(sf, buf, per)) > 0) {
        for (sf_count_t i = 0; i < got * info.channels; i++) {
            uint32_t bits;
            memcpy(&bits, &buf[i], sizeof bits);
            for (int k = 0; k < 4; k++)
                hash = (hash ^ (bits >> (8 * k) & 0xff)) * 1099511628211u;
            double x = buf[i];
            if (!isfinite(x)) {
                nonfinite++;
                continue;
            }
            over += fabs(x) > 1.0;
            if (at + i / info.channels >= tail_from)
                tail[i % info.channels > 0] += x;
            if (fabs(x) > peak)
                peak = fabs(x);
            sumsq += x * x;
            sum[i % info.channels > 0] += x;
            n++;
        }
        at += got;
    }
    sf_close(sf);
    printf("frames=%lld rate=%d channels=%d format=%s/%s", (long long)info.frames, info.samplerate,
           info.channels, major_name(info.format & SF_FORMAT_TYPEMASK),
           sub_name(info.format & SF_FORMAT_SUBMASK));
    print_db("peak_db", peak);
    print_db("rms_db", n ? sqrt(sumsq / (double)n) : 0);
    double nframes = n ? (double)n / info.channels : 1;
    print_db("dc_db", fmax(fabs(sum[0]), fabs(sum[1])) / nframes);
    double ntail = (double)(info.frames - (tail_from > 0 ? tail_from : 0));
    printf(" nonfinite=%lld over=%lld dc_tail=%.6f hash=%016llx\n", nonfinite, over,
           ntail > 0 ? fmax(fabs(tail[0]), fabs(tail[1])) / ntail : 0.0, (unsigned long long)hash);
    return 0;
}
