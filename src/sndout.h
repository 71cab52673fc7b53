/* sndout.h -- rendered audio into a sound file, the same bytes every time.
 *
 * `phonon render` streams the engine's blocks (interleaved stereo float)
 * through libsndfile. The container comes from the file name's extension
 * (.wav, .flac, .aiff/.aif, .ogg), the sample type from --format: f32 is
 * written as is, s24 and s16 are clipped, s16 with TPDF dither from a
 * seeded generator (xorshift32), so the same input, options and seed give
 * the same bytes. Ogg Vorbis is Vorbis whatever the format. Nothing that
 * changes from run to run goes into the file: no PEAK chunk (it holds a
 * timestamp), and the Ogg stream's serial number, which libsndfile seeds
 * from the clock, is rewritten to a fixed one when the file is finished.
 *
 * OUT is replaced whole or not at all. The audio goes to a temporary file
 * in OUT's directory (".NAME.XXXXXX.part", created with O_EXCL and the mode
 * of any new file, 0666 less the umask), which sndout_finish flushes to
 * the disk (fsync) and renames over OUT; sndout_abort (an error, a full
 * disk, a stop signal) removes it, so an existing OUT is never truncated
 * and never left half-written. A symbolic link OUT is followed (the file
 * it names is replaced); an OUT that exists but is no regular file (a
 * FIFO, a device) is written in place, as before.
 *
 * Thread context: one control thread (render's main thread); never the
 * audio thread (it allocates and writes files).
 * Errors: 0 or a negative enum phonon_err, with a message in the caller's
 * buffer (msg, size) saying what went wrong, ready for cli_fail.
 */
#ifndef SNDOUT_H
#define SNDOUT_H

#include <stddef.h>
#include <stdint.h>

/* A container and a sample type, as libsndfile spells them. */
struct sndout_format {
    int major;                      /* SF_FORMAT_WAV, _FLAC, _AIFF, _OGG */
    int sub;                        /* SF_FORMAT_PCM_16, _PCM_24, _FLOAT, _VORBIS */
};

struct sndout;                      /* opaque: sndout_open ... sndout_finish */

/* The format for path (its extension) and format ("s16", "s24" or "f32")
 * at `rate` Hz. PHONON_EINVAL when the extension is not one of ours, the
 * format is none of the three, FLAC is asked for floats, or libsndfile
 * cannot write the combination; msg says which (path or format named). */
int sndout_choose(const char *path, const char *format, int rate, struct sndout_format *f, char *msg,
                  size_t size);

/* As sndout_choose, with the container named by `type` (an extension
 * without the dot: wav, flac, aiff, ogg, opus, mp3, caf, w64, rf64, au, or
 * any other libsndfile writes; NULL: path's extension, WAV for "-"). The
 * codecs (ogg/oga Vorbis, opus, mp3) fix the sample type; Opus needs a
 * rate of 8, 12, 16, 24 or 48 kHz. */
int sndout_choose_type(const char *path, const char *type, const char *format, int rate,
                       struct sndout_format *f, char *msg, size_t size);

/* Start writing path (through its temporary file) for stereo audio at
 * `rate` in format f, taking blocks of at most max_frames; seed seeds the
 * s16 dither. path is not touched until sndout_finish. NULL with *err set:
 * PHONON_EIO (cannot create: msg names path and says why), PHONON_ENOMEM. */
struct sndout *sndout_open(const char *path, const struct sndout_format *f, int rate, int max_frames,
                           uint32_t seed, int *err, char *msg, size_t size);

/* Append `frames` (<= max_frames) interleaved stereo frames (gathered and
 * written 16,384 at a time, the rest by sndout_finish). 0, or PHONON_EIO
 * with libsndfile's reason in msg (for frames of an earlier call). */
int sndout_write(struct sndout *o, const float *buf, int frames, char *msg, size_t size);

/* Close the file, make it reproducible (the Ogg serial), flush it to the
 * disk and rename it over path; free o. 0, or PHONON_EIO with the reason
 * in msg (the temporary file removed, path as it was). */
int sndout_finish(struct sndout *o, char *msg, size_t size);

/* Close, remove the temporary file and free, without finishing (after an
 * error or a stop signal): path is left as it was. NULL is a no-op. */
void sndout_abort(struct sndout *o);

/* The temporary file being written (NULL when path is written in place):
 * for a signal handler that has to unlink(2) it before _exit. Valid until
 * sndout_finish or sndout_abort. */
const char *sndout_temp_path(const struct sndout *o);

#endif
