/* tests/fuzz/driver.c -- a stand-in for libFuzzer's main when the compiler
 * has no libFuzzer (gcc, or a clang without compiler-rt's fuzzer).
 *
 *   fuzz_x [-max_total_time=S] [-timeout=S] [-max_len=N] [-dict=FILE]
 *          [-artifact_prefix=P] [-seed=N] [-runs=N] DIR_OR_FILE...
 *
 * It understands the libFuzzer options run.sh passes and ignores the others.
 * First every input file (and every file of every directory) is run once:
 * that replays the seed corpus and the regression inputs. Then, until the
 * time is up (or -runs mutations are done), it runs random mutations of
 * corpus entries: byte flips, inserts, deletions, duplicated runs,
 * dictionary tokens and splices of two entries. There is no coverage
 * feedback, so it is much weaker than libFuzzer, but the mutations start
 * from real patterns, which keeps most inputs near valid syntax where the
 * interesting code is.
 *
 * A crash (any fatal signal, stack overflow included: the handler runs on its
 * own stack) or an input that runs longer than -timeout writes the input to
 * P + "crash-N" / "timeout-N" and exits 1, as libFuzzer would. Build with
 * -fsanitize=address,undefined and ASAN_OPTIONS=abort_on_error=1 so that
 * sanitizer reports end in SIGABRT and are caught the same way.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct blob {
    uint8_t *data;
    size_t len;
};

struct list {
    struct blob *items;
    size_t n, cap;
};

static struct list corpus, dict;
static const char *artifact_prefix = "";
static size_t max_len = 4096;

/* The input being run, for the signal handler. */
static const uint8_t *volatile cur_data;
static volatile size_t cur_len;
static volatile sig_atomic_t in_run;

static void push(struct list *l, const uint8_t *d, size_t n)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->items = realloc(l->items, l->cap * sizeof *l->items);
        if (!l->items) {
            perror("fuzz driver");
            exit(2);
        }
    }
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy) {
        perror("fuzz driver");
        exit(2);
    }
    memcpy(copy, d, n);
    l->items[l->n].data = copy;
    l->items[l->n++].len = n;
}

/* Async-signal-safe: write the current input to the artifact file. */
static void save_input(const char *kind)
{
    char path[4096];
    size_t o = 0;
    for (const char *s = artifact_prefix; *s && o < sizeof path - 40; s++)
        path[o++] = *s;
    for (const char *s = kind; *s; s++)
        path[o++] = *s;
    uint64_t h = 5381;
    for (size_t i = 0; i < cur_len; i++)
        h = h * 33 + cur_data[i];
    path[o++] = '-';
    for (int i = 60; i >= 0; i -= 4)
        path[o++] = "0123456789abcdef"[(h >> i) & 15];
    path[o] = 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        size_t done = 0;
        while (done < cur_len) {
            ssize_t w = write(fd, (const void *)(cur_data + done), cur_len - done);
            if (w <= 0)
                break;
            done += (size_t)w;
        }
        close(fd);
    }
    static const char msg1[] = "==fuzz driver== input saved to ";
    if (write(2, msg1, sizeof msg1 - 1) < 0 || write(2, path, o) < 0 || write(2, "\n", 1) < 0)
        _exit(1);
}

static void on_signal(int sig)
{
    static const char crash[] = "==fuzz driver== deadly signal\n", slow[] = "==fuzz driver== timeout\n";
    if (sig == SIGALRM) {
        if (write(2, slow, sizeof slow - 1) < 0)
            _exit(1);
        if (in_run)
            save_input("timeout");
    } else {
        if (write(2, crash, sizeof crash - 1) < 0)
            _exit(1);
        if (in_run)
            save_input("crash");
    }
    _exit(1);
}

static void install_handlers(void)
{
    static char altstack[1 << 16];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGALRM };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
}

static unsigned timeout_s = 5;

static void run_one(const uint8_t *d, size_t n)
{
    /* a private copy of exactly n bytes, so over-reads are caught by ASan */
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        exit(2);
    memcpy(copy, d, n);
    cur_data = copy;
    cur_len = n;
    in_run = 1;
    alarm(timeout_s);
    LLVMFuzzerTestOneInput(copy, n);
    alarm(0);
    in_run = 0;
    free(copy);
}

static int read_file(const char *path, struct list *to)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            buf = realloc(buf, cap);
            if (!buf)
                exit(2);
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
    }
    fclose(f);
    push(to, buf, n);
    free(buf);
    return 0;
}

static void load_path(const char *path, int *files_run)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "fuzz driver: %s: %s\n", path, strerror(errno));
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (read_file(path, &corpus) == 0) {
            run_one(corpus.items[corpus.n - 1].data, corpus.items[corpus.n - 1].len);
            ++*files_run;
        }
        return;
    }
    DIR *dir = opendir(path);
    if (!dir)
        return;
    struct dirent *de;
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.')
            continue;
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, de->d_name);
        if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && read_file(full, &corpus) == 0) {
            run_one(corpus.items[corpus.n - 1].data, corpus.items[corpus.n - 1].len);
            ++*files_run;
        }
    }
    closedir(dir);
}

/* libFuzzer dictionary lines: name="token" with \" \\ \xNN escapes. */
static void load_dict(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "fuzz driver: cannot read %s\n", path);
        return;
    }
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *q = strchr(line, '"');
        if (!q || line[0] == '#')
            continue;
        uint8_t tok[512];
        size_t n = 0;
        for (char *p = q + 1; *p && *p != '"' && n < sizeof tok; p++) {
            if (*p == '\\' && p[1] == 'x' && p[2] && p[3]) {
                char hex[3] = { p[2], p[3], 0 };
                tok[n++] = (uint8_t)strtoul(hex, NULL, 16);
                p += 3;
            } else if (*p == '\\' && p[1]) {
                tok[n++] = (uint8_t)*++p;
            } else {
                tok[n++] = (uint8_t)*p;
            }
        }
        if (n)
            push(&dict, tok, n);
    }
    fclose(f);
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static size_t below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

/* Mutate buf (len bytes, capacity max_len) in place; returns the new length. */
static size_t mutate(uint8_t *buf, size_t len)
{
    static const char interesting[] = " []<>{}(),.*/!@_?|:~-#'\"%$^0123456789\n\t";
    int rounds = 1 + (int)below(6);
    for (int r = 0; r < rounds; r++) {
        size_t at = below(len + 1);
        switch (below(7)) {
        case 0:                                     /* flip a bit */
            if (len)
                buf[below(len)] ^= (uint8_t)(1u << below(8));
            break;
        case 1:                                     /* insert a syntax byte */
            if (len < max_len) {
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = (uint8_t)interesting[below(sizeof interesting - 1)];
                len++;
            }
            break;
        case 2: {                                   /* delete a run */
            size_t n = below(len - at < 8 ? len - at + 1 : 9);
            memmove(buf + at, buf + at + n, len - at - n);
            len -= n;
            break;
        }
        case 3: {                                   /* duplicate a run */
            if (!len)
                break;
            uint8_t run[16];
            size_t from = below(len), n = 1 + below(len - from < 16 ? len - from : 16);
            if (len + n > max_len)
                break;
            memcpy(run, buf + from, n);
            memmove(buf + at + n, buf + at, len - at);
            memcpy(buf + at, run, n);
            len += n;
            break;
        }
        case 4:                                     /* a dictionary token */
            if (dict.n) {
                const struct blob *t = &dict.items[below(dict.n)];
                if (len + t->len <= max_len) {
                    memmove(buf + at + t->len, buf + at, len - at);
                    memcpy(buf + at, t->data, t->len);
                    len += t->len;
                }
            }
            break;
        case 5:                                     /* splice in part of another entry */
            if (corpus.n) {
                const struct blob *o = &corpus.items[below(corpus.n)];
                size_t from = below(o->len), n = below(o->len - from + 1);
                if (len + n <= max_len) {
                    memmove(buf + at + n, buf + at, len - at);
                    memcpy(buf + at, o->data + from, n);
                    len += n;
                }
            }
            break;
        default:                                    /* a random byte */
            if (len)
                buf[below(len)] = (uint8_t)rnd();
            break;
        }
    }
    return len;
}

int main(int argc, char **argv)
{
    double total = 0;
    long max_runs = -1;                             /* -runs=N: stop after N mutations */
    int files_run = 0;
    install_handlers();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "-max_total_time=", 16) == 0)
            total = atof(a + 16);
        else if (strncmp(a, "-timeout=", 9) == 0)
            timeout_s = (unsigned)atoi(a + 9);
        else if (strncmp(a, "-max_len=", 9) == 0)
            max_len = (size_t)atol(a + 9);
        else if (strncmp(a, "-dict=", 6) == 0)
            load_dict(a + 6);
        else if (strncmp(a, "-artifact_prefix=", 17) == 0)
            artifact_prefix = a + 17;
        else if (strncmp(a, "-runs=", 6) == 0)
            max_runs = atol(a + 6);
        else if (strncmp(a, "-seed=", 6) == 0)
            rng = strtoull(a + 6, NULL, 10) * 0x9e3779b97f4a7c15u + 1;
        else if (a[0] == '-')
            ;                                       /* other libFuzzer options */
        else
            load_path(a, &files_run);
    }
    if (timeout_s == 0)
        timeout_s = 1;
    fprintf(stderr, "fuzz driver: replayed %d inputs\n", files_run);
    if (total <= 0 || corpus.n == 0 || max_runs == 0)
        return 0;
    uint8_t *buf = malloc(max_len + 1);
    if (!buf)
        return 2;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long runs = 0;
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) * 1e-9 >= total)
            break;
        if (max_runs > 0 && runs >= max_runs)
            break;
        for (int k = 0; k < 64 && runs != max_runs; k++, runs++) {
            const struct blob *b = &corpus.items[below(corpus.n)];
            size_t len = b->len < max_len ? b->len : max_len;
            memcpy(buf, b->data, len);
            len = mutate(buf, len);
            run_one(buf, len);
        }
    }
    fprintf(stderr, "fuzz driver: %ld mutated inputs in %.0f s, no crash\n", runs, total);
    free(buf);
    return 0;
}
